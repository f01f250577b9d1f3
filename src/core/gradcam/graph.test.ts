import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fixture from './fixtures/graph-skip.model.json';
import { loadClassifier } from '../classifier/load';
import { UnsupportedModelError } from '../classifier/errors';
import { createGradCam } from './grad-cam';
import { maxAbsDiff, randomImages, referenceCam } from './test-helpers';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

const SIZE: [number, number] = [8, 8];
type Spec = { name: string; shape: number[]; dtype: 'float32' | 'int32' };
const weights = fixture.weights as Record<string, number[]>;
const specs = fixture.weightSpecs as Spec[];

/** The fixture as tfjs artifacts: its listed weights packed into one buffer in weightSpecs order. */
function artifacts(extraNodes: object[] = []): tf.io.ModelArtifacts {
  const parts = specs.map((s) => (s.dtype === 'int32' ? new Int32Array(weights[s.name]) : new Float32Array(weights[s.name])));
  const data = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    data.set(new Uint8Array(p.buffer), at);
    at += p.byteLength;
  }
  const topo = { ...fixture.modelTopology, node: [...fixture.modelTopology.node, ...extraNodes] };
  return { format: 'graph-model', modelTopology: topo, weightSpecs: specs, weightData: data.buffer };
}

const w = (name: string, shape: number[]) => tf.tensor(weights[name], shape);

describe('Grad-CAM on a GraphModel (hand-written JSON fixture)', () => {
  it('explains the logits through intermediate nodes, with a skip from before the target', async () => {
    const clf = await loadClassifier(tf.io.fromMemory(artifacts()));
    expect(clf.kind).toBe('graph');
    expect(clf.inputShape).toEqual([8, 8, 3]);
    expect(clf.endsInSoftmax).toBe(true);
    expect(clf.targetCandidates()).toEqual(['conv1', 'bias1', 'relu1', 'conv2', 'relu2', 'add']);
    expect(clf.defaultTarget).toBe('add');

    const x = randomImages(5, 8, 8, 3, 21);
    const [w1, b1, w2, w3, b3] = [w('w1', [3, 3, 3, 4]), w('b1', [4]), w('w2', [3, 3, 4, 4]), w('w3', [4, 3]), w('b3', [3])];
    const relu1 = (xi: tf.Tensor4D) => tf.conv2d(xi, w1 as tf.Tensor4D, 1, 'same').add(b1).relu() as tf.Tensor4D;
    const relu2 = (r1: tf.Tensor4D) => tf.conv2d(r1, w2 as tf.Tensor4D, 1, 'same').relu() as tf.Tensor4D;
    const logits = (sum: tf.Tensor) => sum.mean([1, 2]).matMul(w3).add(b3) as tf.Tensor2D;

    // target relu2: the head needs relu1 (computed before the target) as a second input
    const camMid = createGradCam(clf, { layer: 'relu2', size: SIZE });
    const mid = await camMid.explain(x);
    let r1: tf.Tensor4D | undefined;
    const refMid = referenceCam(
      (xi) => {
        r1 = relu1(xi);
        return relu2(r1);
      },
      (a) => logits(a.add(r1 as tf.Tensor)),
      x,
      'predicted',
      SIZE,
    );
    expect(Array.from(mid.targets)).toEqual(refMid.targets);
    expect(maxAbsDiff(mid.heatmaps, refMid.maps)).toBeLessThan(1e-4);

    // default target 'add', a fixed class
    const camAdd = createGradCam(clf, { size: SIZE });
    const fixed = await camAdd.explain(x, 1);
    const refAdd = referenceCam((xi) => tf.tidy(() => relu2(relu1(xi)).add(relu1(xi))), (a) => logits(a), x, [1, 1, 1, 1, 1], SIZE);
    expect(maxAbsDiff(fixed.heatmaps, refAdd.maps)).toBeLessThan(1e-4);

    // probabilities are the graph's softmax
    const p = tf.tidy(() => tf.softmax(logits(relu2(relu1(x)).add(relu1(x)))).dataSync());
    expect(maxAbsDiff(mid.probs, p)).toBeLessThan(1e-5);

    // no leaks
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await camMid.explain(x);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w1, b1, w2, w3, b3]);
    camMid.dispose();
    camAdd.dispose();
    clf.dispose();
  });

  it('rejects a graph that needs executeAsync with a typed error', async () => {
    const where = { name: 'where', op: 'Where', input: ['relu1'], attr: { T: { type: 'DT_FLOAT' } } };
    await expect(loadClassifier(tf.io.fromMemory(artifacts([where])))).rejects.toThrow(UnsupportedModelError);
    await expect(loadClassifier(tf.io.fromMemory(artifacts([where])))).rejects.toThrow(/Where.*executeAsync/);
  });
});
