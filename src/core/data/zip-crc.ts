/**
 * CRC-32 and the CRCs a zip's central directory records. fflate's unzipSync does not compare them
 * with what it inflates, so a flipped byte inside a stored or deflated member (a detector's weights)
 * reads back as different numbers without a word; the project reader checks them here.
 */

const TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE, as zip and PNG use it) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The CRC-32 of each member as the zip's central directory records it, by name; null when the
 * central directory cannot be found or read (the caller's unzip reports that file as broken).
 */
export function zipCrcs(zip: Uint8Array): Map<string, number> | null {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = dv.getUint16(eocd + 10, true);
  let at = dv.getUint32(eocd + 16, true);
  const out = new Map<string, number>();
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (at + 46 > zip.length || dv.getUint32(at, true) !== 0x02014b50) return null;
    const crc = dv.getUint32(at + 16, true);
    const nameLen = dv.getUint16(at + 28, true);
    const skip = nameLen + dv.getUint16(at + 30, true) + dv.getUint16(at + 32, true);
    if (at + 46 + nameLen > zip.length) return null;
    out.set(decoder.decode(zip.subarray(at + 46, at + 46 + nameLen)), crc);
    at += 46 + skip;
  }
  return out;
}
