/**
 * Imports a Node built-in at run time. The specifier is opaque to bundlers, so a browser build of
 * the sources neither bundles a stub for it nor warns about "externalized" modules; only the Node
 * code paths ever call this.
 */
export function importNodeModule<T>(specifier: `node:${string}`): Promise<T> {
  return import(/* @vite-ignore */ specifier) as Promise<T>;
}
