import { startTraining } from '../actions/train';
import { useAppStore } from '../state/store';
import { LossChart } from './LossChart';

const STATUS_TEXT: Record<string, string> = {
  idle: 'Not trained yet.',
  training: 'Training…',
  fineTuning: 'Fine-tuning on the new labels…',
  done: 'Detector ready; new labels fine-tune it and re-rank the gallery.',
  cancelled: 'Cancelled; the last good detector is kept.',
  diverged: 'Diverged (NaN): stopped, the last good detector is kept.',
  error: 'Training failed.',
};

/** Deep SAD settings, the train button, status and the live loss chart. */
export function TrainPanel() {
  const settings = useAppStore((s) => s.settings);
  const setSettings = useAppStore((s) => s.setSettings);
  const status = useAppStore((s) => s.trainStatus);
  const message = useAppStore((s) => s.trainMessage);
  const busy = useAppStore((s) => s.run.kind !== 'idle');
  const nExpl = useAppStore((s) => Object.keys(s.explanations).length);
  return (
    <section className="train" aria-label="Deep SAD training">
      <h2>Deep SAD</h2>
      <div className="train-settings">
        <label>
          Epochs <input type="number" min={1} max={500} value={settings.nEpochs} onChange={(e) => setSettings({ nEpochs: Math.max(1, Number(e.target.value) || 1) })} />
        </label>
        <label>
          <input type="checkbox" checked={settings.pretrain} onChange={(e) => setSettings({ pretrain: e.target.checked })} /> autoencoder pretraining
        </label>
        {settings.pretrain && (
          <label>
            AE epochs <input type="number" min={1} max={500} value={settings.aeNEpochs} onChange={(e) => setSettings({ aeNEpochs: Math.max(1, Number(e.target.value) || 1) })} />
          </label>
        )}
        <label>
          η <input type="number" min={0.01} step={0.1} value={settings.eta} onChange={(e) => setSettings({ eta: Number(e.target.value) || 1 })} />
        </label>
        <label>
          learning rate <input type="number" min={1e-6} step={1e-4} value={settings.lr} onChange={(e) => setSettings({ lr: Number(e.target.value) || 1e-3 })} />
        </label>
      </div>
      <button type="button" data-testid="train-button" disabled={busy || nExpl === 0} onClick={() => void startTraining()}>
        Train <kbd>t</kbd>
      </button>
      <p className={`train-status ${status}`} data-testid="train-status" data-status={status}>
        {message || STATUS_TEXT[status]}
      </p>
      <LossChart />
    </section>
  );
}
