/**
 * Resuming a run a reload interrupted: the run is recorded in IndexedDB before it starts (persist.ts
 * `PendingRun`) and its explanations are saved as they stream, so after a reload the images already
 * explained keep their maps and only the rest are explained.
 */
import { demoId } from '../../workers/ingest.shared';
import { useAppStore } from '../state/store';
import { loadDemo } from './ingest';
import { savePendingRun, type PendingRun } from './persist';

/** What a resumed run does: the ids it must not explain again, and how many are left. */
export interface ResumePlan {
  skip: string[];
  remaining: number;
}

/** The plan for `run` given the ids explained (and saved) before the reload: only the run's own ids count. */
export function planResume(run: PendingRun, explained: Iterable<string>): ResumePlan {
  const have = new Set(explained);
  const skip: string[] = [];
  for (let j = 0; j < run.n; j++) {
    const id = demoId(run.seed, run.size, j);
    if (have.has(id)) skip.push(id);
  }
  return { skip, remaining: run.n - skip.length };
}

/** Resumes `run` after a reload, saying so in one line. */
export async function resumeRun(run: PendingRun): Promise<void> {
  const s = useAppStore.getState();
  const plan = planResume(run, Object.keys(s.explanations));
  if (!plan.remaining) {
    await savePendingRun(null);
    return;
  }
  s.notify('info', `Resuming the run the reload interrupted: ${plan.skip.length} of ${run.n} images were already explained; explaining the other ${plan.remaining}.`);
  await loadDemo(run.n, run.seed, run.size, plan.skip);
}
