import { describe, expect, it } from 'vitest';
import { createRng, hashSeed } from './prng';

describe('createRng (mulberry32)', () => {
  it('pins the stream of seed 0 (a change would silently change every generated data set)', () => {
    const r = createRng(0);
    expect(Math.round(r.next() * 4294967296)).toBe(1144304738);
    expect(Math.round(r.next() * 4294967296)).toBe(1416247);
  });

  it('draws uniforms in range with mean ~0.5, and integers covering both ends', () => {
    const r = createRng(123);
    let sum = 0;
    const ints = new Set<number>();
    for (let i = 0; i < 20000; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      ints.add(r.int(2, 5));
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    expect([...ints].sort()).toEqual([2, 3, 4, 5]);
  });

  it('gives a normal() of mean ~0 and variance ~1', () => {
    const r = createRng(5);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(s2 / n).toBeCloseTo(1, 1);
  });

  it('hashSeed separates nearby inputs', () => {
    const seen = new Set<number>();
    for (let a = 0; a < 20; a++) for (let b = 0; b < 20; b++) seen.add(hashSeed(a, b));
    expect(seen.size).toBe(400);
    expect(hashSeed(1, 2)).not.toBe(hashSeed(2, 1));
  });
});
