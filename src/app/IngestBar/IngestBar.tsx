import { useState } from 'react';
import { explainAll, ingestFiles, loadDemo, useModelAndExplain } from '../actions/ingest';
import { newSession } from '../actions/session';
import { CAM_METHODS, DEFAULT_CAM_METHOD, type CamMethod } from '../../core/gradcam/cam-methods';
import { useAppStore } from '../state/store';
import { filesFromDrop, filesFromInput } from './files';

/** How pytorch-grad-cam's users know the methods. */
const CAM_METHOD_NAMES: Record<CamMethod, string> = { gradcam: 'Grad-CAM', 'gradcam++': 'Grad-CAM++', hirescam: 'HiResCAM', xgradcam: 'XGrad-CAM', layercam: 'LayerCAM' };

/** Demo sizes offered (images). */
export const DEMO_SIZES = [24, 60, 300, 1000] as const;

/** Getting data in: the demo, a drop zone, file and folder pickers, and the model picker. */
export function IngestBar() {
  const [n, setN] = useState<number>(DEMO_SIZES[0]);
  const [over, setOver] = useState(false);
  const models = useAppStore((s) => s.models);
  const active = useAppStore((s) => s.activeModel);
  const skipped = useAppStore((s) => s.skipped);
  const busy = useAppStore((s) => s.run.kind !== 'idle');
  const nImages = useAppStore((s) => s.imageIds.length);
  const info = models.find((m) => m.name === active);
  const options = useAppStore((s) => s.explainOptions);
  const setOptions = useAppStore((s) => s.setExplainOptions);
  return (
    <section className="ingest" aria-label="Load data">
      <div className="demo">
        <label>
          Demo size{' '}
          <select data-testid="demo-size" value={n} onChange={(e) => setN(Number(e.target.value))}>
            {DEMO_SIZES.map((k) => (
              <option key={k} value={k}>
                {k.toLocaleString('en')} images
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="load-demo" disabled={busy} onClick={() => void loadDemo(n)}>
          Try the insulator demo
        </button>
      </div>
      <div
        className={`drop-zone${over ? ' over' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void filesFromDrop(e.dataTransfer).then(ingestFiles);
        }}
      >
        <p>
          Drop images, folders (named by class), a model (model.json + weights + metadata.json), or a detection dataset (its images with their COCO .json or Pascal VOC .xml: each box of the model's classes becomes a crop) here. Heatmaps made elsewhere, with no model: a folder of grayscale PNG maps, a .npy [N, H, W] with
          ids.txt, or an explanations.jsonl, optionally with predictions.csv (id,predicted,confidence) and the images they explain
        </p>
        <label className="file-button">
          Choose files
          <input type="file" data-testid="file-input" multiple accept="image/*,.json,.bin,.xml,.npy,.jsonl,.txt,.csv" onChange={(e) => void ingestFiles(filesFromInput(e.currentTarget))} />
        </label>
        <label className="file-button">
          Choose a folder
          <input type="file" data-testid="folder-input" multiple {...{ webkitdirectory: '' }} onChange={(e) => void ingestFiles(filesFromInput(e.currentTarget))} />
        </label>
        <label className="file-button">
          Choose a heatmaps folder
          <input type="file" data-testid="heatmaps-input" multiple {...{ webkitdirectory: '' }} onChange={(e) => void ingestFiles(filesFromInput(e.currentTarget), true)} />
        </label>
        {nImages > 0 && (
          <button type="button" data-testid="new-session" disabled={busy} onClick={() => void newSession()}>
            New session
          </button>
        )}
      </div>
      {models.length > 0 && (
        <div className="models">
          <label>
            Model{' '}
            <select data-testid="model-select" value={active ?? ''} disabled={busy} onChange={(e) => void useModelAndExplain(e.target.value)}>
              {models.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name} ({m.inputShape.join('×')}, {m.classNames.length} classes)
                </option>
              ))}
            </select>
          </label>
          <label>
            Method{' '}
            <select data-testid="method-select" value={options.method ?? DEFAULT_CAM_METHOD} disabled={busy} onChange={(e) => setOptions({ method: e.target.value === DEFAULT_CAM_METHOD ? undefined : (e.target.value as CamMethod) })}>
              {CAM_METHODS.map((m) => (
                <option key={m} value={m}>
                  {CAM_METHOD_NAMES[m]}
                  {m === DEFAULT_CAM_METHOD ? ' (default)' : ''}
                </option>
              ))}
            </select>
          </label>
          {info && info.layers.length > 1 && (
            <label>
              Grad-CAM layer{' '}
              <select data-testid="layer-select" value={options.layer ?? info.layer} disabled={busy} onChange={(e) => setOptions({ layer: e.target.value === info.layer ? undefined : e.target.value })}>
                {info.layers.map((l) => (
                  <option key={l} value={l}>
                    {l}
                    {l === info.layer ? ' (default)' : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
          {info && (
            <label>
              Explained class{' '}
              <select
                data-testid="target-select"
                value={String(options.target)}
                disabled={busy}
                onChange={(e) => setOptions({ target: e.target.value === 'predicted' ? 'predicted' : Number(e.target.value) })}
              >
                <option value="predicted">predicted class (default)</option>
                {info.classNames.map((c, i) => (
                  <option key={c} value={i}>
                    always {c}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="button" data-testid="explain-again" disabled={busy} onClick={() => void explainAll()}>
            Explain again
          </button>
        </div>
      )}
      {skipped.length > 0 && (
        <details className="skipped" data-testid="skipped" open>
          <summary>{skipped.length} file(s) skipped</summary>
          <ul>
            {skipped.map((s, i) => (
              <li key={i}>
                <code>{s.name}</code>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
