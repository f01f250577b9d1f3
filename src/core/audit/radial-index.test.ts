import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { RadialIndex } from './radial-index';

describe('RadialIndex', () => {
  it('finds the same nearest squared distance as a brute-force scan, never the row itself', () => {
    const rng = createRng(3);
    const n = 400;
    const d = 8;
    // Clustered points at several radii from c = 0, a few duplicates.
    const z = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const scale = 0.2 + (i % 5);
      for (let k = 0; k < d; k++) z[i * d + k] = i % 37 === 0 && i > 0 ? z[(i - 1) * d + k] : scale * (rng() - 0.5);
    }
    const radius = (j: number) => Math.hypot(...z.subarray(j * d, (j + 1) * d));
    const rows = Array.from({ length: 120 }, (_, k) => (k * 7) % n);
    const index = new RadialIndex(z, d, rows, radius);
    expect(index.size).toBe(120);
    for (let i = 0; i < n; i++) {
      let brute = Infinity;
      for (const j of rows) {
        if (j === i) continue;
        let s = 0;
        for (let k = 0; k < d; k++) s += (z[i * d + k] - z[j * d + k]) ** 2;
        brute = Math.min(brute, s);
      }
      expect(index.nearest(z.subarray(i * d, (i + 1) * d), radius(i), i)).toBeCloseTo(brute, 5);
    }
  });

  it('is Infinity with no other row', () => {
    const z = Float32Array.from([1, 0, 0, 1]);
    const index = new RadialIndex(z, 2, [1], () => 1);
    expect(index.nearest(z.subarray(2, 4), 1, 1)).toBe(Infinity);
    expect(index.nearest(z.subarray(0, 2), 1, 0)).toBeCloseTo(2, 6);
  });
});
