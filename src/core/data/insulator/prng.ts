/**
 * The seeded draws of the synthetic insulator renderer, over core's mulberry32 stream
 * (`../../random`), which is identical in every JS engine, so the same seed renders the same bytes
 * in Node and in the browser. Not for cryptography.
 */

import { createRng as mulberry32 } from '../../random';

/** Uniform floats and the few derived draws the renderer needs. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number;
  /** Approximately standard normal (sum of 4 uniforms, rescaled): cheap and bounded at ±3.46. */
  normal(): number;
  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** true with probability p. */
  chance(p: number): boolean;
}

/** Mixes integers into one well-spread 32-bit seed (murmur3's finaliser over each part). */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    let k = Math.imul((p | 0) ^ (h >>> 15), 0x85ebca6b);
    k ^= k >>> 13;
    k = Math.imul(k, 0xc2b2ae35);
    h = (h ^ k ^ (k >>> 16)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  }
  return h >>> 0;
}

/** The renderer's draws over a mulberry32 stream seeded with a 32-bit integer. */
export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    normal: () => (next() + next() + next() + next() - 2) * Math.sqrt(3),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}
