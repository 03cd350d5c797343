import { type ChildProcess, spawn } from "node:child_process";

/** How much of a process's output is kept for an error message. */
const OUTPUT_TAIL_CHARS = 4_000;
const KILL_GRACE_MS = 2_000;

const running = new Set<OwnedProcess>();
// Whatever ends this Node process (a failed worker, Ctrl-C), the processes we started end with it.
process.once("exit", () => {
  for (const owned of running) owned.killNow();
});

/**
 * A helper program we start (Xvfb, WebKitWebDriver): in a process group of its own, so stopping
 * it also stops what it started (MiniBrowser and its web processes); its output is kept for the
 * error that says why a browser did not start.
 */
export class OwnedProcess {
  readonly name: string;
  readonly #child: ChildProcess;
  #output = "";
  readonly exited: Promise<number | null>;

  constructor(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.name = name;
    this.#child = spawn(command, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
    };
    this.#child.stdout?.on("data", keep);
    this.#child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      this.#child.once("exit", (code) => resolve(code));
      this.#child.once("error", (error) => {
        keep(Buffer.from(`${error.message}\n`));
        resolve(null);
      });
    });
    void this.exited.then(() => running.delete(this));
    running.add(this);
  }

  /** The last few KiB the program wrote to stdout and stderr. */
  get output(): string {
    return this.#output.trim();
  }

  get hasExited(): boolean {
    return this.#child.exitCode !== null || this.#child.signalCode !== null || !running.has(this);
  }

  /** Resolves with the first line of stdout or stderr matching `pattern`; rejects if the program exits first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = this.#output.match(pattern);
        if (match) finish(() => resolve(match));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`${this.name} did not start within ${timeoutMs} ms: ${this.output}`))), timeoutMs);
      const finish = (then: () => void): void => {
        clearTimeout(timer);
        this.#child.stdout?.off("data", check);
        this.#child.stderr?.off("data", check);
        then();
      };
      this.#child.stdout?.on("data", check);
      this.#child.stderr?.on("data", check);
      void this.exited.then((code) => finish(() => reject(new Error(`${this.name} exited (${code}) before it was ready: ${this.output}`))));
      check();
    });
  }

  /** SIGTERM to the whole group, SIGKILL if it has not ended after a grace period. */
  async stop(): Promise<void> {
    if (this.hasExited) return;
    this.#signal("SIGTERM");
    const ended = await Promise.race([this.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), KILL_GRACE_MS))]);
    if (!ended) this.#signal("SIGKILL");
    await this.exited;
    // Children that outlived the leader (the group may still have members).
    this.#signal("SIGKILL");
  }

  killNow(): void {
    this.#signal("SIGKILL");
  }

  #signal(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  }
}
