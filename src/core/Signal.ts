export type Listener<T> = (value: T) => void;

/**
 * A typed signal. `emit` copies the listener list first, so a listener may connect or disconnect
 * others while it runs; a listener that throws is reported and does not stop the rest.
 */
export class Signal<T> {
  private listeners: Listener<T>[] = [];

  /** Called with what a listener threw; defaults to `console.error`. */
  onError: (error: unknown) => void = reportListenerError;

  connect(fn: Listener<T>): () => void {
    this.listeners.push(fn);
    return () => this.disconnect(fn);
  }

  disconnect(fn: Listener<T>): void {
    const index = this.listeners.indexOf(fn);
    if (index >= 0) this.listeners.splice(index, 1);
  }

  once(fn: Listener<T>): () => void {
    const wrapper: Listener<T> = (value) => {
      this.disconnect(wrapper);
      fn(value);
    };
    return this.connect(wrapper);
  }

  emit(value: T): void {
    for (const fn of [...this.listeners]) {
      try {
        fn(value);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.length;
  }
}

// One function for every signal, not a closure each: a 1,000-asset batch makes 1,000 handles.
function reportListenerError(error: unknown): void {
  console.error("simvx-assets: a signal listener threw", error);
}
