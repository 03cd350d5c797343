import type { CacheStats } from "../src/index.js";

const counted = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;

/**
 * The dev panel's "N requests for M files": what packs save shows as fewer requests than files
 * (one pack request brings many), and revalidation as requests with no new file (304s). Null
 * when the HTTP backend does not count (a worker of an older build answers without the fields).
 */
export function requestsForFiles(stats: Pick<CacheStats, "requests" | "files">): string | null {
  if (stats.requests === undefined || stats.files === undefined) return null;
  return `${counted(stats.requests, "request")} for ${counted(stats.files, "file")}`;
}
