// The page-side public API, and the composition root of a page: it installs the browser platform,
// which builds what `new AssetServer()` leaves out. Node resolves `simvx-assets` to index.node.ts.
// Every export is named here on purpose: no `export *`.
import { installPlatform } from "./core/Platform.js";
import { browserPlatform } from "./platform/browserPlatform.js";

installPlatform(browserPlatform);

export { AssetServer } from "./core/AssetServer.js";
export type { PendingLoad, RetryEvent } from "./core/AssetServer.js";
export type { AssetServerStats } from "./core/LoadStats.js";
export { Handle } from "./core/Handle.js";
export type { HandleState } from "./core/Handle.js";
export { BatchHandle } from "./core/BatchHandle.js";
export { Signal } from "./core/Signal.js";
export { AssetError } from "./kernel/AssetError.js";
export type { AssetErrorCode } from "./kernel/AssetError.js";
export type { AssetServerOptions, LoadOptions, BatchOptions, FolderOptions, BackendChoice } from "./core/options.js";
export type { Manifest } from "./core/ManifestLoader.js";
export type { Clock } from "./core/Clock.js";
export type { UpdateInfo } from "./kernel/UpdateInfo.js";
export { Loader } from "./loaders/Loader.js";
export { BytesLoader } from "./loaders/BytesLoader.js";
export { JsonLoader } from "./loaders/JsonLoader.js";
export { TextLoader } from "./loaders/TextLoader.js";
export { ImageLoader } from "./loaders/ImageLoader.js";
export { MemSource } from "./sources/MemSource.js";
export type { Source, ReadContext, ReadResult } from "./sources/Source.js";
export type { ServedFrom, RevalidateMode, CacheStats } from "./kernel/protocol.js";
export type { HttpBackend } from "./kernel/HttpBackend.js";
export { registerAssetWorker } from "./platform/registerAssetWorker.js";
export type { RegisterAssetWorkerOptions } from "./platform/registerAssetWorker.js";
