export type Action = "left" | "right" | "jump" | "music" | "restart";

const BINDINGS: Record<string, Action> = {
  ArrowLeft: "left", KeyA: "left",
  ArrowRight: "right", KeyD: "right",
  Space: "jump", ArrowUp: "jump", KeyW: "jump", KeyZ: "jump",
  KeyM: "music",
  Enter: "restart", KeyR: "restart",
};

/** Keyboard state: what is held now, and what was pressed since the last frame. */
export class Input {
  private readonly held = new Set<Action>();
  private readonly pressed = new Set<Action>();
  /** Called on the first key press: browsers let audio start only after a user gesture. */
  onFirstGesture: (() => void) | null = null;

  constructor(target: Window) {
    target.addEventListener("keydown", (event) => {
      const action = BINDINGS[event.code];
      if (this.onFirstGesture) {
        const first = this.onFirstGesture;
        this.onFirstGesture = null;
        first();
      }
      if (!action || isTyping(event.target)) return;
      event.preventDefault();
      if (!event.repeat) this.pressed.add(action);
      this.held.add(action);
    });
    target.addEventListener("keyup", (event) => {
      const action = BINDINGS[event.code];
      if (action) this.held.delete(action);
    });
    target.addEventListener("blur", () => this.held.clear());
  }

  isHeld(action: Action): boolean {
    return this.held.has(action);
  }

  /** True once per key press, on the first frame after it. */
  wasPressed(action: Action): boolean {
    return this.pressed.has(action);
  }

  /** Forget this frame's presses (call at the end of each frame). */
  endFrame(): void {
    this.pressed.clear();
  }
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
}
