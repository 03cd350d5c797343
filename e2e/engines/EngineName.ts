/** The browser engines the e2e specs run in, each through its own driver. */
export const ENGINE_NAMES = ["chromium", "firefox", "webkit"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export function isEngineName(value: string): value is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(value);
}

/**
 * The engine of this Playwright run: `SIMVX_ENGINE` (set by `scripts/test.mjs`, one run per
 * engine), Chromium when unset. Read when spec files load, so registration can depend on it.
 */
export function currentEngine(env: NodeJS.ProcessEnv = process.env): EngineName {
  const value = env.SIMVX_ENGINE ?? "chromium";
  if (!isEngineName(value)) throw new Error(`SIMVX_ENGINE=${value} is not one of ${ENGINE_NAMES.join(", ")}`);
  return value;
}
