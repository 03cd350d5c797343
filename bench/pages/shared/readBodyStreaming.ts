/**
 * Reads a body chunk by chunk into one buffer sized by Content-Length: raw fetch streaming, the
 * fastest a page can move a large body, so few-large throughput compares against the best case.
 */
export async function readBodyStreaming(response: Response): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  let buffer = new Uint8Array(Number.isFinite(declared) && declared > 0 ? declared : 64 * 1024);
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.byteLength > buffer.byteLength) {
      const grown = new Uint8Array(Math.max(buffer.byteLength * 2, length + value.byteLength));
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    buffer.set(value, length);
    length += value.byteLength;
  }
  return length === buffer.byteLength ? buffer : buffer.subarray(0, length);
}
