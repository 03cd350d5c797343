import { OwnedProcess } from "./OwnedProcess.js";

const START_TIMEOUT_MS = 15_000;

/** A virtual X display for a browser that needs one (WebKitGTK's MiniBrowser has no headless mode). */
export interface VirtualDisplay {
  /** e.g. `:3`, for `DISPLAY`. */
  display: string;
  stop(): Promise<void>;
}

/** Starts Xvfb on a free display number (it picks one and tells us, `-displayfd`). */
export async function startXvfb(): Promise<VirtualDisplay> {
  const xvfb = new OwnedProcess("Xvfb", "Xvfb", ["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"]);
  try {
    const [, number] = await xvfb.waitForOutput(/^(\d+)$/m, START_TIMEOUT_MS);
    return { display: `:${number}`, stop: () => xvfb.stop() };
  } catch (error) {
    await xvfb.stop();
    throw new Error(`Xvfb (package xvfb) did not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
