/**
 * A cheap check of a LayersModel topology before tfjs builds it. tf.loadLayersModel never settles on
 * some malformed topologies (a functional model whose layers name an input no layer has: it waits
 * for that node forever), so the references are checked here and such a file is refused at once.
 */
import { ModelLoadError } from './errors';

type Json = Record<string, unknown>;

const isObject = (x: unknown): x is Json => !!x && typeof x === 'object' && !Array.isArray(x);
const CONTAINERS = new Set(['Model', 'Functional', 'Sequential']);

function bad(message: string): never {
  throw new ModelLoadError('model-load', `not a loadable layers model: ${message}`);
}

/** The references of a node list: Keras JSON `[[["name", nodeIndex, tensorIndex, {…}], …], …]`. */
function references(nodes: unknown): unknown[][] {
  if (!Array.isArray(nodes)) return [];
  const out: unknown[][] = [];
  for (const node of nodes) if (Array.isArray(node)) for (const ref of node) if (Array.isArray(ref)) out.push(ref);
  return out;
}

function checkContainer(className: string, config: unknown, where: string): void {
  const layers = className === 'Sequential' && Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) bad(`${where} has no list of layers`);
  const functional = className !== 'Sequential';
  /** Nodes each layer has once built: one per inbound node, plus its own for an InputLayer or a nested model. */
  const nodeCount = new Map<string, number>();
  layers.forEach((l, i) => {
    if (!isObject(l) || typeof l.class_name !== 'string' || !isObject(l.config)) bad(`layer ${i} of ${where} is not a {class_name, config} object`);
    if (functional) {
      // tfjs resolves a functional model's nodes by the layer's own "name": without one it never finishes.
      if (typeof l.name !== 'string' || !l.name) bad(`layer ${i} of ${where} has no name`);
      if (nodeCount.has(l.name)) bad(`two layers of ${where} are called "${l.name}"`);
      const n = Array.isArray(l.inbound_nodes) ? l.inbound_nodes.length : 0;
      // A nested model also has the node of its own construction (node 0) before its applications.
      nodeCount.set(l.name, l.class_name === 'InputLayer' ? Math.max(1, n) : CONTAINERS.has(l.class_name) ? n + 1 : n);
    }
    if (CONTAINERS.has(l.class_name)) checkContainer(l.class_name, l.config, `layer "${String(l.name ?? l.config.name ?? i)}"`);
  });
  if (!functional) return;
  const resolve = (ref: unknown, what: string): string => {
    if (!Array.isArray(ref) || typeof ref[0] !== 'string') bad(`${what} entry ${JSON.stringify(ref)} is not [name, node, tensor]`);
    const [name, node] = ref as [string, unknown];
    const count = nodeCount.get(name);
    if (count === undefined) bad(`${what} names "${name}", which no layer of ${where} is called`);
    if (!Number.isInteger(node) || (node as number) < 0 || (node as number) >= count) bad(`${what} asks for node ${JSON.stringify(node)} of "${name}", which has ${count}`);
    return name;
  };
  // Layer-level dependencies, to refuse a cycle (tfjs would wait for it forever).
  const deps = new Map<string, string[]>();
  for (const l of layers as Json[]) deps.set(l.name as string, references(l.inbound_nodes).map((r) => resolve(r, `the input of layer "${String(l.name)}"`)));
  const state = new Map<string, 1 | 2>();
  const visit = (n: string): void => {
    if (state.get(n) === 2) return;
    if (state.get(n) === 1) bad(`the layers of ${where} form a cycle through "${n}"`);
    state.set(n, 1);
    for (const d of deps.get(n) ?? []) visit(d);
    state.set(n, 2);
  };
  for (const n of deps.keys()) visit(n);
  const cfg = config as Json;
  for (const key of ['input_layers', 'output_layers']) {
    const refs = cfg[key];
    if (!Array.isArray(refs) || refs.length === 0) bad(`${where} has no ${key}`);
    for (const r of refs) resolve(r, `${where}'s ${key}`);
  }
}

/**
 * Checks the references of a LayersModel topology (model.json's `modelTopology`, or its Keras
 * `model_config`), nested models included.
 * @throws ModelLoadError ('model-load') naming the first broken reference
 */
export function checkLayersTopology(topology: unknown): void {
  const top = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
  if (!isObject(top) || typeof top.class_name !== 'string') bad('modelTopology has no class_name');
  if (!CONTAINERS.has(top.class_name)) bad(`modelTopology's class_name is ${JSON.stringify(top.class_name)}, not Sequential or Model`);
  checkContainer(top.class_name, top.config, 'the model');
}
