// The layering of the library, checked in `npm run lint` (issue 13). Each folder may import only
// the folders below it, so no two folders import each other:
//
//   src/index.ts, src/index.node.ts   the entries: install a platform, name the public API
//   src/platform/                     the composition root: browser or Node defaults
//   src/update/                       updates after a deploy (the browser platform's)
//   src/core/                         AssetServer, handles, queues (touches no globals)
//   src/transport/ src/sources/ src/loaders/ src/cache/
//   src/engine/                       fetch / revalidate / store, shared by worker and page
//   src/kernel/                       AssetError, protocol types, uri, integrity
//
// sw/ (the worker) sits on engine/ and kernel/ only; vite/ (the build) on kernel/ and sw/ types.
/** A rule: files under `from` may import only files under `allowed` (and their own folder). */
function layer(name, from, allowed) {
  return {
    name,
    severity: "error",
    comment: `${from} may import only ${allowed.join(", ")}`,
    from: { path: `^${from}` },
    to: { path: "^(src|sw|vite|test|e2e|bench|demo)/", pathNot: [`^${from}`, ...allowed.map((dir) => `^${dir}`)] },
  };
}

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "modules never import each other in a cycle", from: {}, to: { circular: true } },
    layer("kernel-imports-nothing", "src/kernel/", []),
    layer("cache-imports-nothing", "src/cache/", []),
    layer("engine-is-below-page-code", "src/engine/", ["src/kernel/"]),
    layer("loaders-on-kernel", "src/loaders/", ["src/kernel/"]),
    layer("sources-on-kernel", "src/sources/", ["src/kernel/"]),
    layer("transport-on-engine", "src/transport/", ["src/kernel/", "src/engine/"]),
    layer("core-below-platform", "src/core/", ["src/kernel/", "src/cache/", "src/loaders/", "src/sources/"]),
    layer("update-on-core", "src/update/", ["src/core/", "src/kernel/", "src/engine/", "src/sources/", "src/loaders/"]),
    layer("platform-below-entries", "src/platform/", ["src/update/", "src/core/", "src/kernel/", "src/engine/", "src/sources/", "src/transport/", "src/loaders/", "src/cache/"]),
    layer("worker-never-imports-page-code", "sw/", ["src/kernel/", "src/engine/"]),
    layer("build-plugin-on-kernel-and-worker", "vite/", ["src/kernel/", "sw/"]),
    {
      name: "no-test-helpers-in-the-library",
      severity: "error",
      comment: "test helpers (test/) and other tools never ship",
      from: { path: "^(src|sw|vite)/", pathNot: "\\.test\\.ts$" },
      to: { path: "^(test|e2e|bench|demo)/" },
    },
    {
      name: "page-bundle-has-no-node-code",
      severity: "error",
      comment: "the browser entry never reaches Node-only code (the Node entry installs it)",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^src/sources/node/|^src/platform/nodePlatform\\.ts$|^node:", reachable: true },
    },
    {
      name: "node-builtins-only-in-node-code",
      severity: "error",
      comment: "node: modules only where the Node entry alone reaches",
      from: { path: "^src/", pathNot: ["^src/sources/node/", "^src/platform/nodePlatform\\.ts$", "\\.test\\.ts$"] },
      to: { dependencyTypes: ["core"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$|^e2e/artifacts/" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js"] },
  },
};
