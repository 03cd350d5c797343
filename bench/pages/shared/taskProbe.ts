/** How often the probe's timer asks for a turn of the main thread. */
const TICK_MS = 4;

/**
 * Measures the longest main-thread task during a window: a timer that asks for a turn every 4 ms,
 * whose late ticks show how long other tasks held the thread (to within one tick). The Long Tasks
 * API only sees tasks over 50 ms; issue 10's bar is 16 ms. A chain of MessageChannel messages,
 * as before, ran in every idle moment of the page and took 20–45 ms of its thread from the loads
 * being measured (and only in ours' page): 250 ticks a second cost next to nothing.
 */
export function startTaskProbe(windowMs: number): { stop(): number } {
  const started = performance.now();
  let last = started;
  let longest = 0;
  let watching = true;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last - TICK_MS);
    last = now;
    if (now - started < windowMs) return;
    watching = false;
    clearInterval(timer);
  };
  const timer = setInterval(tick, TICK_MS);
  return {
    stop() {
      // The stretch since the last tick counts too, while the window lasts.
      if (watching) tick();
      clearInterval(timer);
      watching = false;
      return Math.max(longest, 0);
    },
  };
}
