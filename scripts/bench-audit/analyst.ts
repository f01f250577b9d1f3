/**
 * What counts as anomalous in the insulator audit benchmark, per test image:
 * (a) misclassified; (b) right for the wrong reason: correctly classified, and the Grad-CAM map's
 * peak cell lies inside the ID-tag box dilated by one map cell. Also the analyst's picks on the
 * reference set (tag-focused maps and misclassified images) used as Deep SAD's labeled anomalies.
 */
import { peakCell as mapPeakCell } from '../../src/core/audit/peak-patch';
import type { Box } from '../../src/core/data/image';
import { createRng } from '../../src/core/data/insulator/prng';

/** Row-major index of the maximum of map `i` of n h·w maps (the first one on ties): the cell the peak patch is centred on, too. */
export const peakCell = (maps: Float32Array, i: number, h: number, w: number): number => mapPeakCell(maps.subarray(i * h * w, (i + 1) * h * w), h, w);

/**
 * Whether map cell `cell` of an h×w map over an imageSize×imageSize image overlaps `box` (pixels,
 * x1/y1 exclusive) grown by `dilate` cells on every side. A null box never matches.
 */
export function cellInBox(cell: number, h: number, w: number, imageSize: number, box: Box | null, dilate = 1): boolean {
  if (!box) return false;
  const ch = imageSize / h;
  const cw = imageSize / w;
  const r = Math.floor(cell / w);
  const c = cell % w;
  const [cx0, cx1, cy0, cy1] = [c * cw, (c + 1) * cw, r * ch, (r + 1) * ch];
  return cx0 < box.x1 + dilate * cw && cx1 > box.x0 - dilate * cw && cy0 < box.y1 + dilate * ch && cy1 > box.y0 - dilate * ch;
}

/** Per-image ground truth of a test set; arrays of 0/1. */
export interface AuditTruth {
  misclassified: Uint8Array;
  /** Correct, with the map peak on the tag (right for the wrong reason). */
  shortcut: Uint8Array;
  /** Tag-focused map, whatever the prediction (the analyst's visual cue). */
  tagFocused: Uint8Array;
  union: Uint8Array;
}

/** Derives {@link AuditTruth} from predictions, labels, maps and tag boxes. */
export function auditTruth(predicted: Int32Array, truth: Int32Array, maps: Float32Array, size: [number, number], imageSize: number, tagBoxes: (Box | null)[]): AuditTruth {
  const n = predicted.length;
  const out: AuditTruth = { misclassified: new Uint8Array(n), shortcut: new Uint8Array(n), tagFocused: new Uint8Array(n), union: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const wrong = predicted[i] !== truth[i];
    const onTag = cellInBox(peakCell(maps, i, size[0], size[1]), size[0], size[1], imageSize, tagBoxes[i]);
    out.misclassified[i] = wrong ? 1 : 0;
    out.tagFocused[i] = onTag ? 1 : 0;
    out.shortcut[i] = !wrong && onTag ? 1 : 0;
    out.union[i] = out.misclassified[i] | out.shortcut[i];
  }
  return out;
}

/**
 * The simulated analyst: up to ⌈k/2⌉ tag-focused and ⌊k/2⌋ misclassified reference images (seeded
 * choice; when one kind runs short the other fills in), returned as Deep SAD semi-targets
 * (−1 = labeled anomalous, 0 = unlabeled).
 */
export function analystLabels(t: AuditTruth, k: number, seed: number): Int8Array {
  const n = t.misclassified.length;
  const rng = createRng(seed);
  const shuffled = (pred: (i: number) => boolean): number[] => {
    const idx = Array.from({ length: n }, (_, i) => i).filter(pred);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx;
  };
  const tags = shuffled((i) => t.tagFocused[i] === 1);
  const wrong = shuffled((i) => t.misclassified[i] === 1 && t.tagFocused[i] === 0);
  let nTag = Math.min(tags.length, Math.ceil(k / 2));
  const nWrong = Math.min(wrong.length, k - nTag);
  nTag = Math.min(tags.length, k - nWrong);
  const s = new Int8Array(n);
  for (const i of [...tags.slice(0, nTag), ...wrong.slice(0, nWrong)]) s[i] = -1;
  return s;
}
