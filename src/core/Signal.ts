export type Listener<T> = (value: T) => void;

/**
 * A typed signal. `emit` copies the listener list first, so a listener may connect or disconnect
 * others while it runs; a listener that throws is reported and does not stop the rest.
 */
export class Signal<T> {
  /** `once` marks a listener that is removed before its first call; `disconnect(fn)` finds both kinds. */
  private listeners: Array<{ fn: Listener<T>; once: boolean }> = [];

  /** Called with what a listener threw; defaults to `console.error`. */
  onError: (error: unknown) => void = reportListenerError;

  connect(fn: Listener<T>): () => void {
    return this.add(fn, false);
  }

  /** Connects `fn` for the next emit only. */
  once(fn: Listener<T>): () => void {
    return this.add(fn, true);
  }

  disconnect(fn: Listener<T>): void {
    const index = this.listeners.findIndex((listener) => listener.fn === fn);
    if (index >= 0) this.listeners.splice(index, 1);
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      if (listener.once) {
        const index = this.listeners.indexOf(listener);
        if (index < 0) continue; // disconnected meanwhile, or already called by a nested emit
        this.listeners.splice(index, 1);
      }
      try {
        listener.fn(value);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.length;
  }

  private add(fn: Listener<T>, once: boolean): () => void {
    const listener = { fn, once };
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }
}

// One function for every signal, not a closure each: a 1,000-asset batch makes 1,000 handles.
function reportListenerError(error: unknown): void {
  console.error("simvx-assets: a signal listener threw", error);
}
