/**
 * Child process of bench:scale: the single-process audit's explain stage (Grad-CAM + deletion
 * faithfulness + peak patches, as `apexp audit` runs it) and `apexp score`'s scoring, each timed from
 * call to return in a fresh process (backend start and model load included, as a worker's first job
 * has them). Prints `{"explain_s": …, "score_s": …}` on stdout.
 * Usage: node --import tsx scripts/bench-scale/single-stages.ts MODEL IMAGES DETECTOR_DIR WORK_DIR
 */
import { join } from 'node:path';
import { runExplain } from '../../src/cli/commands/explain-run';
import { runScore } from '../../src/cli/commands/train-run';

const [model, images, detector, work] = process.argv.slice(2);
const t0 = performance.now();
await runExplain({ model, images: [images], out: join(work, 'explanations.jsonl'), target: 'predicted', size: [32, 32], batch: 32, resize: 'stretch', faithfulness: true, peakPatches: true });
const t1 = performance.now();
await runScore({ detector, explanations: join(work, 'explanations.jsonl'), out: join(work, 'scores.csv') });
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ explain_s: (t1 - t0) / 1000, score_s: (t2 - t1) / 1000 })}\n`);
