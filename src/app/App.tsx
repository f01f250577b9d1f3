import { AuditPanel } from './AuditPanel';
import { BackendBadge } from './BackendBadge';
import { ComparePanel } from './ComparePanel';
import { DetailView } from './DetailView';
import { ExportBar } from './ExportBar';
import { Gallery } from './Gallery';
import { HelpOverlay } from './HelpOverlay';
import { IngestBar } from './IngestBar';
import { LabelBar } from './LabelBar';
import { MapPanel } from './MapPanel';
import { Notifier } from './Notifier';
import { RunProgress } from './RunProgress';
import { TrainPanel } from './TrainPanel';
import { useKeyboard } from './keyboard';
import { useGalleryOrder } from './state/hooks';
import { useAppStore } from './state/store';

/** The auditor: ingest, gallery with labels, detail, training and review. */
export function App() {
  const order = useGalleryOrder();
  const setHelpOpen = useAppStore((s) => s.setHelpOpen);
  useKeyboard(order);
  return (
    <div className="app">
      <header>
        <h1>APEXP explanation auditor</h1>
        <span className="privacy">Runs entirely in this browser: nothing leaves the machine.</span>
        <BackendBadge />
        <button type="button" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
      </header>
      <Notifier />
      <IngestBar />
      <RunProgress />
      <main>
        <div className="left">
          <MapPanel />
          <LabelBar order={order} />
          <Gallery order={order} />
        </div>
        <aside className="right">
          <DetailView />
          <TrainPanel />
          <AuditPanel />
          <ComparePanel />
          <ExportBar />
        </aside>
      </main>
      <HelpOverlay />
    </div>
  );
}
