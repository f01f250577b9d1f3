import { cancelTraining, startTraining } from '../actions/detector';
import { useAppStore } from '../state/store';
import { LossChart } from './LossChart';

const STATUS_TEXT: Record<string, string> = {
  idle: 'Not trained yet: it starts by itself once images are explained.',
  training: 'Training…',
  done: 'Detector ready: a label re-ranks at once, then the detector learns it in the background.',
  cancelled: 'Cancelled; the last good detector is kept.',
  diverged: 'Diverged (NaN): stopped, the last good detector is kept.',
  error: 'Training failed.',
};

/** Deep SAD settings, the (re)train button, status and the live loss chart. */
export function TrainPanel() {
  const settings = useAppStore((s) => s.settings);
  const setSettings = useAppStore((s) => s.setSettings);
  const status = useAppStore((s) => s.trainStatus);
  const message = useAppStore((s) => s.trainMessage);
  const progress = useAppStore((s) => s.trainProgress);
  const backend = useAppStore((s) => s.detectorBackend);
  const updating = useAppStore((s) => s.updating);
  const nExpl = useAppStore((s) => Object.keys(s.explanations).length);
  const training = status === 'training';
  return (
    <section className="train" aria-label="Deep SAD training">
      <h2>Deep SAD {backend && <small data-testid="detector-backend">on {backend}</small>}</h2>
      <div className="train-settings">
        <label>
          Input{' '}
          <select value={settings.input} onChange={(e) => setSettings({ input: e.target.value as typeof settings.input })} data-testid="detector-input">
            <option value="heatmap-peak">map + patch under its peak</option>
            <option value="heatmap">map alone</option>
          </select>
        </label>
        <label>
          Steps <input type="number" min={1} max={100000} value={settings.trainSteps} onChange={(e) => setSettings({ trainSteps: Math.max(1, Math.round(Number(e.target.value)) || 1) })} data-testid="train-steps" />
        </label>
        <label>
          <input type="checkbox" checked={settings.aeSteps > 0} onChange={(e) => setSettings({ aeSteps: e.target.checked ? Math.max(1, Math.round(settings.trainSteps / 2)) : 0 })} /> autoencoder pretraining
        </label>
        <label>
          Detectors <input type="number" min={1} max={10} value={settings.ensemble} onChange={(e) => setSettings({ ensemble: Math.min(10, Math.max(1, Math.round(Number(e.target.value)) || 1)) })} data-testid="ensemble" />
        </label>
        <label>
          η <input type="number" min={0.01} step={0.1} value={settings.eta} onChange={(e) => setSettings({ eta: Number(e.target.value) || 1 })} />
        </label>
        <label>
          learning rate <input type="number" min={1e-6} step={1e-4} value={settings.lr} onChange={(e) => setSettings({ lr: Number(e.target.value) || 1e-3 })} />
        </label>
      </div>
      {training ? (
        <button type="button" data-testid="cancel-training" onClick={cancelTraining}>
          Cancel training
        </button>
      ) : (
        <button type="button" data-testid="train-button" disabled={nExpl === 0} onClick={() => void startTraining()} title="Train from scratch on every explanation (t)">
          Train again <kbd>t</kbd>
        </button>
      )}
      <p className={`train-status ${status}`} data-testid="train-status" data-status={status}>
        {message || STATUS_TEXT[status]}
        {training && progress && ` ${progress.label} ${progress.done}/${progress.total}`}
        {!training && updating && ' Learning your latest labels…'}
      </p>
      <LossChart />
    </section>
  );
}
