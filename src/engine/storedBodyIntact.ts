import { verifyIntegrity } from "../kernel/verifyIntegrity.js";
import { isBodySha256, type EntryMeta } from "./PersistentStore.js";

/**
 * Whether `body`, read back whole, is what was stored under `meta`: by its whole-body SHA-256, or,
 * for a body stored as it streamed in without one, by each piece's (`EntryMeta.chunks`).
 */
export async function storedBodyIntact(body: Uint8Array, meta: EntryMeta): Promise<boolean> {
  if (body.length !== meta.size) return false;
  if (isBodySha256(meta.integrity)) return verifyIntegrity(body, meta.integrity);
  const chunks = meta.chunks;
  if (chunks === undefined || !(chunks.chunkBytes > 0) || chunks.integrity.length !== Math.ceil(body.length / chunks.chunkBytes)) return false;
  for (let index = 0; index < chunks.integrity.length; index++) {
    const offset = index * chunks.chunkBytes;
    if (!(await verifyIntegrity(body.subarray(offset, offset + chunks.chunkBytes), chunks.integrity[index]!))) return false;
  }
  return true;
}
