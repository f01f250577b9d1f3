/**
 * Test-only: seeded mutants of valid inputs for the fuzz tests (the CLI's in vitest, the app's in
 * Playwright). Platform-free (no DOM, no Node), so Node tests and the browser spec draw the same
 * mutants from the same seed; a failing mutant is reproduced by its `what`.
 */
import { crc32 } from '../data/zip-crc';
import { createRng, type Rng } from '../random';

/** One mutated input and what was done to it (for the failure message). */
export interface Mutant<T> {
  what: string;
  value: T;
}

/** A path into a JSON value: object keys and array indices. */
export type JsonPath = (string | number)[];

/** Values that break a field: missing, null, wrong types, out of range, huge. */
export const BAD_VALUES: readonly unknown[] = [undefined, null, 'x', -1, 0, 1e308, true, [], {}, 'z'.repeat(50_000), [[[[[[1]]]]]]];

/** Every path of a JSON value down to `depth` levels; arrays contribute their first `arrayItems` entries. */
export function jsonPaths(x: unknown, depth: number, arrayItems = 2, at: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = at.length ? [at] : [];
  if (depth === 0 || !x || typeof x !== 'object') return out;
  const entries = Array.isArray(x) ? x.slice(0, arrayItems).map((v, i) => [i, v] as const) : Object.entries(x);
  for (const [k, v] of entries) out.push(...jsonPaths(v, depth - 1, arrayItems, [...at, k]));
  return out;
}

/** A deep copy of `x` with the value at `path` replaced (`undefined` deletes it). */
export function withValue(x: unknown, path: JsonPath, value: unknown): unknown {
  const copy = structuredClone(x) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
  return copy;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return v.length > 12 ? `"${v.slice(0, 4)}…"(${v.length})` : JSON.stringify(v);
  return v === undefined ? 'deleted' : (JSON.stringify(v) ?? String(v)).slice(0, 16);
}

/** Picks `k` distinct indices of 0..n-1 (all of them when k ≥ n), in ascending order. */
export function sample(n: number, k: number, rng: Rng): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, Math.min(k, n)).sort((a, b) => a - b);
}

/**
 * `count` JSON texts, each `base` with one field (a path down to `depth`) set to one of {@link BAD_VALUES}
 * (a key named `__proto__` is written as an own key, as a hostile file would hold it), plus cut,
 * empty and non-object texts. Seeded: the same seed gives the same mutants.
 */
export function jsonMutants(base: unknown, opts: { seed: number; count: number; depth: number }): Mutant<string>[] {
  const rng = createRng(opts.seed);
  const pairs = jsonPaths(base, opts.depth).flatMap((p) => BAD_VALUES.map((v) => [p, v] as const));
  const text = JSON.stringify(base);
  const fixed: Mutant<string>[] = [
    { what: 'cut in half', value: text.slice(0, text.length >> 1) },
    { what: 'empty', value: '' },
    { what: 'null', value: 'null' },
    { what: 'an array', value: '[]' },
    { what: 'a __proto__ key at the top', value: `{"__proto__":{"polluted":1},${text.slice(1)}` },
  ];
  const picked = sample(pairs.length, Math.max(0, opts.count - fixed.length), rng).map((i) => {
    const [path, v] = pairs[i];
    return { what: `${path.join('.')} = ${describe(v)}`, value: JSON.stringify(withValue(base, path, v)) };
  });
  return [...picked, ...fixed];
}

/** Weight-file mutants: truncated, padded, empty, every float NaN / ±Inf, and single bytes flipped. */
export function weightMutants(bytes: Uint8Array, seed: number): Mutant<Uint8Array>[] {
  const rng = createRng(seed);
  const out: Mutant<Uint8Array>[] = [];
  for (const cut of [0, 1, 7, bytes.length >> 1, bytes.length - 1]) out.push({ what: `weights cut at ${cut} bytes`, value: bytes.slice(0, cut) });
  const padded = new Uint8Array(bytes.length + 13);
  padded.set(bytes);
  out.push({ what: 'weights padded by 13 bytes', value: padded });
  for (const fill of [NaN, Infinity, -Infinity]) out.push({ what: `weights all ${fill}`, value: new Uint8Array(new Float32Array(bytes.length >> 2).fill(fill).buffer) });
  const oneNaN = bytes.slice();
  new DataView(oneNaN.buffer).setFloat32(4 * Math.floor(rng() * (bytes.length >> 2)), NaN, true);
  out.push({ what: 'one weight NaN', value: oneNaN });
  return out;
}

