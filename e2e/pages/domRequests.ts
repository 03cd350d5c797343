// What the page's own elements and loaders get for a URL (an <img>, a CSS background, an <audio>,
// fetch with a Range, PixiJS): the helpers the page-request specs drive through `window.simvx`.

/** The worker's answers name where they came from in this header (see sw/answerPageRequest.ts). */
const SERVED_FROM_HEADER = "x-simvx-served-from";

export interface ImageReport {
  ok: boolean;
  width: number;
  height: number;
}

/** Adds an `<img>` for `url` (no crossorigin attribute: a no-cors request, as most pages make) and waits for it. */
export function showImage(url: string, timeoutMs = 15_000): Promise<ImageReport> {
  const image = document.createElement("img");
  document.body.append(image);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, width: 0, height: 0 }), timeoutMs);
    image.onload = () => (clearTimeout(timer), resolve({ ok: true, width: image.naturalWidth, height: image.naturalHeight }));
    image.onerror = () => (clearTimeout(timer), resolve({ ok: false, width: 0, height: 0 }));
    image.src = url;
  });
}

export interface BackgroundReport {
  /**
   * Where the asset worker said the answer came from (its `Server-Timing: simvx-assets;desc=…`,
   * which resource timing shows for a same-origin load); null when the worker did not answer.
   */
  servedFrom: string | null;
  initiatorType: string;
}

/**
 * Gives an element a CSS `background-image` of `url` (a same-origin URL, so resource timing shows
 * the answer's Server-Timing) and waits until resource timing has the load: CSS images fire no
 * event of their own. null when it never ends.
 */
export async function cssBackground(url: string, timeoutMs = 15_000): Promise<BackgroundReport | null> {
  const box = document.createElement("div");
  box.style.cssText = `width: 16px; height: 16px; background-image: url("${url}")`;
  document.body.append(box);
  const absolute = new URL(url, location.href).href;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const entry = performance.getEntriesByName(absolute).at(-1) as PerformanceResourceTiming | undefined;
    if (entry !== undefined && entry.responseEnd > 0) {
      const served = entry.serverTiming.find((metric) => metric.name === "simvx-assets");
      return { servedFrom: served?.description ?? null, initiatorType: entry.initiatorType };
    }
    if (performance.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface SeekReport {
  duration: number;
  /** Where each seek landed and whether the element had data there. */
  seeks: Array<{ to: number; at: number; readyState: number }>;
  /** `MediaError.code` if the element failed. */
  error: number | null;
}

/** Plays nothing, but loads `url` in an `<audio>` and seeks to each of `times` in turn, waiting for `seeked` and data. */
export async function audioSeeks(url: string, times: number[], timeoutMs = 20_000, crossOrigin: "anonymous" | null = null): Promise<SeekReport> {
  const audio = document.createElement("audio");
  if (crossOrigin !== null) audio.crossOrigin = crossOrigin;
  audio.preload = "auto";
  audio.muted = true;
  document.body.append(audio);
  const until = (event: string): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      audio.addEventListener(event, () => (clearTimeout(timer), resolve(true)), { once: true });
      audio.addEventListener("error", () => (clearTimeout(timer), resolve(false)), { once: true });
    });
  const metadata = until("loadedmetadata");
  audio.src = url;
  const report: SeekReport = { duration: Number.NaN, seeks: [], error: null };
  if (!(await metadata)) return { ...report, error: audio.error?.code ?? -1 };
  report.duration = audio.duration;
  for (const to of times) {
    const seeked = until("seeked");
    audio.currentTime = to;
    if (!(await seeked)) return { ...report, error: audio.error?.code ?? -1 };
    // Data at the new position: the seek read bytes there (HAVE_CURRENT_DATA or more).
    if (audio.readyState < 2) await until("canplay");
    report.seeks.push({ to, at: audio.currentTime, readyState: audio.readyState });
  }
  return report;
}

export interface RangeReport {
  status: number;
  contentRange: string | null;
  contentLength: string | null;
  contentType: string | null;
  acceptRanges: string | null;
  servedFrom: string | null;
  byteLength: number;
  /** The first bytes of the body, to compare with the asset. */
  head: number[];
  /** Hex SHA-256 of the whole body: a large one is compared byte for byte without sending it back. */
  sha256: string;
}

/** `fetch(url)` with an optional `Range` header, as a media element or a loader would send it. */
export async function fetchWithRange(url: string, range: string | null): Promise<RangeReport> {
  const response = await fetch(url, range === null ? {} : { headers: { Range: range } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const header = (name: string): string | null => response.headers.get(name);
  return {
    status: response.status,
    contentRange: header("content-range"),
    contentLength: header("content-length"),
    contentType: header("content-type"),
    acceptRanges: header("accept-ranges"),
    servedFrom: header(SERVED_FROM_HEADER),
    byteLength: bytes.byteLength,
    head: [...bytes.subarray(0, 8)],
    sha256: Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (byte) => byte.toString(16).padStart(2, "0")).join(""),
  };
}

/** PixiJS's own loader (`Assets.load`) on `url`, in the page (no loader worker: the page's requests are the ones the asset worker sees). */
export async function pixiLoad(url: string): Promise<{ width: number; height: number } | { error: string }> {
  try {
    const { Assets } = await import("pixi.js");
    Assets.setPreferences({ preferWorkers: false });
    const texture = await Assets.load<{ width: number; height: number }>(url);
    return { width: texture.width, height: texture.height };
  } catch (error) {
    return { error: String(error) };
  }
}
