// The audit's pure analysis: known-anomaly sampling, thresholds, detector quality, accuracy, the report.
export { pickKnownAnomalies } from './known-anomalies';
export { accuracyBeforeAfter, evaluateDetector, thresholdAtFraction, type AccuracyResult, type DetectorResult } from './evaluate';
export { buildAuditReport, auditMarkdown, type AuditInput, type AuditReport } from './report';
export { PEAK_INPUT_CHANNELS, PEAK_PATCH_FRACTION, peakCell, peakPatch, withPeakPatches } from './peak-patch';
export { compareAudits, compareFlags, comparisonMarkdown, type AuditComparison, type ComparedAudit, type ComparisonCell, type FlagSet } from './comparison';
