import { describe, expect, it } from 'vitest';
import { crc32 } from '../data/zip-crc';
import { csvMutants, jsonMutants, jsonPaths, pngMutants, weightMutants, withValue } from './mutants';

describe('fuzz mutants', () => {
  it('paths and replacement leave the base alone', () => {
    const base = { a: { b: [1, 2, 3] }, c: 'x' };
    expect(jsonPaths(base, 3)).toEqual([['a'], ['a', 'b'], ['a', 'b', 0], ['a', 'b', 1], ['c']]);
    expect(withValue(base, ['a', 'b', 1], null)).toEqual({ a: { b: [1, null, 3] }, c: 'x' });
    expect(withValue(base, ['c'], undefined)).toEqual({ a: { b: [1, 2, 3] } });
    expect(base.a.b).toEqual([1, 2, 3]);
  });

  it('json mutants are seeded, distinct from the base and counted', () => {
    const base = { format: 'layers-model', modelTopology: { layers: [{ name: 'a' }, { name: 'b' }] }, weightsManifest: [{ paths: ['w.bin'] }] };
    const a = jsonMutants(base, { seed: 3, count: 40, depth: 4 });
    expect(a).toHaveLength(40);
    expect(jsonMutants(base, { seed: 3, count: 40, depth: 4 })).toEqual(a);
    expect(jsonMutants(base, { seed: 4, count: 40, depth: 4 }).map((m) => m.what)).not.toEqual(a.map((m) => m.what));
    for (const m of a) expect(m.value).not.toBe(JSON.stringify(base));
    expect(a.find((m) => m.what.includes('__proto__'))?.value).toMatch(/^\{"__proto__":/);
  });

  it('weight, PNG and CSV mutants', () => {
    const w = weightMutants(new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer), 1);
    expect(w.map((m) => m.value.length)).toEqual([0, 1, 7, 8, 15, 29, 16, 16, 16, 16]);
    expect(Array.from(new Float32Array(w[6].value.buffer))).toEqual([NaN, NaN, NaN, NaN]);
    // the IHDR CRC of a real 1×1 PNG, then a huge mutant's header says 100000 and its CRC is right again
    const png = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
    expect(crc32(png.subarray(12, 29))).toBe(new DataView(png.buffer).getUint32(29));
    const huge = pngMutants(png).find((m) => m.what.includes('100000'))!.value;
    const dv = new DataView(huge.buffer);
    expect(dv.getUint32(16)).toBe(100_000);
    expect(crc32(huge.subarray(12, 29))).toBe(dv.getUint32(29));
    const csv = csvMutants('id,label\na.png,normal\nb.png,anomalous\n', 'maybe');
    expect(csv.length).toBeGreaterThanOrEqual(16);
    expect(csv.find((m) => m.what === 'id __proto__')?.value).toBe('id,label\n__proto__,normal\nb.png,anomalous\n');
  });
});
