import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { withValue } from '../../core/fuzz/mutants';
import { checkProjectJson } from './project-schema';
import { readProject } from './project';

/** A valid v2 project.json of two 2×2-map images, one explained with a patch, labels and a detector. */
function project(): Record<string, unknown> {
  return {
    format: 'apexp-project',
    version: 2,
    images: [
      { id: 'a.png', name: 'a.png', width: 64, height: 64, truth: 0 },
      { id: 'b.png', name: 'b.png', width: 64, height: 64, truth: -1, tag: 'tag' },
    ],
    explained: ['a.png'],
    hasPatch: [1],
    explanations: [{ predicted: 1, target: 1, probs: [0.2, 0.8], faithfulness: 0.4 }],
    heatmapSize: [2, 2],
    models: [{ name: 'm', inputShape: [32, 32, 3], classNames: ['good', 'broken'], layer: 'c2', layers: ['c1', 'c2'] }],
    activeModel: 'm',
    explainOptions: { target: 'predicted', method: 'hirescam' },
    source: { kind: 'files' },
    labels: { 'a.png': 'anomalous' },
    scores: { 'a.png': 0.5 },
    budget: 0.15,
    settings: { eta: 5, ensemble: 1 },
    losses: [{ step: 0, stage: 'train', epoch: 1, loss: 0.3 }],
    detectors: [{ format: 'apexp-deepsad', version: 1, config: { inputShape: [2, 2, 4] }, c: [0.1, 0.2], weightSpecs: [{ name: 'w', shape: [2, 3] }] }],
  };
}

/** The zip buildProject would write around a project.json. */
function zip(p: unknown, over: Record<string, Uint8Array | undefined> = {}): File {
  const files: Record<string, Uint8Array> = {
    'project.json': strToU8(typeof p === 'string' ? p : JSON.stringify(p)),
    'heatmaps.bin': new Uint8Array(4).fill(128),
    'patches.bin': new Uint8Array(12).fill(7),
    'thumbs/0.jpg': new Uint8Array([255, 216, 255]),
    'thumbs/1.jpg': new Uint8Array([255, 216, 255]),
    'detector-0.bin': new Uint8Array(24),
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete files[k];
    else files[k] = v;
  }
  return new File([zipSync(files) as Uint8Array<ArrayBuffer>], 'session.zip');
}

describe('project files', () => {
  it('a valid file opens with every part in place', async () => {
    expect(checkProjectJson(JSON.stringify(project())).ok).toBe(true);
    const p = await readProject(zip(project()));
    expect(p.imageIds).toEqual(['a.png', 'b.png']);
    expect(Array.from(p.explanations['a.png'].heatmap)).toEqual([128, 128, 128, 128]);
    expect(p.explainOptions).toEqual({ target: 'predicted', method: 'hirescam' });
    expect(p.detectors[0].weightData.byteLength).toBe(24);
  });

  it('a session of maps made elsewhere opens: its source, unknown predictions (−1), predictions.csv confidences, maps as pictures', async () => {
    const p = {
      ...project(),
      images: [
        { id: 'a.png', name: 'a.png', width: 48, height: 40, truth: -1, noPhoto: true },
        { id: 'b.png', name: 'b.png', width: 48, height: 40, truth: -1, noPhoto: true },
      ],
      explained: ['a.png', 'b.png'],
      hasPatch: [0, 0],
      explanations: [
        { predicted: 0, target: 0, probs: [], confidence: 0.9, faithfulness: null },
        { predicted: -1, target: -1, probs: [], faithfulness: null },
      ],
      models: [],
      activeModel: null,
      source: { kind: 'imported', format: 'png', classNames: ['cat'], predictions: true },
      detectors: [],
    };
    const r = await readProject(zip(p, { 'heatmaps.bin': new Uint8Array(8).fill(9), 'patches.bin': new Uint8Array(0) }));
    expect(r.source).toEqual(p.source);
    expect(r.images['a.png'].noPhoto).toBe(true);
    expect(r.explanations['a.png']).toMatchObject({ predicted: 0, confidence: 0.9 });
    expect(r.explanations['b.png'].predicted).toBe(-1);
    expect(r.explanations['b.png'].confidence).toBeUndefined();
    expect(r.explanations['b.png'].probs).toHaveLength(0);
    const bad = checkProjectJson(JSON.stringify({ ...p, explanations: [{ ...p.explanations[0], confidence: 1.5 }, p.explanations[1]] }));
    expect(bad.ok).toBe(false);
  });

  it('refuses wrong types, bad values and counts that disagree, saying where', () => {
    const bad = (p: unknown, re: RegExp) => {
      const r = checkProjectJson(JSON.stringify(p));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problem).toMatch(re);
    };
    const base = project();
    bad(withValue(base, ['images', 0, 'width'], '64'), /^project\.json: images\.0\.width: /);
    bad(withValue(base, ['labels', 'a.png'], 'broken'), /^project\.json: labels\.a\.png: /);
    bad(withValue(base, ['heatmapSize', 1], 0), /heatmapSize\.1/);
    bad(withValue(base, ['budget'], 2), /budget/);
    bad(withValue(base, ['settings', 'ensemble'], 1e9), /settings\.ensemble/);
    bad(withValue(base, ['explained'], ['a.png', 'b.png']), /2 explained ids but 1 explanations/);
    bad(withValue(base, ['labels'], { 'zzz.png': 'normal' }), /"zzz\.png" is not among its images/);
    bad(withValue(base, ['images', 1, 'id'], 'a.png'), /duplicate id "a\.png"/);
    bad(withValue(base, ['explanations', 0, 'probs', 0], 'NaN'), /explanations\.0\.probs\.0/);
    expect(checkProjectJson('{"format": "apexp-project", ').ok).toBe(false);
  });

  it('refuses prototype-pollution keys and leaves Object.prototype alone', () => {
    const text = JSON.stringify(project()).replace('"labels":{"a.png":"anomalous"}', '"labels":{"__proto__":{"polluted":"yes"}}');
    const r = checkProjectJson(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toBe('project.json: the key "__proto__" is not allowed anywhere');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const byId = checkProjectJson(JSON.stringify(project()).replace(/"b\.png"/g, '"constructor"'));
    expect(byId).toEqual({ ok: false, problem: 'project.json: images.1.id: is not allowed as an id' });
  });

  it('rejects a cut or mixed file whole: binary parts that do not match project.json', async () => {
    await expect(readProject(zip(project(), { 'heatmaps.bin': new Uint8Array(3) }))).rejects.toThrow(/session\.zip: heatmaps\.bin holds 3 bytes, project\.json needs 4/);
    await expect(readProject(zip(project(), { 'patches.bin': new Uint8Array(5) }))).rejects.toThrow(/patches\.bin holds 5 bytes/);
    await expect(readProject(zip(project(), { 'thumbs/1.jpg': undefined }))).rejects.toThrow(/thumbs\/1\.jpg is missing/);
    await expect(readProject(zip(project(), { 'detector-0.bin': new Uint8Array(20) }))).rejects.toThrow(/detector-0\.bin holds 20 bytes, its weights need 24/);
    await expect(readProject(zip(project(), { 'detector-0.bin': undefined }))).rejects.toThrow(/detector-0\.bin is missing/);
    const whole = new Uint8Array(await zip(project()).arrayBuffer());
    await expect(readProject(new File([whole.slice(0, whole.length >> 1)], 'half.zip'))).rejects.toThrow(/half\.zip is not a zip file/);
  });
});

