import * as tf from '@tensorflow/tfjs';
import type { Classifier, ClassifierSplit } from './types';
import type { ClassifierMetadata } from './metadata';
import { LayerNotFoundError, ModelShapeError, UnsupportedModelError } from './errors';
import { checkOutput, resolveClassNames, resolveInputShape } from './shape-checks';
import { ASYNC_OPS, ancestors, dataInputs, descendants, headFrontier, indexGraph, nodeOf, topoOrder, type GraphDefNode } from './graph-topology';

/** Ops whose output is never a useful Grad-CAM target. */
const SKIP_OPS = new Set(['Const', 'Placeholder', 'NoOp', 'PlaceholderWithDefault']);

/** `execute` returns a bare tensor when asked for a list of one name. */
function asList(out: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(out) ? out : [out];
}

/**
 * The tensor whose gradient Grad-CAM explains: the Softmax's input when the output is a Softmax
 * (possibly behind Identity nodes, as TF2 SavedModels export it), else the output itself.
 */
function scoreTensor(byName: Map<string, GraphDefNode>, output: string): { ref: string; softmax: boolean } {
  let node = byName.get(nodeOf(output));
  while (node?.op === 'Identity' && dataInputs(node).length === 1) node = byName.get(nodeOf(dataInputs(node)[0]));
  if (node?.op === 'Softmax') return { ref: dataInputs(node)[0], softmax: true };
  return { ref: output, softmax: false };
}

/**
 * Wraps a loaded GraphModel (converted SavedModel / frozen graph) as a {@link Classifier}. Grad-CAM
 * targets are graph nodes: `split` feeds a substitute activation at the target node through
 * `execute({[node]: a, …}, scoreNode)`, which tfjs records on the gradient tape.
 *
 * @param artifacts the model.json contents (`modelTopology.node` is read for node names and ops)
 * @throws UnsupportedModelError when the graph has control flow or dynamic ops (it would need executeAsync)
 * @throws ModelShapeError when the input is not an image, the output not [batch, classes], or no node is 4-D
 */
export function wrapGraphModel(model: tf.GraphModel, artifacts: tf.io.ModelArtifacts, metadata?: ClassifierMetadata): Classifier {
  const nodes = ((artifacts.modelTopology as { node?: GraphDefNode[] }).node ?? []).filter((n) => typeof n.name === 'string');
  const dynamic = [...new Set(nodes.filter((n) => ASYNC_OPS.has(n.op)).map((n) => n.op))];
  if (dynamic.length) {
    throw new UnsupportedModelError(`the graph model uses ${dynamic.join(', ')}, which needs executeAsync; Grad-CAM needs a model that runs with execute()`);
  }
  if (model.inputs.length !== 1) throw new ModelShapeError(`the model has ${model.inputs.length} inputs; an image classifier has one`);
  const inputShape = resolveInputShape(model.inputs[0].shape ?? [], metadata);
  const inputName = model.inputNodes[0];
  const outputRef = model.outputNodes[0];
  const g = indexGraph(nodes);
  const score = scoreTensor(g.byName, outputRef);

  // Probe every node between input and output once, on one zero image, for its output rank and size.
  const between = new Set([...ancestors(g, nodeOf(score.ref))].filter((n) => descendants(g, nodeOf(inputName)).has(n)));
  const probeNames = topoOrder(g, between).filter((n) => !SKIP_OPS.has(g.byName.get(n)?.op ?? ''));
  const { numClasses, candidates } = tf.tidy(() => {
    const x = tf.zeros([1, ...inputShape]);
    const k = checkOutput(model.execute(x, outputRef) as tf.Tensor);
    const outs = asList(model.execute(x, probeNames));
    const spatial = probeNames.filter((_, i) => {
      const shape = outs[i].shape as number[];
      return shape.length === 4 && shape[1] * shape[2] > 1;
    });
    return { numClasses: k, candidates: spatial };
  });
  if (candidates.length === 0) throw new ModelShapeError('no node of the graph has a 4-D output with more than 1×1 cells: Grad-CAM needs a convolutional feature map');

  function split(layer = candidates[candidates.length - 1]): ClassifierSplit {
    if (!candidates.includes(layer)) throw new LayerNotFoundError(layer, candidates);
    const frontier = headFrontier(g, layer, score.ref);
    return {
      layer,
      forward(x) {
        const fetched = frontier.filter((r) => nodeOf(r) !== inputName);
        const outs = asList(model.execute(x, [layer, ...fetched]));
        const feeds: tf.NamedTensorMap = {};
        fetched.forEach((r, i) => (feeds[r] = outs[i + 1]));
        for (const r of frontier) if (nodeOf(r) === inputName) feeds[r] = x;
        const head = (a: tf.Tensor4D): tf.Tensor2D => model.execute({ ...feeds, [layer]: a }, score.ref) as tf.Tensor2D;
        return { activations: outs[0] as tf.Tensor4D, head };
      },
      dispose() {},
    };
  }

  return {
    kind: 'graph',
    inputShape,
    classNames: resolveClassNames(numClasses, metadata),
    normalization: metadata?.normalization ?? 'unit',
    endsInSoftmax: score.softmax,
    defaultTarget: candidates[candidates.length - 1],
    targetCandidates: () => [...candidates],
    predict: (x) => tf.tidy(() => model.execute(x, outputRef) as tf.Tensor2D),
    split,
    dispose: () => model.dispose(),
  };
}
