import { describe, expect, it } from 'vitest';
import { demoId } from '../../workers/ingest.shared';
import { planResume } from './resume';

describe('planResume', () => {
  const run = { kind: 'demo' as const, n: 5, seed: 3, size: 64 };
  const id = (j: number) => demoId(3, 64, j);

  it('skips exactly the run images explained before the reload, in order', () => {
    const plan = planResume(run, [id(3), id(0), 'photo.png', demoId(4, 64, 1)]);
    expect(plan).toEqual({ skip: [id(0), id(3)], remaining: 3 });
  });

  it('resumes from zero only when nothing was saved, and has nothing left when all was', () => {
    expect(planResume(run, [])).toEqual({ skip: [], remaining: 5 });
    expect(planResume(run, [0, 1, 2, 3, 4].map(id)).remaining).toBe(0);
  });

  it('does not count another size of the same seed (another picture)', () => {
    expect(planResume(run, [demoId(3, 96, 0)]).remaining).toBe(5);
  });

  it('plans dropped files by their ids, whatever their order', () => {
    const files = ['a', 'b', 'c'].map((x) => new File([x], `${x}.png`));
    const ingest = { kind: 'ingest' as const, files, ids: ['x/a.png', 'x/b.png', 'x/c.png'], truths: [0, 1, -1], model: 'vgg_small' };
    expect(planResume(ingest, ['x/c.png', id(0)])).toEqual({ skip: ['x/c.png'], remaining: 2 });
  });
});
