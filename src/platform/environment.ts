export type Environment = "browser" | "node";

export function detectEnvironment(): Environment {
  return typeof window !== "undefined" && typeof document !== "undefined" ? "browser" : "node";
}

/** Where bare relative paths resolve: the document base URL, or the working directory in Node. */
export function defaultBaseUri(environment: Environment): string {
  if (environment === "browser") return document.baseURI;
  const cwd = process.cwd().replace(/\\/g, "/");
  const encoded = cwd.split("/").map(encodeURIComponent).join("/");
  return `file://${encoded.startsWith("/") ? "" : "/"}${encoded}/`;
}
