// A lazily imported chunk: its text is set per build (`__REDEPLOY_LAZY__`), so a build that
// changes it changes the app shell (this chunk's hashed name, and the entry that imports it).
declare const __REDEPLOY_LAZY__: string;

export const LAZY_TEXT: string = __REDEPLOY_LAZY__;
