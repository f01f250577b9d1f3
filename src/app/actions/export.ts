/**
 * Keep and share: CSV of scores and labels (papaparse), a JSON report, the detector bundle, and the
 * whole project as one zip (fflate) that imports back without loss.
 */
import { strToU8, zipSync } from 'fflate';
import Papa from 'papaparse';
import { buildAuditReport, type AuditReport } from '../../core/audit/report';
import { explanationConfidence, flagsOf, semiTargetsOf } from '../state/derive';
import type { ImportedSource } from '../state/images.slice';
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
      predicted: e && e.predicted >= 0 ? e.predicted : '',
      target: e && e.target >= 0 ? e.target : '',
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

/**
 * The JSON report: core's report.json (the CLI's schema, buildAuditReport) over the explained images,
 * with the same flag rule, baselines and held-out agreement the app shows.
 */
export function buildReport(): AuditReport {
  const s = useAppStore.getState();
  if (s.source?.kind === 'imported') return importedReport();
  const ids = s.imageIds.filter((id) => s.explanations[id]);
  const classNames = s.models.find((m) => m.name === s.activeModel)?.classNames ?? [];
  const numClasses = ids.length ? s.explanations[ids[0]].probs.length : classNames.length;
  const probs = new Float32Array(ids.length * numClasses);
  ids.forEach((id, i) => probs.set(s.explanations[id].probs.subarray(0, numClasses), i * numClasses));
  const hasTruth = ids.some((id) => (s.images[id]?.truth ?? -1) >= 0);
  return buildAuditReport({
    ids,
    classNames,
    predicted: Int32Array.from(ids, (id) => s.explanations[id].predicted),
    probs,
    numClasses,
    deepsad: Float32Array.from(ids, (id) => s.scores[id] ?? NaN),
    faithfulness: Float32Array.from(ids, (id) => s.explanations[id].faithfulness),
    truth: hasTruth ? Int32Array.from(ids, (id) => s.images[id]?.truth ?? -1) : undefined,
    semiTargets: semiTargetsOf(ids, s.labels),
    budget: s.budget,
    agreement: s.agreement,
    seed: s.settings.seed,
    skipped: s.skipped.map((k) => ({ id: k.name, reason: k.reason })),
    settings: { explanations: 'model', model: s.activeModel, explain: s.explainOptions, heatmap_size: s.heatmapSize, auditor: s.settings, backend: s.backend, detector_backend: s.detectorBackend },
  });
}

/**
 * The report of maps made elsewhere: as the CLI's `audit --heatmaps`, it leaves out what has no input
 * here: probabilities and the deletion baseline always; predictions, accuracy and the confidence
 * baseline without predictions.csv.
 */
function importedReport(): AuditReport {
  const s = useAppStore.getState();
  const source = s.source as ImportedSource;
  const ids = s.imageIds.filter((id) => s.explanations[id]);
  const hasTruth = source.predictions && ids.some((id) => (s.images[id]?.truth ?? -1) >= 0);
  return buildAuditReport({
    ids,
    classNames: source.classNames,
    predicted: source.predictions ? Int32Array.from(ids, (id) => s.explanations[id].predicted) : null,
    probs: null,
    numClasses: source.classNames.length,
    confidence: source.predictions ? Float32Array.from(ids, (id) => explanationConfidence(s.explanations[id])) : null,
    deepsad: Float32Array.from(ids, (id) => s.scores[id] ?? NaN),
    faithfulness: null,
    truth: hasTruth ? Int32Array.from(ids, (id) => s.images[id]?.truth ?? -1) : undefined,
    semiTargets: semiTargetsOf(ids, s.labels),
    budget: s.budget,
    agreement: s.agreement,
    seed: s.settings.seed,
    skipped: s.skipped.map((k) => ({ id: k.name, reason: k.reason })),
    settings: { explanations: 'imported', format: source.format, predictions: source.predictions, heatmap_size: s.heatmapSize, input: s.settings.input, auditor: s.settings, detector_backend: s.detectorBackend },
  });
}

/** Downloads the JSON report. */
export function exportReport(): void {
  download(new Blob([JSON.stringify(buildReport(), null, 2)], { type: 'application/json' }), 'apexp-report.json');
}

/** Downloads the Deep SAD detectors: each member's JSON header and weights (member-1/, … for an ensemble), in one zip. */
export function exportDetector(): void {
  const { detectors, notify } = useAppStore.getState();
  if (!detectors.length) {
    notify('info', 'No detector yet: train first.');
    return;
  }
  const files: Record<string, Uint8Array> = {};
  detectors.forEach((d, j) => {
    const { weightData, ...header } = d;
    const dir = detectors.length === 1 ? '' : `member-${j + 1}/`;
    files[`${dir}detector.json`] = strToU8(JSON.stringify(header));
    files[`${dir}weights.bin`] = new Uint8Array(weightData);
  });
  const zip = zipSync(files);
  download(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'apexp-detector.zip');
}