/** Every leaf and branch path of a JSON value. */
function paths(x: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = at.length ? [at] : [];
  if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) out.push(...paths(v, [...at, Array.isArray(x) ? Number(k) : k]));
  return out;
}

describe('project files, fuzzed', () => {
  it('≥ 200 mutated files: each settles within 2 s, opens or is refused in one line naming the file', async () => {
    const base = project();
    const values: unknown[] = [undefined, null, 'x', -1, 1e308, [], {}, 'y'.repeat(100_000)];
    const files: File[] = [];
    for (const path of paths(base)) for (const value of values) files.push(zip(withValue(base, path, value)));
    const whole = new Uint8Array(await zip(base).arrayBuffer());
    for (let cut = 1; cut < whole.length; cut += Math.ceil(whole.length / 40)) files.push(new File([whole.slice(0, cut)], 'session.zip'));
    for (let i = 0; i < 20; i++) {
      const flipped = whole.slice();
      flipped[(i * 7919) % flipped.length] ^= 0xff;
      files.push(new File([flipped], 'session.zip'));
    }
    files.push(zip('{"format":"apexp-project","version":2,"images":{"__proto__":{"x":1}}}'), zip('null'), zip('[]'), zip('"'), new File([], 'session.zip'));
    expect(files.length).toBeGreaterThanOrEqual(200);
    let opened = 0;
    for (const f of files) {
      const outcome = await Promise.race([
        readProject(f).then(
          () => 'opened',
          (err: Error) => err,
        ),
        new Promise<string>((r) => setTimeout(() => r('hung'), 2000)),
      ]);
      expect(outcome).not.toBe('hung');
      if (outcome === 'opened') opened++;
      else {
        const m = (outcome as Error).message;
        expect((outcome as Error).name).toBe('ProjectFileError');
        expect(m).toMatch(/^session\.zip/);
        expect(m).not.toMatch(/\n/);
      }
    }
    // Most mutations break the file; the few that do not (an optional field removed, a name changed) open.
    expect(opened).toBeGreaterThan(0);
    expect(files.length - opened).toBeGreaterThan(150);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('project files, damaged inside the zip', () => {
  it('a flipped byte in a member is refused by its checksum, naming the member', async () => {
    const { unzipSync } = await import('fflate');
    // Stored (level 0), so the flip lands in detector-0.bin's bytes themselves and inflating cannot notice.
    const stored = zipSync(unzipSync(new Uint8Array(await zip(project()).arrayBuffer())), { level: 0 });
    const name = new TextEncoder().encode('detector-0.bin');
    const at = stored.findIndex((_, i) => stored[i] === 0x50 && stored[i + 1] === 0x4b && stored[i + 2] === 3 && stored[i + 3] === 4 && name.every((c, j) => stored[i + 30 + j] === c));
    const bad = stored.slice();
    bad[at + 30 + name.length + 5] ^= 0x01;
    expect(unzipSync(bad)['detector-0.bin'][5]).toBe(1);
    await expect(readProject(new File([bad], 'session.zip'))).rejects.toThrow('session.zip: detector-0.bin is damaged (its checksum does not match)');
    await expect(readProject(new File([stored], 'session.zip'))).resolves.toBeDefined();
  });
});
