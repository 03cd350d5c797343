import type { BuildIndex } from "./BuildIndex.js";
import type { UpdateInfo } from "../kernel/UpdateInfo.js";

/**
 * What changed from the running build to `latest`, by content hash: a file whose bytes are the
 * same in both (whatever else moved) is no change. `latest` must have a build id.
 */
export function diffIndexes(running: BuildIndex, latest: BuildIndex & { build: string }): UpdateInfo {
  const changed: string[] = [];
  const added: string[] = [];
  let bytes = latest.bytes;
  for (const [uri, file] of latest.files) {
    const before = running.files.get(uri);
    if (before === undefined) added.push(uri);
    else if (before.sha256 !== file.sha256) changed.push(uri);
    else continue;
    bytes += file.size;
  }
  const removed = [...running.files.keys()].filter((uri) => !latest.files.has(uri));
  for (const [url, file] of latest.shell) if (running.shell.get(url)?.revision !== file.revision) bytes += file.size;
  return { build: latest.build, changed: changed.sort(), added: added.sort(), removed: removed.sort(), bytes };
}
