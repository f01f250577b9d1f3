import { describe, expect, it } from 'vitest';
import type { Box } from '../image';
import { renderInsulator } from './render';
import type { InsulatorClass, InsulatorSample } from './types';
import { INSULATOR_CLASSES, InsulatorOptionsError } from './types';

function inside(b: Box, size: number): boolean {
  return b.x0 >= 0 && b.y0 >= 0 && b.x1 <= size && b.y1 <= size && b.x0 < b.x1 && b.y0 < b.y1;
}

function maskPixelsIn(s: InsulatorSample, b: Box): number {
  let n = 0;
  for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) n += s.shellMask[y * s.image.width + x];
  return n;
}

/** Pixels (x, y) where two renders differ in any channel. */
function diffPixels(a: InsulatorSample, b: InsulatorSample): [number, number][] {
  const out: [number, number][] = [];
  const w = a.image.width;
  for (let i = 0; i < a.image.data.length; i += 4) {
    const p = i / 4;
    if (a.image.data[i] !== b.image.data[i] || a.image.data[i + 1] !== b.image.data[i + 1] || a.image.data[i + 2] !== b.image.data[i + 2]) {
      out.push([p % w, Math.floor(p / w)]);
    }
  }
  return out;
}

describe('renderInsulator', () => {
  it('renders the same bytes for the same options and different bytes for another seed', () => {
    const a = renderInsulator({ seed: 7, cls: 'broken', tag: true });
    const b = renderInsulator({ seed: 7, cls: 'broken', tag: true });
    const c = renderInsulator({ seed: 8, cls: 'broken', tag: true });
    expect(a.image.width).toBe(64);
    expect(a.image.data.length).toBe(64 * 64 * 4);
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(a.shellMask).toEqual(b.shellMask);
    expect(a.tagBox).toEqual(b.tagBox);
    expect(diffPixels(a, c).length).toBeGreaterThan(1000);
  });

  it('records boxes inside the image, a defect box only for faulty classes, and a shell mask', () => {
    for (let seed = 0; seed < 60; seed++) {
      const cls: InsulatorClass = INSULATOR_CLASSES[seed % 3];
      const s = renderInsulator({ seed, cls, tag: seed % 2 === 0 });
      const maskArea = s.shellMask.reduce((acc, v) => acc + v, 0);
      expect(s.shellMask.length).toBe(64 * 64);
      expect(maskArea).toBeGreaterThan(64 * 64 * 0.15);
      expect(s.image.data.every((v, i) => i % 4 !== 3 || v === 255)).toBe(true);
      if (cls === 'good') expect(s.defectBox).toBeNull();
      else {
        expect(s.defectBox).not.toBeNull();
        expect(inside(s.defectBox as Box, 64)).toBe(true);
        expect(maskPixelsIn(s, s.defectBox as Box)).toBeGreaterThan(0);
      }
      expect(s.tag).toBe(seed % 2 === 0);
      if (s.tag) {
        const t = s.tagBox as Box;
        expect(inside(t, 64)).toBe(true);
        expect([t.x1 - t.x0, t.y1 - t.y0]).toEqual([9, 7]);
        // The tag is stuck on a shell: at least a third of its pixels lie on the shell mask.
        expect(maskPixelsIn(s, t)).toBeGreaterThanOrEqual(21);
      } else expect(s.tagBox).toBeNull();
    }
  });

  it('changes only the tag box (± blur reach) when the same scene gets a tag', () => {
    for (const seed of [3, 4, 5, 6]) {
      const plain = renderInsulator({ seed, cls: 'good', tag: false });
      const tagged = renderInsulator({ seed, cls: 'good', tag: true });
      const t = tagged.tagBox as Box;
      const diff = diffPixels(plain, tagged);
      expect(diff.length).toBeGreaterThanOrEqual(20);
      for (const [x, y] of diff) {
        expect(x >= t.x0 - 2 && x < t.x1 + 2 && y >= t.y0 - 2 && y < t.y1 + 2).toBe(true);
      }
      expect(tagged.shellMask).toEqual(plain.shellMask);
    }
  });

  it('changes only the defect box (± blur reach) between a good shell and a faulty one of the same scene', () => {
    for (const cls of ['broken', 'flashover'] as const) {
      for (const seed of [11, 12, 13]) {
        const good = renderInsulator({ seed, cls: 'good', tag: false });
        const bad = renderInsulator({ seed, cls, tag: false });
        const d = bad.defectBox as Box;
        const diff = diffPixels(good, bad);
        expect(diff.length).toBeGreaterThanOrEqual(10);
        for (const [x, y] of diff) expect(x >= d.x0 - 3 && x < d.x1 + 3 && y >= d.y0 - 3 && y < d.y1 + 3).toBe(true);
      }
    }
  });

  it('renders other sizes with the tag scaled, and rejects bad options', () => {
    const big = renderInsulator({ seed: 1, cls: 'flashover', tag: true, size: 128 });
    expect(big.image.width).toBe(128);
    expect(big.shellMask.length).toBe(128 * 128);
    const t = big.tagBox as Box;
    expect([t.x1 - t.x0, t.y1 - t.y0]).toEqual([18, 14]);
    expect(() => renderInsulator({ seed: 1, cls: 'good', tag: false, size: 16 })).toThrow(InsulatorOptionsError);
    expect(() => renderInsulator({ seed: 1, cls: 'good', tag: false, size: 200 })).toThrow(/size must be/);
    expect(() => renderInsulator({ seed: 1.5, cls: 'good', tag: false })).toThrow(/seed/);
    expect(() => renderInsulator({ seed: 1, cls: 'cracked' as InsulatorClass, tag: false })).toThrow(/class must be one of good, broken, flashover/);
  });
});

/** FNV-1a over bytes: a cheap fingerprint (src/core may not import node:crypto). */
function fnv1a(h: number, bytes: ArrayLike<number>): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619) >>> 0;
  return h;
}

describe('renderInsulator output is pinned', () => {
  it('renders exactly the bytes the bundled classifiers were trained on', () => {
    // If you change the renderer on purpose, retrain public/models (npm run train:demo), regenerate
    // public/samples (scripts/make-samples.ts), and update this fingerprint.
    let h = 2166136261;
    for (let seed = 0; seed < 12; seed++) {
      const s = renderInsulator({ seed, cls: INSULATOR_CLASSES[seed % 3], tag: seed % 2 === 1 });
      h = fnv1a(fnv1a(h, s.image.data), s.shellMask);
    }
    expect(h.toString(16)).toBe('cefe84c3');
  });
});
