/**
 * A 2-D map of embeddings (the detector's Deep SAD embeddings, n × repDim) with UMAP (umap-js).
 *
 * UMAP in JavaScript costs seconds beyond a few thousand points, so it is fitted on a seeded sample of
 * at most `maxFit` (1,000) points and the rest are placed by the weighted mean of their k nearest sampled
 * neighbours (knn-place.ts). Not `umap.transform`: in umap-js it runs a neighbour search and an SGD per
 * call, far slower than one exact k-NN pass at these sizes, and the mean puts every point among the
 * sampled points it is closest to, which is what a reader of the map expects. The neighbour graph is
 * exact (exact-knn.ts, chunked) and the fit runs epoch by epoch, with `pause` in between, so the
 * host's other messages (labels) are not blocked; a seed makes the layout reproducible.
 */
import { UMAP } from 'umap-js';
import { createRng, permutation } from '../random';
import { exactKnn } from './exact-knn';
import { normaliseLayout, placeByNeighbours } from './knn-place';

/** How the map is computed. */
export interface LayoutOptions {
  /** Seed of the sample and of UMAP's random init (default 1). */
  seed?: number;
  /** Most points UMAP is fitted on (default 1000: umap-js builds its fuzzy graph in one uninterrupted call, ~0.5 s at 1,000 points on a busy core); the rest are placed by their neighbours. */
  maxFit?: number;
  /** UMAP's neighbourhood size (default 15; clamped below the point count). */
  nNeighbors?: number;
  /** UMAP's minimum distance between embedded points (default 0.1). */
  minDist?: number;
  /** UMAP optimisation epochs (default 200). */
  nEpochs?: number;
  /** Sampled neighbours averaged when placing the rest (default 5). */
  k?: number;
  /** Awaited between epochs and placement chunks (a worker passes a macrotask pause). */
  pause?: () => Promise<void>;
  /** Stops the computation (resolves null). */
  signal?: AbortSignal;
}

/** Epochs between two pauses. */
const EPOCHS_PER_PAUSE = 10;
/** Points placed between two pauses. */
const PLACE_CHUNK = 1000;
/** Sampled points whose neighbours are searched between two pauses. */
const KNN_CHUNK = 250;

/**
 * Positions of n points in [0, 1]², n·2 (x, y per point, aspect kept), or null when `signal` aborted.
 * @param data n·dim row-major, finite values.
 */
export async function umapLayout(data: Float32Array, dim: number, opts: LayoutOptions = {}): Promise<Float32Array | null> {
  const n = dim > 0 ? data.length / dim : 0;
  const pause = opts.pause ?? (() => Promise.resolve());
  const out = new Float32Array(n * 2);
  if (n <= 3) {
    // Too few for a neighbour graph: a fixed spread keeps them apart and visible.
    for (let i = 0; i < n; i++) {
      out[i * 2] = n === 1 ? 0.5 : i / (n - 1);
      out[i * 2 + 1] = 0.5;
    }
    return out;
  }
  const rng = createRng(opts.seed ?? 1);
  const maxFit = Math.max(4, opts.maxFit ?? 1000);
  const sample = n <= maxFit ? Uint32Array.from({ length: n }, (_, i) => i) : permutation(n, rng).subarray(0, maxFit).sort();
  const rows: number[][] = Array.from(sample, (i) => Array.from(data.subarray(i * dim, (i + 1) * dim)));
  const nNeighbors = Math.max(2, Math.min(opts.nNeighbors ?? 15, sample.length - 1));
  const umap = new UMAP({ nComponents: 2, nNeighbors, minDist: opts.minDist ?? 0.1, nEpochs: opts.nEpochs ?? 200, random: rng });
  // The neighbour graph is exact and computed in chunks with pauses (umap-js's own search would block for seconds).
  const packed = Float32Array.from(rows.flat());
  const knn: { indices: number[][]; distances: number[][] } = { indices: [], distances: [] };
  for (let from = 0; from < sample.length; from += KNN_CHUNK) {
    const part = exactKnn(packed, dim, nNeighbors, from, Math.min(sample.length, from + KNN_CHUNK));
    knn.indices.push(...part.indices);
    knn.distances.push(...part.distances);
    await pause();
    if (opts.signal?.aborted) return null;
  }
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  const epochs = umap.initializeFit(rows);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if (e % EPOCHS_PER_PAUSE === EPOCHS_PER_PAUSE - 1) {
      await pause();
      if (opts.signal?.aborted) return null;
    }
  }
  const emb = umap.getEmbedding();
  const sampleXY = new Float32Array(sample.length * 2);
  emb.forEach((p, s) => {
    sampleXY[s * 2] = p[0];
    sampleXY[s * 2 + 1] = p[1];
  });
  for (let from = 0; from < n; from += PLACE_CHUNK) {
    placeByNeighbours(data, dim, sample, sampleXY, opts.k ?? 5, out, from, Math.min(n, from + PLACE_CHUNK));
    await pause();
    if (opts.signal?.aborted) return null;
  }
  return normaliseLayout(out);
}
