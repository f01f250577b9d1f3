import { describe, expect, it } from 'vitest';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { crc32, zipCrcs } from './zip-crc';

describe('zip CRCs', () => {
  it('crc32 matches the known value and the zip central directory', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
    const zip = zipSync({ 'a.txt': strToU8('hello'), 'b/c.bin': new Uint8Array([1, 2, 3]) }, { level: 1 });
    const crcs = zipCrcs(zip)!;
    expect([...crcs.keys()]).toEqual(['a.txt', 'b/c.bin']);
    for (const [name, data] of Object.entries(unzipSync(zip))) expect(crcs.get(name)).toBe(crc32(data));
  });

  it('a flipped byte inside a stored member unzips quietly but no longer matches its CRC', () => {
    const zip = zipSync({ 'w.bin': new Uint8Array(64).fill(7) }, { level: 0 });
    const bad = zip.slice();
    bad[40] ^= 0xff; // inside the stored data (local header 30 + name 5)
    const files = unzipSync(bad);
    expect(crc32(files['w.bin'])).not.toBe(zipCrcs(bad)!.get('w.bin'));
    expect(zipCrcs(bad.slice(0, 20))).toBeNull();
  });
});
