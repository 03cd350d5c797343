// The Node entry of `simvx-assets` (package.json's "node" condition): the same public API as
// index.ts, with the Node platform installed instead (the disk for pkg:// and file://, the engine
// in-process). Installing after index.ts's own install is what makes it win.
import { installPlatform } from "./core/Platform.js";
import { nodePlatform } from "./platform/nodePlatform.js";

export {
  AssetServer,
  Handle,
  BatchHandle,
  Signal,
  AssetError,
  Loader,
  BytesLoader,
  JsonLoader,
  TextLoader,
  ImageLoader,
  MemSource,
  registerAssetWorker,
} from "./index.js";
export type {
  PendingLoad,
  RetryEvent,
  AssetServerStats,
  HandleState,
  AssetErrorCode,
  AssetServerOptions,
  LoadOptions,
  BatchOptions,
  FolderOptions,
  BackendChoice,
  Manifest,
  Clock,
  Source,
  ReadContext,
  ReadResult,
  ServedFrom,
  RevalidateMode,
  CacheStats,
  HttpBackend,
  RegisterAssetWorkerOptions,
} from "./index.js";

installPlatform(nodePlatform);
