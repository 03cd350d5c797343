// A small typed client for the W3C WebDriver HTTP protocol (https://w3c.github.io/webdriver/),
// the commands our specs use and nothing more.

/** The key under which WebDriver returns an element reference. */
const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
/** Commands other than scripts answer within this or fail: a driver that stops answering is an error, not a hang. */
const COMMAND_TIMEOUT_MS = 60_000;

export class WebDriverError extends Error {
  /** The WebDriver error code, e.g. `javascript error`, `session not created`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "WebDriverError";
    this.code = code;
  }
}

type Method = "GET" | "POST" | "DELETE";

/** One key or pointer action source, as the Actions command takes it. */
export interface ActionSource {
  type: "key" | "pointer" | "none";
  id: string;
  actions: Array<Record<string, string | number>>;
}

async function send<T>(url: string, method: Method, body: unknown, timeoutMs: number | null): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json; charset=utf-8" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(timeoutMs === null ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
    });
  } catch (error) {
    throw new WebDriverError("unreachable", `${method} ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  let payload: { value?: unknown };
  try {
    payload = JSON.parse(text) as { value?: unknown };
  } catch {
    throw new WebDriverError("invalid response", `${method} ${url}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  }
  const value = payload.value as { error?: unknown; message?: unknown } | null | undefined;
  if (!response.ok || (typeof value === "object" && value !== null && typeof value.error === "string")) {
    const code = typeof value?.error === "string" ? value.error : `HTTP ${response.status}`;
    throw new WebDriverError(code, `${method} ${url}: ${code}: ${typeof value?.message === "string" ? value.message : text.slice(0, 500)}`);
  }
  return payload.value as T;
}

/** One WebDriver session: a browser the driver started for us. */
export class WebDriverSession {
  readonly #base: string;
  readonly capabilities: Record<string, unknown>;

  private constructor(base: string, capabilities: Record<string, unknown>) {
    this.#base = base;
    this.capabilities = capabilities;
  }

  /** Starts a browser: `POST /session` with `capabilities` as `alwaysMatch`. */
  static async create(driverUrl: string, capabilities: Record<string, unknown>, timeoutMs: number): Promise<WebDriverSession> {
    const created = await send<{ sessionId: string; capabilities: Record<string, unknown> }>(`${driverUrl}/session`, "POST", { capabilities: { alwaysMatch: capabilities } }, timeoutMs);
    return new WebDriverSession(`${driverUrl}/session/${created.sessionId}`, created.capabilities);
  }

  /** The driver is up and may start a session. */
  static async ready(driverUrl: string): Promise<boolean> {
    try {
      return (await send<{ ready?: boolean }>(`${driverUrl}/status`, "GET", undefined, 2_000)).ready === true;
    } catch {
      return false;
    }
  }

  #command<T>(method: Method, path: string, body?: unknown, timeoutMs: number | null = COMMAND_TIMEOUT_MS): Promise<T> {
    return send<T>(`${this.#base}${path}`, method, method === "POST" ? (body ?? {}) : undefined, timeoutMs);
  }

  async setTimeouts(timeouts: { script?: number; pageLoad?: number; implicit?: number }): Promise<void> {
    await this.#command("POST", "/timeouts", timeouts);
  }

  async navigate(url: string): Promise<void> {
    await this.#command("POST", "/url", { url });
  }

  async refresh(): Promise<void> {
    await this.#command("POST", "/refresh");
  }

  /**
   * Runs `script` as a function body whose last argument is a callback; resolves with what it
   * was called with. No HTTP timeout: the session's script timeout bounds it.
   */
  executeAsync<T>(script: string, args: unknown[]): Promise<T> {
    return this.#command<T>("POST", "/execute/async", { script, args }, null);
  }

  /** Opens a new top-level browsing context and returns its handle (it does not switch to it). */
  async newWindow(type: "tab" | "window"): Promise<string> {
    return (await this.#command<{ handle: string }>("POST", "/window/new", { type })).handle;
  }

  currentWindow(): Promise<string> {
    return this.#command<string>("GET", "/window");
  }

  async switchToWindow(handle: string): Promise<void> {
    await this.#command("POST", "/window", { handle });
  }

  /** Closes the current window; resolves with the handles left. */
  closeWindow(): Promise<string[]> {
    return this.#command<string[]>("DELETE", "/window");
  }

  async findElement(cssSelector: string): Promise<string> {
    const reference = await this.#command<Record<string, string>>("POST", "/element", { using: "css selector", value: cssSelector });
    const id = reference[ELEMENT_KEY];
    if (id === undefined) throw new WebDriverError("no such element", `no element reference for ${cssSelector}`);
    return id;
  }

  async clickElement(elementId: string): Promise<void> {
    await this.#command("POST", `/element/${elementId}/click`);
  }

  async performActions(actions: ActionSource[]): Promise<void> {
    await this.#command("POST", "/actions", { actions });
  }

  /** A PNG of the current window's viewport. */
  async screenshot(): Promise<Buffer> {
    return Buffer.from(await this.#command<string>("GET", "/screenshot"), "base64");
  }

  async delete(timeoutMs: number): Promise<void> {
    await this.#command("DELETE", "", undefined, timeoutMs);
  }
}
