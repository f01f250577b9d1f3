import { describe, expect, it } from 'vitest';
import { checkLayersTopology } from './topology-check';

/** A functional model input → a → b, in Keras JSON. */
function functional() {
  return {
    class_name: 'Model',
    config: {
      name: 'm',
      layers: [
        { name: 'in', class_name: 'InputLayer', config: { name: 'in' }, inbound_nodes: [] },
        { name: 'a', class_name: 'Dense', config: { name: 'a' }, inbound_nodes: [[['in', 0, 0, {}]]] },
        { name: 'b', class_name: 'Dense', config: { name: 'b' }, inbound_nodes: [[['a', 0, 0, {}]]] },
      ],
      input_layers: [['in', 0, 0]],
      output_layers: [['b', 0, 0]],
    },
  };
}

describe('checkLayersTopology (what would make tf.loadLayersModel wait forever)', () => {
  it('accepts a sound functional model, a Sequential one and the Keras model_config wrapper', () => {
    expect(() => checkLayersTopology(functional())).not.toThrow();
    expect(() => checkLayersTopology({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: {} }] } })).not.toThrow();
    expect(() => checkLayersTopology({ model_config: functional() })).not.toThrow();
  });

  it('refuses, naming the reference: a missing name, an unknown input, a node out of range, a duplicate, a cycle', () => {
    const cases: [(t: ReturnType<typeof functional>) => void, RegExp][] = [
      [(t) => delete (t.config.layers[1] as { name?: string }).name, /layer 1 of the model has no name/],
      [(t) => (t.config.layers[2].inbound_nodes = [[['zz', 0, 0, {}]]]), /the input of layer "b" names "zz", which no layer of the model is called/],
      [(t) => (t.config.layers[2].inbound_nodes = [[['a', 3, 0, {}]]]), /asks for node 3 of "a", which has 1/],
      [(t) => (t.config.layers[2].name = 'a'), /two layers of the model are called "a"/],
      [(t) => (t.config.layers[1].inbound_nodes = [[['b', 0, 0, {}]]]), /form a cycle/],
      [(t) => (t.config.output_layers = [['nope', 0, 0]]), /output_layers names "nope"/],
      [(t) => (t.config.input_layers = []), /has no input_layers/],
      [(t) => (t.class_name = 'Dense'), /not Sequential or Model/],
    ];
    for (const [mutate, re] of cases) {
      const t = functional();
      mutate(t);
      expect(() => checkLayersTopology(t)).toThrow(re);
    }
    expect(() => checkLayersTopology('x')).toThrow(/no class_name/);
  });
});
