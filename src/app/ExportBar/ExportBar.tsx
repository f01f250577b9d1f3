import { exportCsv, exportDetector, exportReport } from '../actions/export';
import { exportProject, importProject } from '../actions/project';
import { reportError } from '../actions/run';
import { useAppStore } from '../state/store';

/** Keep and share: CSV, JSON report, detector, project file export and import. */
export function ExportBar() {
  const n = useAppStore((s) => s.imageIds.length);
  const hasDetector = useAppStore((s) => s.detectors.length > 0);
  return (
    <section className="export" aria-label="Export and share">
      <button type="button" data-testid="export-csv" disabled={!n} onClick={exportCsv}>
        Export CSV
      </button>
      <button type="button" data-testid="export-report" disabled={!n} onClick={exportReport}>
        JSON report
      </button>
      <button type="button" data-testid="export-detector" disabled={!hasDetector} onClick={exportDetector}>
        Download detector
      </button>
      <button type="button" data-testid="export-project" disabled={!n} onClick={() => void exportProject().catch((e) => reportError(e, 'project export failed'))}>
        Export project
      </button>
      <label className="file-button">
        Open project
        <input
          type="file"
          accept=".zip,application/zip"
          data-testid="import-project"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (f) void importProject(f);
          }}
        />
      </label>
    </section>
  );
}
