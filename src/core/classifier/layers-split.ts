import * as tf from '@tensorflow/tfjs';
import type { ClassifierSplit } from './types';
import { headApply } from './head-apply';
import { evalNode, finalNode, isContainer, orderedNodes, type LayerNode } from './layers-topology';

/**
 * How the last op of a LayersModel is a softmax, if it is: `layer` — a Softmax layer or an
 * `Activation('softmax')` (skipped in the head); `activation` — a layer with `activation: 'softmax'`
 * (replaced in the head by a linear twin sharing its weight values).
 */
export type SoftmaxEnd = { kind: 'none' } | { kind: 'layer' | 'activation'; node: LayerNode };

/** Finds out whether (and how) the model's output is a softmax. */
export function detectSoftmax(model: tf.LayersModel): SoftmaxEnd {
  const node = finalNode(model);
  const layer = node.outboundLayer;
  const cls = layer.getClassName();
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  if (cls === 'Softmax' || (cls === 'Activation' && activation === 'softmax')) return { kind: 'layer', node };
  if (activation === 'softmax') return { kind: 'activation', node };
  return { kind: 'none' };
}

/**
 * A copy of `layer` with a linear activation and the same weight values: the logits of a
 * `Dense(k, softmax)`. Built from the layer's own config through its class's `fromConfig`.
 */
function linearTwin(node: LayerNode): tf.layers.Layer {
  const layer = node.outboundLayer;
  const ctor = layer.constructor as unknown as {
    fromConfig(cls: unknown, config: tf.serialization.ConfigDict): tf.layers.Layer;
  };
  const config = { ...layer.getConfig(), activation: 'linear', name: `${layer.name}_apexp_logits` };
  const twin = ctor.fromConfig(layer.constructor, config);
  // Build it on a symbolic input of the same shape, then copy the weights in.
  const inShape = node.inputTensors[0].shape.slice(1) as number[];
  twin.apply(tf.input({ shape: inShape }));
  twin.setWeights(layer.getWeights());
  return twin;
}

/** Evaluates a nested model on concrete inputs node by node, running each node with `apply`. */
function applyNodeByNode(model: tf.LayersModel, inputs: tf.Tensor[], apply: (node: LayerNode, inputs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  const vals = new Map<number, tf.Tensor>();
  model.inputs.forEach((t, i) => vals.set(t.id, inputs[i]));
  for (const node of orderedNodes(model)) evalNode(node, vals, apply);
  return model.outputs.map((t) => {
    const v = vals.get(t.id);
    if (!v) throw new Error(`could not evaluate the output of ${model.name}`);
    return v;
  });
}

/** One level of the descent from the root to the target: a model, its nodes and the node on the path. */
interface Level {
  model: tf.LayersModel;
  nodes: LayerNode[];
  /** Index in `nodes` of the nested model on the path, or of the target layer at the last level. */
  at: number;
}

/**
 * Resolves a path [nested model names…, layer name] to the levels of the descent.
 * @returns null when a name on the path does not exist.
 */
function resolve(model: tf.LayersModel, path: string[]): Level[] | null {
  const levels: Level[] = [];
  let current = model;
  for (let i = 0; i < path.length; i++) {
    const nodes = orderedNodes(current);
    // The last application wins when a layer is shared (applied twice in one model).
    let at = -1;
    for (let j = 0; j < nodes.length; j++) if (nodes[j].outboundLayer.name === path[i]) at = j;
    if (at < 0) return null;
    levels.push({ model: current, nodes, at });
    const layer = nodes[at].outboundLayer;
    if (i < path.length - 1) {
      if (!isContainer(layer)) return null;
      current = layer;
    }
  }
  return levels;
}

/**
 * Cuts a LayersModel at the layer `path` names (nested model names, then the layer), evaluating the
 * model node by node in execution order so that branches, skip connections and nested models all
 * work: `forward` runs every node up to the target (descending into the nested models on the path),
 * `head` runs every later node from a substituted activation, climbing back out level by level.
 * Tensors computed before the target that later nodes consume (skip connections) are reused by
 * `head` as constants, which they are with respect to the activation.
 *
 * @param displayName the name reported as {@link ClassifierSplit.layer}
 * @returns null when the path does not resolve
 */
export function splitLayersModel(model: tf.LayersModel, path: string[], displayName: string, softmax: SoftmaxEnd): ClassifierSplit | null {
  const levels = resolve(model, path);
  if (!levels) return null;
  const twin = softmax.kind === 'activation' ? linearTwin(softmax.node) : null;
  const runInHead = (node: LayerNode, inputs: tf.Tensor[]): tf.Tensor | tf.Tensor[] => {
    if (softmax.kind !== 'none' && node === softmax.node) {
      if (twin) return twin.apply(inputs[0], { training: false }) as tf.Tensor;
      return inputs[0];
    }
    // A nested model after the target (a Teachable Machine head) runs node by node as well, so the
    // softmax inside it is split off and its layers get the head substitutions.
    if (isContainer(node.outboundLayer)) return applyNodeByNode(node.outboundLayer, inputs, runInHead);
    return headApply(node, inputs);
  };
  const last = levels.length - 1;

  return {
    layer: displayName,
    forward(x) {
      const values: Map<number, tf.Tensor>[] = [];
      let inputs: tf.Tensor[] = [x];
      let activations: tf.Tensor4D | undefined;
      levels.forEach((lv, depth) => {
        const vals = new Map<number, tf.Tensor>();
        lv.model.inputs.forEach((t, i) => vals.set(t.id, inputs[i]));
        for (let j = 0; j < lv.at; j++) evalNode(lv.nodes[j], vals);
        const node = lv.nodes[lv.at];
        if (depth === last) {
          evalNode(node, vals);
          activations = vals.get(node.outputTensors[0].id) as tf.Tensor4D;
        } else {
          inputs = node.inputTensors.map((t) => vals.get(t.id) as tf.Tensor);
        }
        values.push(vals);
      });
      if (!activations) throw new Error(`could not compute the activation of ${displayName}`);
      const head = (a: tf.Tensor4D): tf.Tensor2D => {
        let outs: tf.Tensor[] = [a];
        for (let depth = last; depth >= 0; depth--) {
          const lv = levels[depth];
          const vals = new Map(values[depth]);
          lv.nodes[lv.at].outputTensors.forEach((t, i) => vals.set(t.id, outs[i]));
          for (let j = lv.at + 1; j < lv.nodes.length; j++) evalNode(lv.nodes[j], vals, runInHead);
          outs = lv.model.outputs.map((t) => {
            const v = vals.get(t.id);
            if (!v) throw new Error(`the output of ${lv.model.name} does not depend on ${displayName}`);
            return v;
          });
        }
        return outs[0] as tf.Tensor2D;
      };
      return { activations, head };
    },
    dispose() {
      twin?.dispose();
    },
  };
}
