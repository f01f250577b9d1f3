import { describe, expect, it } from 'vitest';
import { explainOptionsFrom } from './protocol';

describe('explainOptionsFrom (explain options read back from IndexedDB or a project file)', () => {
  it('keeps a valid method, layer and class index', () => {
    expect(explainOptionsFrom({ method: 'hirescam', layer: 'conv2', target: 2 })).toEqual({ method: 'hirescam', layer: 'conv2', target: 2 });
    expect(explainOptionsFrom({ target: 'predicted' })).toEqual({ target: 'predicted' });
  });

  it('drops the default method, so that files with and without it compare equal', () => {
    expect(explainOptionsFrom({ method: 'gradcam', target: 'predicted' })).toEqual({ target: 'predicted' });
  });

  it('falls back field by field on what is stale or hand-edited', () => {
    expect(explainOptionsFrom({ method: 'scorecam', layer: 3, target: -1 })).toEqual({ target: 'predicted' });
    expect(explainOptionsFrom({ method: 'layercam', target: 1.5 })).toEqual({ method: 'layercam', target: 'predicted' });
    expect(explainOptionsFrom(undefined)).toEqual({ target: 'predicted' });
    expect(explainOptionsFrom('gradcam++')).toEqual({ target: 'predicted' });
    expect(explainOptionsFrom(JSON.parse('{"__proto__": {"method": "layercam"}, "target": 0}'))).toEqual({ target: 0 });
  });
});
