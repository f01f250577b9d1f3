/**
 * `npm run bench:rank`: the cost of the immediate re-rank after a label (core/audit/ranking.ts), the
 * learnt ranking (label votes in embedding space + the logistic fit) against the Deep SAD distance rank
 * alone, in the same run, at 1,000 and 10,000 images and 10, 100 and 1,000 labels, in 32-D (the
 * detector's rep_dim). Two geometries: `cube`, uniform in a cube (distances to c concentrate: the worst
 * case for the vote's radial pruning, radial-index.ts), and `spread`, random directions at log-normal
 * distances from c (as Deep SAD leaves them: most maps near c, a long tail).
 * Writes bench-results/rank.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { rankImages } from '../src/core/audit/ranking';
import { DEEPSAD_RANKING, DEFAULT_AUDITOR_SETTINGS, type RankingWeights } from '../src/core/audit/settings';
import { createRng } from '../src/core/random';

const REPEATS = 5;
const rng = createRng(1);
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
/** n points in 32-D around c = 0.5: uniform in the unit cube, or random directions at log-normal radii. */
function embeddings(n: number, geometry: 'cube' | 'spread'): Float32Array {
  if (geometry === 'cube') return Float32Array.from({ length: n * 32 }, () => rng());
  const z = new Float32Array(n * 32);
  for (let i = 0; i < n; i++) {
    const dir = Array.from({ length: 32 }, gauss);
    const norm = Math.hypot(...dir);
    const r = 0.3 * Math.exp(0.75 * gauss());
    for (let k = 0; k < 32; k++) z[i * 32 + k] = 0.5 + (r * dir[k]) / norm;
  }
  return z;
}

const rows: { geometry: string; n: number; labels: number; deepsad_ms: number; learnt_ms: number; ratio: number }[] = [];
for (const geometry of ['cube', 'spread'] as const) for (const n of [1000, 10000]) {
  for (const nl of [10, 100, 1000]) {
    const m = { embeddings: embeddings(n, geometry), c: new Float32Array(32).fill(0.5) };
    const labels = new Int8Array(n);
    for (let i = 0; i < nl; i++) labels[i * Math.floor(n / nl)] = i % 2 ? 1 : -1;
    const unconf = Float32Array.from({ length: n }, () => rng());
    const predicted = Int32Array.from({ length: n }, () => Math.floor(rng() * 3));
    const time = (w: RankingWeights): number => {
      rankImages([m], n, labels, w, unconf, predicted); // warm-up
      const t0 = performance.now();
      for (let k = 0; k < REPEATS; k++) rankImages([m], n, labels, w, unconf, predicted);
      return (performance.now() - t0) / REPEATS;
    };
    const deepsad = time(DEEPSAD_RANKING);
    const learnt = time(DEFAULT_AUDITOR_SETTINGS.ranking);
    rows.push({ geometry, n, labels: nl, deepsad_ms: Number(deepsad.toFixed(1)), learnt_ms: Number(learnt.toFixed(1)), ratio: Number((learnt / deepsad).toFixed(1)) });
    process.stdout.write(`| ${geometry} | ${n} | ${nl} | ${deepsad.toFixed(1)} | ${learnt.toFixed(1)} | ${(learnt / deepsad).toFixed(1)}× |\n`);
  }
}
await mkdir('bench-results', { recursive: true });
await writeFile('bench-results/rank.json', `${JSON.stringify({ command: 'npm run bench:rank', node: process.version, repeats: REPEATS, rows }, null, 2)}\n`);
