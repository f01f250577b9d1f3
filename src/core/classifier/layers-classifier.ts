import * as tf from '@tensorflow/tfjs';
import type { Classifier } from './types';
import type { ClassifierMetadata } from './metadata';
import { LayerNotFoundError, ModelShapeError } from './errors';
import { flattenNodes } from './layers-topology';
import { detectSoftmax, splitLayersModel } from './layers-split';
import { checkOutput, resolveClassNames, resolveInputShape } from './shape-checks';

/** A Grad-CAM target candidate of a LayersModel: its shown name and its path through nested models. */
interface Candidate {
  name: string;
  path: string[];
}

/** True for a symbolic shape [batch, h, w, c] with more than one spatial cell (unknown sizes count as more). */
function isSpatial4d(shape: (number | null)[]): boolean {
  if (shape.length !== 4) return false;
  const [, h, w] = shape;
  return h === null || w === null || h * w > 1;
}

function candidatesOf(model: tf.LayersModel): Candidate[] {
  const seen = new Map<string, string[]>();
  for (const { containers, node } of flattenNodes(model)) {
    if (!isSpatial4d(node.outputTensors[0].shape)) continue;
    const path = [...containers, node.outboundLayer.name];
    seen.delete(path.join('/')); // a shared layer counts at its last application
    seen.set(path.join('/'), path);
  }
  const paths = [...seen.values()];
  const count = new Map<string, number>();
  for (const p of paths) count.set(p[p.length - 1], (count.get(p[p.length - 1]) ?? 0) + 1);
  return paths.map((path) => ({ path, name: count.get(path[path.length - 1]) === 1 ? path[path.length - 1] : path.join('/') }));
}

/**
 * Wraps a loaded tfjs LayersModel (Sequential or functional, nested models included) as a
 * {@link Classifier}. Runs one warm-up prediction on zeros, which also builds a lazily built Sequential
 * and checks that the output is [batch, classes].
 * @throws ModelShapeError when the input is not an image or the output is not 2-D, or when no layer has a 4-D output
 * @throws MetadataError when metadata.json's class names do not match the number of outputs
 */
export function wrapLayersModel(model: tf.LayersModel, metadata?: ClassifierMetadata): Classifier {
  if (model.inputs.length !== 1) throw new ModelShapeError(`the model has ${model.inputs.length} inputs; an image classifier has one`);
  const inputShape = resolveInputShape(model.inputs[0].shape, metadata);
  const numClasses = tf.tidy(() => checkOutput(model.predict(tf.zeros([1, ...inputShape])) as tf.Tensor));
  const candidates = candidatesOf(model);
  if (candidates.length === 0) throw new ModelShapeError('no layer of the model has a 4-D output with more than 1×1 cells: Grad-CAM needs a convolutional feature map');
  const softmax = detectSoftmax(model);
  const names = candidates.map((c) => c.name);

  const findPath = (layer: string): string[] => {
    const hit = candidates.find((c) => c.name === layer || c.path.join('/') === layer);
    if (!hit) throw new LayerNotFoundError(layer, names);
    return hit.path;
  };

  return {
    kind: 'layers',
    inputShape,
    classNames: resolveClassNames(numClasses, metadata),
    normalization: metadata?.normalization ?? 'unit',
    endsInSoftmax: softmax.kind !== 'none',
    defaultTarget: names[names.length - 1],
    targetCandidates: () => [...names],
    predict: (x) => tf.tidy(() => model.predict(x, { batchSize: x.shape[0] || 1 }) as tf.Tensor2D),
    split(layer) {
      const name = layer ?? names[names.length - 1];
      const split = splitLayersModel(model, findPath(name), name, softmax);
      if (!split) throw new LayerNotFoundError(name, names);
      return split;
    },
    dispose: () => model.dispose(),
  };
}