/** Image-file mutants of an encoded PNG: cut, empty, garbage, huge declared dimensions (CRC kept valid), a PNG header alone. */
export function pngMutants(png: Uint8Array): Mutant<Uint8Array>[] {
  const huge = (w: number, h: number) => {
    const b = png.slice();
    const dv = new DataView(b.buffer);
    dv.setUint32(16, w);
    dv.setUint32(20, h);
    dv.setUint32(29, crc32(b.subarray(12, 29)));
    return b;
  };
  return [
    { what: 'PNG cut in half', value: png.slice(0, png.length >> 1) },
    { what: 'PNG cut after its header', value: png.slice(0, 33) },
    { what: 'PNG signature only', value: png.slice(0, 8) },
    { what: 'zero bytes', value: new Uint8Array() },
    { what: 'text, not an image', value: new TextEncoder().encode('not an image at all') },
    { what: 'PNG declaring 100000×100000 pixels', value: huge(100_000, 100_000) },
    { what: 'PNG declaring 1×2^31-1 pixels', value: huge(1, 0x7fffffff) },
    { what: 'PNG declaring 0×0 pixels', value: huge(0, 0) },
    { what: 'PNG with its last bytes flipped', value: flipTail(png) },
  ];
}

function flipTail(b: Uint8Array): Uint8Array {
  const c = b.slice();
  for (let i = Math.max(0, c.length - 24); i < c.length; i++) c[i] ^= 0xa5;
  return c;
}

/** Cut and flipped copies of any encoded file (a JPEG, a zip): `cuts` prefixes and `flips` single-byte flips, seeded. */
export function byteMutants(bytes: Uint8Array, opts: { seed: number; cuts: number; flips: number; label: string }): Mutant<Uint8Array>[] {
  const rng = createRng(opts.seed);
  const out: Mutant<Uint8Array>[] = [];
  for (let k = 1; k <= opts.cuts; k++) {
    const cut = Math.floor((bytes.length * k) / (opts.cuts + 1));
    out.push({ what: `${opts.label} cut at ${cut} of ${bytes.length} bytes`, value: bytes.slice(0, cut) });
  }
  for (let k = 0; k < opts.flips; k++) {
    const c = bytes.slice();
    const at = Math.floor(rng() * c.length);
    c[at] ^= 0xff;
    out.push({ what: `${opts.label} byte ${at} flipped`, value: c });
  }
  return out;
}

/**
 * CSV mutants of a valid CSV (header + rows): rows with a missing or extra column, wrong types, empty
 * ids, prototype-pollution ids, unterminated quotes, a binary blob, a huge row, no header, a BOM and CRLF.
 * `bad` is what a wrong-typed cell holds (e.g. "maybe" for a label, "x" for a number).
 */
export function csvMutants(valid: string, bad: string): Mutant<string>[] {
  const [header, ...rows] = valid.trim().split('\n');
  const first = rows[0] ?? '';
  const cells = first.split(',');
  const withRow = (row: string) => [header, row, ...rows.slice(1)].join('\n') + '\n';
  return [
    { what: 'a row with a missing column', value: withRow(cells.slice(0, -1).join(',')) },
    { what: 'a row with an extra column', value: withRow(`${first},extra`) },
    { what: 'a wrong-typed cell', value: withRow([...cells.slice(0, -1), bad].join(',')) },
    { what: 'an empty id', value: withRow(['', ...cells.slice(1)].join(',')) },
    { what: 'id __proto__', value: withRow(['__proto__', ...cells.slice(1)].join(',')) },
    { what: 'id constructor', value: withRow(['constructor', ...cells.slice(1)].join(',')) },
    { what: 'an unknown id', value: withRow(['no-such-image.png', ...cells.slice(1)].join(',')) },
    { what: 'an unterminated quote', value: withRow(`"${first}`) },
    { what: 'binary junk', value: `${header}\n\u0000\u0001\u00ff\ufffd,\u0000\n` },
    { what: 'a huge row', value: withRow([...cells.slice(0, -1), 'y'.repeat(200_000)].join(',')) },
    { what: 'no header', value: rows.join('\n') + '\n' },
    { what: 'the header only', value: `${header}\n` },
    { what: 'empty', value: '' },
    { what: 'header columns swapped', value: [header.split(',').reverse().join(','), ...rows].join('\n') + '\n' },
    { what: 'a BOM and CRLF', value: `\ufeff${[header, ...rows].join('\r\n')}\r\n` },
    { what: 'a duplicated row with another value', value: [header, ...rows, [...cells.slice(0, -1), bad].join(',')].join('\n') + '\n' },
  ];
}
