/** The demo's store budget: the worker's (vite.config.ts) and the in-page fallback's (main.ts) alike. */
export const PERSISTENT_CACHE_BYTES = 64 * 2 ** 20;
