/** The product's detector in the audit benchmark: core/audit's Auditor with DEFAULT_AUDITOR_SETTINGS. */
import { Auditor } from '../../src/core/audit/auditor';
import { DEFAULT_AUDITOR_SETTINGS } from '../../src/core/audit/settings';

/**
 * The auditor's rankings of the test images, trained on the reference explanations: with the
 * analyst's labels (`semi`) and without (one base training shared by both, as the app trains once and
 * applies labels by its bounded update).
 */
export async function auditorScores(ref: Float32Array, nRef: number, semi: Int8Array, test: Float32Array, nTest: number, unconf: Float32Array, seed: number): Promise<[Float32Array, Float32Array]> {
  const settings = { ...structuredClone(DEFAULT_AUDITOR_SETTINGS), seed };
  const ids = Array.from({ length: nRef }, (_, i) => String(i));
  const plain = new Auditor(settings, [32, 32]);
  const labeled = new Auditor(settings, [32, 32]);
  try {
    plain.upsert(ids, ref);
    await plain.train();
    const unlabeled = (await plain.rankExternal(test, nTest, unconf)).score;
    labeled.upsert(ids, ref);
    labeled.setLabels(new Map(ids.map((id, i) => [id, semi[i]] as [string, number]).filter(([, y]) => y !== 0)));
    await labeled.restore(plain.bundles());
    return [(await labeled.rankExternal(test, nTest, unconf)).score, unlabeled];
  } finally {
    plain.dispose();
    labeled.dispose();
  }
}
