/**
 * Measures the longest main-thread task during a window: a chain of MessageChannel messages, each
 * a task of its own, whose gaps show how long other tasks ran in between. (The Long Tasks API only
 * sees tasks over 50 ms; issue 10's bar is 16 ms.)
 */
export function startTaskProbe(windowMs: number): { stop(): number } {
  const channel = new MessageChannel();
  const started = performance.now();
  let last = started;
  let longest = 0;
  let running = true;
  channel.port1.onmessage = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running && now - started < windowMs) channel.port2.postMessage(0);
  };
  channel.port2.postMessage(0);
  return {
    stop() {
      running = false;
      channel.port1.close();
      return longest;
    },
  };
}
