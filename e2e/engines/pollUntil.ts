/** How often a condition in the page is checked: each check is one driver round trip. */
const POLL_MS = 50;
export const DEFAULT_WAIT_MS = 30_000;

/**
 * Resolves once `check` gives a truthy value, polled from Node, so a page whose animation frames
 * are throttled (a background tab) is polled all the same in every engine; rejects with the last
 * error, or naming `what`, after `timeoutMs`.
 */
export async function pollUntil(what: string, check: () => Promise<unknown>, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (error) {
      // A check made while the page navigates fails; the next one runs in the new document.
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError === undefined ? "" : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`${what} was not true within ${timeoutMs} ms${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
