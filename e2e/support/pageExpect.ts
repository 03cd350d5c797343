import type { TestPage } from "../engines/TestPage.js";

/** How long a condition on the page may take to come true, as Playwright's `expect` waits by default. */
const EXPECT_MS = 5_000;

/** The text of the first element matching `selector`, or null when there is none. */
export function textOf(page: TestPage, selector: string): Promise<string | null> {
  return page.evaluate((sel) => document.querySelector(sel)?.textContent ?? null, selector);
}

export function attributeOf(page: TestPage, selector: string, name: string): Promise<string | null> {
  return page.evaluate(([sel, attribute]) => document.querySelector(sel!)?.getAttribute(attribute!) ?? null, [selector, name]);
}

/** Waits until the text of `selector` matches `pattern`; the error says what it was instead. */
export async function expectText(page: TestPage, selector: string, pattern: RegExp, timeoutMs = EXPECT_MS): Promise<void> {
  const matches = ([sel, source, flags]: string[]) => new RegExp(source!, flags).test(document.querySelector(sel!)?.textContent ?? "");
  await page.waitForFunction(matches, [selector, pattern.source, pattern.flags], { timeoutMs }).catch(async () => {
    throw new Error(`${selector}: expected text matching ${pattern} within ${timeoutMs} ms, got ${JSON.stringify(await textOf(page, selector))}`);
  });
}

/** Waits until the attribute `name` of `selector` is (or, with `not`, is no longer) `value`. */
export async function expectAttribute(page: TestPage, selector: string, name: string, value: string, options: { not?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? EXPECT_MS;
  const holds = ([sel, attribute, wanted, negate]: string[]) => (document.querySelector(sel!)?.getAttribute(attribute!) === wanted) !== (negate === "not");
  await page.waitForFunction(holds, [selector, name, value, options.not ? "not" : ""], { timeoutMs }).catch(async () => {
    throw new Error(`${selector}[${name}]: expected ${options.not ? "not " : ""}${JSON.stringify(value)} within ${timeoutMs} ms, got ${JSON.stringify(await attributeOf(page, selector, name))}`);
  });
}

/** Waits until `selector` is rendered (not hidden, with a box). */
export async function expectVisible(page: TestPage, selector: string, timeoutMs = EXPECT_MS): Promise<void> {
  const visible = (sel: string) => {
    const element = document.querySelector(sel);
    return element instanceof HTMLElement && !element.hidden && element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden";
  };
  await page.waitForFunction(visible, selector, { timeoutMs }).catch(() => {
    throw new Error(`${selector} was not visible within ${timeoutMs} ms`);
  });
}
