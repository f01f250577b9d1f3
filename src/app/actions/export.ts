/**
 * Keep and share: CSV of scores and labels (papaparse), a JSON report, the detector bundle, and the
 * whole project as one zip (fflate) that imports back without loss.
 */
import { strToU8, zipSync } from 'fflate';
import Papa from 'papaparse';
import { f1AtThreshold } from '../../core/metrics';
import { effectiveThreshold, flagsOf, isMisclassified } from '../state/derive';
import { useAppStore } from '../state/store';

/** Offers `blob` as a download named `name`. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The rows of the CSV export, one per image, in ingest order. */
export function csvRows(): Record<string, string | number>[] {
  const s = useAppStore.getState();
  const flags = flagsOf(s).deepsad;
  return s.imageIds.map((id) => {
    const e = s.explanations[id];
    const score = s.scores[id];
    return {
      id,
      predicted: e ? e.predicted : '',
      target: e ? e.target : '',
      score: Number.isFinite(score) ? score : '',
      label: s.labels[id] ?? '',
      flagged: flags.has(id) ? 1 : 0,
      faithfulness: e && Number.isFinite(e.faithfulness) ? e.faithfulness : '',
    };
  });
}

/** CSV text: header `id,predicted,target,score,label,flagged,faithfulness`. */
export function toCsv(): string {
  return Papa.unparse(csvRows(), { columns: ['id', 'predicted', 'target', 'score', 'label', 'flagged', 'faithfulness'] });
}

/** Downloads the CSV. */
export function exportCsv(): void {
  download(new Blob([toCsv()], { type: 'text/csv' }), 'apexp-scores.csv');
}

/** The JSON report (DESIGN.md `report.json` fields that apply in the browser). */
export function buildReport(): Record<string, unknown> {
  const s = useAppStore.getState();
  const flags = flagsOf(s);
  const n = s.imageIds.length;
  const withTruth = s.imageIds.filter((id) => (s.images[id]?.truth ?? -1) >= 0 && s.explanations[id]);
  const report: Record<string, unknown> = {
    n_images: n,
    n_skipped: s.skipped.length,
    budget: s.budget,
    flagged_fraction: n ? flags.deepsad.size / n : 0,
    threshold: effectiveThreshold(s),
    model: s.activeModel,
    n_labeled: { normal: Object.values(s.labels).filter((l) => l === 'normal').length, anomalous: Object.values(s.labels).filter((l) => l === 'anomalous').length },
  };
  if (withTruth.length) {
    const wrong = withTruth.filter((id) => isMisclassified(s, id));
    report.accuracy_before = 1 - wrong.length / withTruth.length;
    const remaining = wrong.filter((id) => !flags.deepsad.has(id)).length;
    report.accuracy_after = 1 - remaining / withTruth.length;
    if (wrong.length) {
      const truth = withTruth.map((id) => (isMisclassified(s, id) ? 1 : 0));
      const detectors: Record<string, unknown> = {};
      for (const [name, set] of Object.entries(flags)) {
        const r = f1AtThreshold(withTruth.map((id) => (set.has(id) ? 1 : 0)), truth, 1);
        detectors[name] = { f1: r.f1, precision: r.precision, recall: r.recall, flagged: r.flagged };
      }
      report.detectors = detectors;
    }
  }
  report.settings = s.settings;
  return report;
}

/** Downloads the JSON report. */
export function exportReport(): void {
  download(new Blob([JSON.stringify(buildReport(), null, 2)], { type: 'application/json' }), 'apexp-report.json');
}

/** Downloads the Deep SAD detector: the bundle's JSON header and its weights, in one zip. */
export function exportDetector(): void {
  const { detector, notify } = useAppStore.getState();
  if (!detector) {
    notify('info', 'No detector yet: train first.');
    return;
  }
  const { weightData, ...header } = detector;
  const zip = zipSync({ 'detector.json': strToU8(JSON.stringify(header)), 'weights.bin': new Uint8Array(weightData) });
  download(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'apexp-detector.zip');
}
