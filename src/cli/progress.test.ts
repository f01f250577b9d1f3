import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration } from './progress';

function recorder(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 120, write: (s: string) => chunks.push(s) } };
}

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(3725)).toBe('1 h 02 min');
    expect(formatDuration(NaN)).toBe('?');
  });
});

describe('createProgress (plain, not a TTY)', () => {
  it('prints log lines verbatim and throttled status lines with ETA', () => {
    const { chunks, stream } = recorder(false);
    let t = 0;
    const p = createProgress({ label: 'train', total: 10, stream, plainIntervalMs: 1000, now: () => t });
    t = 500;
    p.tick(); // within the interval: silent
    expect(chunks).toEqual([]);
    t = 2000;
    p.tick(1, 'loss 0.5'); // 2 of 10 after 2 s → 8 more take 8 s
    expect(chunks).toEqual(['train 2/10 (20%, 2.0 s, eta 8.0 s) loss 0.5\n']);
    p.log('epoch 1/5 loss 0.1234 (2.0 s)');
    expect(chunks[1]).toBe('epoch 1/5 loss 0.1234 (2.0 s)\n');
    p.done();
    t = 10_000;
    p.tick();
    expect(chunks).toHaveLength(2);
  });

  it('is silent on ticks with an infinite interval', () => {
    const { chunks, stream } = recorder(false);
    let t = 0;
    const p = createProgress({ label: 'x', total: 3, stream, plainIntervalMs: Infinity, now: () => t });
    for (let i = 0; i < 3; i++) {
      t += 1e6;
      p.tick();
    }
    p.done();
    expect(chunks).toEqual([]);
  });
});

describe('createProgress (TTY)', () => {
  it('draws a bar with the label, ETA and count, and flushes log lines on done', () => {
    const { chunks, stream } = recorder(true);
    const p = createProgress({ label: 'pretrain', total: 4, stream });
    p.tick(1, 'loss 1.0');
    p.log('epoch 1/2 loss 1.0000 (0.1 s)');
    p.tick(3);
    p.done();
    p.done();
    const out = chunks.join('');
    expect(out).toContain('epoch 1/2 loss 1.0000 (0.1 s)\n');
    expect(out).toContain('pretrain [');
    expect(out).toContain('ETA');
    expect(out).toContain('4/4');
    expect(out).toContain('100%');
  });
});
