/** What the WebDriver script hands back: the page's value, or the error it threw, as text. */
export type ScriptOutcome = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * The body of a WebDriver `execute/async` script that runs `source` (a function's source text)
 * with the first argument and calls back with a `ScriptOutcome`, so a rejection in the page
 * reaches the spec as an error with its message, as Playwright and puppeteer report it.
 */
export function asyncScriptFor(source: string): string {
  return [
    "const done = arguments[arguments.length - 1];",
    "const arg = arguments[0];",
    `const fn = (${source});`,
    "Promise.resolve().then(() => fn(arg)).then(",
    "  (value) => done({ ok: true, value: value === undefined ? null : value }),",
    "  (error) => done({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}\\n${error.stack ?? ''}` : String(error) }),",
    ");",
  ].join("\n");
}
