import { type ChildProcess, spawn } from "node:child_process";

/** How much of a process's output is kept for an error message. */
const OUTPUT_TAIL_CHARS = 4_000;
const KILL_GRACE_MS = 2_000;

const running = new Set<OwnedProcess>();
process.once("exit", () => {
  for (const owned of running) owned.killNow();
});

/**
 * Runs the program in a shell that holds the read end of a pipe from us: when this Node process
 * goes, however it goes (SIGKILL included, when no exit handler runs), the pipe closes and the
 * shell kills its whole process group. `read` is a builtin, so nothing is left behind by it.
 */
const GUARD = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'child=$!',
  '{ while read -r _ <&3; do :; done; kill -KILL 0; } &',
  'guard=$!',
  'wait "$child"',
  'status=$?',
  'kill "$guard" 2>/dev/null',
  'exit "$status"',
].join("\n");

/**
 * A helper program we start (Xvfb, WebKitWebDriver): in a process group of its own, so stopping
 * it also stops what it started (MiniBrowser and its web processes), and so does the end of this
 * Node process (see `GUARD`); its output is kept for the error that says why a browser did not start.
 */
export class OwnedProcess {
  readonly name: string;
  readonly #child: ChildProcess;
  #output = "";
  readonly exited: Promise<number | null>;

  constructor(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.name = name;
    this.#child = spawn("sh", ["-c", GUARD, "sh", command, ...args], { env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
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
