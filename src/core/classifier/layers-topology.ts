import * as tf from '@tensorflow/tfjs';

/** The part of a tfjs-layers `Node` (one application of a layer) that the evaluator reads. */
export interface LayerNode {
  outboundLayer: tf.layers.Layer;
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
}

/** True for a layer that is itself a model (Sequential or functional), i.e. a nested model. */
export function isContainer(layer: tf.layers.Layer): layer is tf.LayersModel {
  return layer instanceof tf.LayersModel;
}

/**
 * The nodes of a model in execution order (deepest first, as tfjs-layers' own `runInternalGraph`
 * does), input layers left out. Each node is one application of a layer inside this model.
 */
export function orderedNodes(model: tf.LayersModel): LayerNode[] {
  const byDepth = model.nodesByDepth as unknown as Record<string, LayerNode[]> | undefined;
  if (!byDepth) throw new Error(`model ${model.name} is not built`);
  const depths = Object.keys(byDepth)
    .map(Number)
    .sort((a, b) => b - a);
  const out: LayerNode[] = [];
  for (const d of depths) {
    for (const node of byDepth[d]) if (node.outboundLayer.getClassName() !== 'InputLayer') out.push(node);
  }
  return out;
}

/** The node that produces `t` (its layer's application that output it). */
export function producer(t: tf.SymbolicTensor): LayerNode {
  return t.sourceLayer.inboundNodes[t.nodeIndex] as unknown as LayerNode;
}

/**
 * Applies one node to concrete tensors: reads its inputs from `values` (keyed by symbolic tensor id),
 * writes its outputs there. Returns false (and computes nothing) when an input is not available,
 * e.g. a branch that hangs off an input nobody fed.
 * @param apply how to run the layer; the default is the layer itself in inference mode.
 */
export function evalNode(
  node: LayerNode,
  values: Map<number, tf.Tensor>,
  apply: (node: LayerNode, inputs: tf.Tensor[]) => tf.Tensor | tf.Tensor[] = defaultApply,
): boolean {
  const inputs: tf.Tensor[] = [];
  for (const t of node.inputTensors) {
    const v = values.get(t.id);
    if (!v) return false;
    inputs.push(v);
  }
  const out = apply(node, inputs);
  const outs = Array.isArray(out) ? out : [out];
  node.outputTensors.forEach((t, i) => values.set(t.id, outs[i]));
  return true;
}

/** Runs a layer with `training: false`: BatchNorm uses its moving statistics and Dropout is off. */
export function defaultApply(node: LayerNode, inputs: tf.Tensor[]): tf.Tensor | tf.Tensor[] {
  return node.outboundLayer.apply(inputs.length === 1 ? inputs[0] : inputs, { training: false }) as tf.Tensor | tf.Tensor[];
}

/** One layer application reachable from the root model, with the chain of nested model names above it. */
export interface NodePath {
  /** Names of the nested models from the root down (empty for a layer of the root itself). */
  containers: string[];
  node: LayerNode;
}

/** Every non-model layer application in execution order, nested models expanded in place. */
export function flattenNodes(model: tf.LayersModel, containers: string[] = []): NodePath[] {
  const out: NodePath[] = [];
  for (const node of orderedNodes(model)) {
    const layer = node.outboundLayer;
    if (isContainer(layer)) out.push(...flattenNodes(layer, [...containers, layer.name]));
    else out.push({ containers, node });
  }
  return out;
}

/**
 * The node that computes the model's (first) output, looking through nested models: for a Teachable
 * Machine export this is the classification head's last Dense, inside its inner Sequential.
 */
export function finalNode(model: tf.LayersModel): LayerNode {
  let node = producer(model.outputs[0]);
  while (isContainer(node.outboundLayer)) node = producer(node.outboundLayer.outputs[0]);
  return node;
}
