import type { InterceptRule } from "./PageRequestRouter.js";

/** The parts of a URL pattern a route needs (a `URLPatternInit`). */
interface UrlPatternInit {
  protocol: string;
  hostname: string;
  port: string;
  pathname: string;
}

type RouterCondition =
  | { urlPattern: UrlPatternInit; requestMethod?: string }
  | { requestMode: RequestMode }
  | { runningStatus: "running" | "not-running" };

/** One rule of the Static Routing API (`InstallEvent.addRoutes`, Chromium 123+). */
export interface RouterRule {
  condition: RouterCondition;
  source: "network" | "fetch-event";
}

export interface StaticRoutesOptions {
  workerUrl: string;
  pkgPrefixes: readonly string[];
  intercept: readonly InterceptRule[];
  /** App-shell URLs workbox serves, relative to the worker; navigations go to the worker too when there are any. */
  precached: readonly string[];
}

/**
 * The routes that keep the page's other requests away from the worker where the browser has
 * static routing: pkg files, `intercept` prefixes and the app shell go to the fetch handler;
 * anything else goes to the network without starting the worker, and goes through the handler
 * only when the worker already runs (which then answers URLs the store holds).
 *
 * A RegExp rule cannot be a URL pattern, so with one there is no route to the network: every
 * request then reaches the handler, as in browsers without static routing. Returns null when
 * there is nothing to route.
 */
export function staticRoutes(options: StaticRoutesOptions): RouterRule[] | null {
  const rules: RouterRule[] = [];
  const strings = options.intercept.filter((rule): rule is string => typeof rule === "string");
  for (const prefix of [...options.pkgPrefixes, ...strings]) {
    const pattern = prefixPattern(prefix, options.workerUrl, "*");
    if (pattern === null) return null;
    rules.push({ condition: { urlPattern: pattern, requestMethod: "GET" }, source: "fetch-event" });
  }
  if (options.precached.length > 0) {
    rules.push({ condition: { requestMode: "navigate" }, source: "fetch-event" });
    for (const url of options.precached) {
      const pattern = prefixPattern(url, options.workerUrl, "");
      if (pattern !== null) rules.push({ condition: { urlPattern: pattern }, source: "fetch-event" });
    }
  }
  if (options.intercept.some((rule) => rule instanceof RegExp)) return rules.length > 0 ? rules : null;
  rules.push({ condition: { runningStatus: "not-running" }, source: "network" });
  return rules;
}

/** A pattern for the URLs that start with `prefix` (`tail` "*"), or that are `prefix` ("" ); null when `prefix` is no URL or has a query. */
function prefixPattern(prefix: string, workerUrl: string, tail: "*" | ""): UrlPatternInit | null {
  let url: URL;
  try {
    url = new URL(prefix, workerUrl);
  } catch {
    return null;
  }
  if (url.search !== "" || url.hash !== "") return null;
  return { protocol: url.protocol.slice(0, -1), hostname: escapePattern(url.hostname), port: url.port, pathname: escapePattern(url.pathname) + tail };
}

/** URL pattern syntax characters, taken literally. */
function escapePattern(text: string): string {
  return text.replace(/[\\:*(){}+?]/g, "\\$&");
}
