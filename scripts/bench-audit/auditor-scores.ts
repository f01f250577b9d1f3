/** The product's detector in the audit benchmark: core/audit's Auditor with DEFAULT_AUDITOR_SETTINGS. */
import { Auditor } from '../../src/core/audit/auditor';
import { DEFAULT_AUDITOR_SETTINGS } from '../../src/core/audit/settings';

/** One explained set as the auditor takes it: detector inputs, 1 − max softmax and the predicted class per image. */
export interface AuditorSet {
  x: Float32Array;
  n: number;
  unconf: Float32Array;
  predicted: Int32Array;
}

/**
 * The auditor's rankings of the test images, trained on the reference explanations: with the
 * analyst's labels (`semi`) and without (one base training shared by both, as the app trains once and
 * applies labels by its bounded update and its learnt ranking).
 */
export async function auditorScores(ref: AuditorSet, semi: Int8Array, test: AuditorSet, seed: number): Promise<[Float32Array, Float32Array]> {
  const nRef = ref.n;
  const settings = { ...structuredClone(DEFAULT_AUDITOR_SETTINGS), seed };
  const ids = Array.from({ length: nRef }, (_, i) => String(i));
  const plain = new Auditor(settings, [32, 32]);
  const labeled = new Auditor(settings, [32, 32]);
  try {
    plain.upsert(ids, ref.x, ref.unconf, ref.predicted);
    await plain.train();
    const unlabeled = (await plain.rankExternal(test.x, test.n, test.unconf, test.predicted)).score;
    labeled.upsert(ids, ref.x, ref.unconf, ref.predicted);
    labeled.setLabels(new Map(ids.map((id, i) => [id, semi[i]] as [string, number]).filter(([, y]) => y !== 0)));
    await labeled.restore(plain.bundles());
    return [(await labeled.rankExternal(test.x, test.n, test.unconf, test.predicted)).score, unlabeled];
  } finally {
    plain.dispose();
    labeled.dispose();
  }
}
