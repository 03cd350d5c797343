/**
 * A new build compared with the one the page runs: what `checkForUpdate()` resolves with and what
 * `updateAvailable` and `updateReady` carry.
 */
export interface UpdateInfo {
  /** The new build's id: a hash of its pkg files' hashes and its app shell (the Vite plugin's). */
  build: string;
  /** `pkg://` uris whose content differs in the new build. */
  changed: string[];
  /** `pkg://` uris only the new build has. */
  added: string[];
  /** `pkg://` uris only the running build has. */
  removed: string[];
  /**
   * What `applyUpdate()` downloads, in bytes: the changed and added pkg files, the shell files
   * whose revision changed and the pkg index (the worker script itself aside).
   */
  bytes: number;
}
