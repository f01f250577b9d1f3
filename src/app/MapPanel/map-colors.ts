/**
 * Colours of the map's points: by review score (continuous, inferno over the shown range), by the
 * analyst's label, by predicted class (a 10-colour categorical palette), by review flag, or by
 * misclassification. Each point gets a palette
 * index, so the canvas draws one path per colour.
 */
import { colorOf } from '../lib/colormap';
import type { MapColorBy } from '../state/map.slice';
import type { Label } from '../state/types';

export type { MapColorBy };

/** Score bins of the continuous scale. */
export const SCORE_BINS = 32;

/** Tableau 10: distinct on white and for most colour-vision deficiencies. */
const CATEGORICAL = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const LABEL_COLORS: Record<Label | 'unlabeled', string> = { unlabeled: '#9aa0a6', normal: '#2e7d32', anomalous: '#d32f2f' };
const MISSING = '#c8c8c8';

/** Per point a palette index (`index[i]` into `palette`), and the legend that explains the palette. */
export interface PointColors {
  palette: string[];
  index: Uint16Array;
  /** Discrete entries (label, class), or the continuous range (score). */
  /** Swatch items name their palette index (`color` = palette[index]; −1 = a note, not a colour of the map). */
  legend: { kind: 'swatches'; items: { color: string; text: string; index: number }[] } | { kind: 'ramp'; min: number; max: number; stops: string[] };
}

function hex([r, g, b]: [number, number, number]): string {
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}

/** The data colours are computed from (the store's records, looked up per id). */
export interface ColorInput {
  scores: Record<string, number>;
  labels: Record<string, Label>;
  predicted: (id: string) => number | undefined;
  classNames: readonly string[];
  /** The review flags at the current budget (derive.ts's deepSadFlags). */
  flagged?: ReadonlySet<string>;
  /** Whether an image's known class differs from its prediction (false when the class is unknown). */
  misclassified?: (id: string) => boolean;
}

/** Two-valued colourings: [colour, legend text] for false and true. */
const BINARY = {
  flagged: [['#9aa0a6', 'not flagged'], ['#ef6c00', 'flagged for review']],
  misclassified: [['#9aa0a6', 'correct or class unknown'], ['#6a1b9a', 'misclassified']],
} as const;

/** Colours of `ids` by `by`; points without the value (no score yet, no prediction) are light grey. */
export function pointColors(ids: readonly string[], by: MapColorBy, d: ColorInput): PointColors {
  const index = new Uint16Array(ids.length);
  if (by === 'label') {
    const keys = ['unlabeled', 'normal', 'anomalous'] as const;
    ids.forEach((id, i) => (index[i] = keys.indexOf(d.labels[id] ?? 'unlabeled')));
    return { palette: keys.map((k) => LABEL_COLORS[k]), index, legend: { kind: 'swatches', items: keys.map((k, i) => ({ color: LABEL_COLORS[k], text: k, index: i })) } };
  }
  if (by === 'flagged' || by === 'misclassified') {
    const test = by === 'flagged' ? (id: string) => !!d.flagged?.has(id) : (id: string) => !!d.misclassified?.(id);
    ids.forEach((id, i) => (index[i] = test(id) ? 1 : 0));
    const entries = BINARY[by];
    return { palette: entries.map((e) => e[0]), index, legend: { kind: 'swatches', items: entries.map(([color, text], i) => ({ color, text, index: i })) } };
  }
  if (by === 'predicted') {
    const palette = [...CATEGORICAL, MISSING];
    ids.forEach((id, i) => {
      const p = d.predicted(id);
      index[i] = p === undefined || p < 0 ? CATEGORICAL.length : p % CATEGORICAL.length;
    });
    const items = d.classNames.slice(0, CATEGORICAL.length).map((c, k) => ({ color: CATEGORICAL[k], text: c, index: k }));
    if (d.classNames.length > CATEGORICAL.length) items.push({ color: '#888', text: `classes wrap after ${CATEGORICAL.length}`, index: -1 });
    return { palette, index, legend: { kind: 'swatches', items } };
  }
  let min = Infinity;
  let max = -Infinity;
  for (const id of ids) {
    const v = d.scores[id];
    if (Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  const palette = [...Array.from({ length: SCORE_BINS }, (_, b) => hex(colorOf('inferno', b / (SCORE_BINS - 1)))), MISSING];
  ids.forEach((id, i) => {
    const v = d.scores[id];
    index[i] = Number.isFinite(v) ? scoreBin(v, min, max) : SCORE_BINS;
  });
  return { palette, index, legend: { kind: 'ramp', min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 0, stops: palette.slice(0, SCORE_BINS) } };
}

/** Bin 0..SCORE_BINS−1 of score v in [min, max] (the middle bin when the range is empty). */
export function scoreBin(v: number, min: number, max: number): number {
  if (!(max > min)) return SCORE_BINS >> 1;
  return Math.min(SCORE_BINS - 1, Math.max(0, Math.floor(((v - min) / (max - min)) * SCORE_BINS)));
}
