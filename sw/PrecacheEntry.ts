/** One app-shell file to keep for offline start; the revision changes when its content does. */
export interface PrecacheEntry {
  url: string;
  revision: string;
}
