/**
 * Resuming a run a reload interrupted: the run is recorded in IndexedDB before it starts (persist.ts
 * `PendingRun`) and its explanations are saved as they stream, so after a reload the images already
 * explained keep their maps and only the rest are explained.
 */
import { demoId } from '../../workers/ingest.shared';
import { useAppStore } from '../state/store';
import { trainIfNeeded } from './detector';
import { BUNDLED_MODELS, ingestImages, loadDemo } from './ingest';
import { savePendingRun, type PendingRun } from './persist';

/** What a resumed run does: the ids it must not explain again, and how many are left. */
export interface ResumePlan {
  skip: string[];
  remaining: number;
}

/** The run's image ids, in run order. */
function runIds(run: PendingRun): string[] {
  return run.kind === 'ingest' ? run.ids : Array.from({ length: run.n }, (_, j) => demoId(run.seed, run.size, j));
}

/** The plan for `run` given the ids explained (and saved) before the reload: only the run's own ids count. */
export function planResume(run: PendingRun, explained: Iterable<string>): ResumePlan {
  const have = new Set(explained);
  const ids = runIds(run);
  const skip = ids.filter((id) => have.has(id));
  return { skip, remaining: ids.length - skip.length };
}

/** Resumes `run` after a reload, saying so in one line. */
export async function resumeRun(run: PendingRun): Promise<void> {
  const s = useAppStore.getState();
  const plan = planResume(run, Object.keys(s.explanations));
  const total = plan.skip.length + plan.remaining;
  if (!plan.remaining) {
    await savePendingRun(null);
    return;
  }
  if (run.kind === 'ingest' && run.model && !BUNDLED_MODELS.includes(run.model)) {
    // A dropped model is not kept across a reload: explaining with another one would mix two models' maps.
    s.notify('error', `The reload interrupted a run with the dropped model "${run.model}", which the browser does not keep: ${plan.remaining} of ${total} images were not explained. Drop the model with those images again.`);
    await savePendingRun(null);
    return;
  }
  s.notify('info', `Resuming the run the reload interrupted: ${plan.skip.length} of ${total} images were already explained; explaining the other ${plan.remaining}.`);
  if (run.kind === 'demo') return loadDemo(run.n, run.seed, run.size, plan.skip);
  const skip = new Set(plan.skip);
  const keep = run.ids.map((id, i) => i).filter((i) => !skip.has(run.ids[i]));
  await ingestImages(keep.map((i) => run.files[i]), keep.map((i) => run.ids[i]), keep.map((i) => run.truths[i]));
  void trainIfNeeded();
}
