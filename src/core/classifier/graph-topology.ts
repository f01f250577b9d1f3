/** One node of a GraphModel's model.json (`modelTopology.node`, TensorFlow GraphDef as JSON). */
export interface GraphDefNode {
  name: string;
  op: string;
  /** Tensor references: `node`, `node:k` (k-th output) or `^node` (control dependency). */
  input?: string[];
}

/**
 * Ops that make tfjs require `executeAsync` (control flow, dynamic shapes, hash tables), as listed by
 * tfjs-converter's graph executor. `tf.grad` needs a synchronous function, so such models cannot be explained.
 */
export const ASYNC_OPS: ReadonlySet<string> = new Set([
  'Switch', 'Merge', 'Enter', 'Exit', 'NextIteration', 'StatelessIf', 'StatelessWhile', 'If', 'While',
  'NonMaxSuppressionV2', 'NonMaxSuppressionV3', 'NonMaxSuppressionV4', 'NonMaxSuppressionV5', 'Where',
  'HashTable', 'HashTableV2', 'LookupTableImport', 'LookupTableImportV2', 'LookupTableFind', 'LookupTableFindV2',
  'LookupTableSize', 'LookupTableSizeV2',
]);

/** The node a tensor reference points at (`conv/Relu:0` → `conv/Relu`, `^init` → `init`). */
export function nodeOf(ref: string): string {
  const name = ref.startsWith('^') ? ref.slice(1) : ref;
  const colon = name.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(name.slice(colon + 1)) ? name.slice(0, colon) : name;
}

/** Data inputs of a node (control dependencies dropped). */
export function dataInputs(node: GraphDefNode): string[] {
  return (node.input ?? []).filter((r) => !r.startsWith('^'));
}

/** A GraphDef as lookup tables: nodes by name and the consumers of each node. */
export interface GraphIndex {
  byName: Map<string, GraphDefNode>;
  consumers: Map<string, string[]>;
}

/** Indexes the nodes of a GraphDef. */
export function indexGraph(nodes: GraphDefNode[]): GraphIndex {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const consumers = new Map<string, string[]>();
  for (const n of nodes) {
    for (const r of dataInputs(n)) {
      const src = nodeOf(r);
      consumers.set(src, [...(consumers.get(src) ?? []), n.name]);
    }
  }
  return { byName, consumers };
}

/** Every name reachable from `start` by following `next` (itself included), depth-first. */
function reachable(start: string, next: (name: string) => Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const n of next(name)) stack.push(n);
  }
  return seen;
}

/** Every node `start` depends on (itself included). */
export function ancestors(g: GraphIndex, start: string): Set<string> {
  return reachable(start, (name) => {
    const node = g.byName.get(name);
    return node ? dataInputs(node).map(nodeOf) : [];
  });
}

/** Every node that depends on `start` (itself included). */
export function descendants(g: GraphIndex, start: string): Set<string> {
  return reachable(start, (name) => g.consumers.get(name) ?? []);
}

/** The names in `subset` in a topological order (inputs before consumers), ties kept in model.json order. */
export function topoOrder(g: GraphIndex, subset: Set<string>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (name: string): void => {
    // Iterative DFS post-order, so deep graphs cannot overflow the stack.
    const stack: [string, boolean][] = [[name, false]];
    while (stack.length) {
      const [n, expanded] = stack.pop() as [string, boolean];
      if (done.has(n) || !subset.has(n)) continue;
      if (expanded) {
        done.add(n);
        order.push(n);
        continue;
      }
      stack.push([n, true]);
      const node = g.byName.get(n);
      for (const r of node ? dataInputs(node).reverse() : []) if (!done.has(nodeOf(r))) stack.push([nodeOf(r), false]);
    }
  };
  for (const name of g.byName.keys()) visit(name);
  return order;
}

/**
 * The tensors a head starting at `target` must be fed besides the target's activation: inputs of
 * recomputed nodes (descendants of the target that `output` needs) which do not themselves depend on
 * the target, constants excluded (they are in the weights). Skip connections from before the target
 * show up here.
 */
export function headFrontier(g: GraphIndex, target: string, output: string): string[] {
  const desc = descendants(g, target);
  const needed = ancestors(g, nodeOf(output));
  const frontier = new Set<string>();
  for (const name of needed) {
    if (!desc.has(name) || name === target) continue;
    for (const r of dataInputs(g.byName.get(name) as GraphDefNode)) {
      const src = nodeOf(r);
      if (!desc.has(src) && g.byName.get(src)?.op !== 'Const') frontier.add(r);
    }
  }
  return [...frontier];
}
