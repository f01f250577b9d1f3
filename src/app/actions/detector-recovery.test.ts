import { describe, expect, it } from 'vitest';
import { mayRestart, restartNotice } from './detector-recovery';

describe('detector worker recovery', () => {
  it('allows three restarts within a minute, then stops until the window moves on', () => {
    expect(mayRestart([], 0)).toBe(true);
    expect(mayRestart([1000, 2000], 3000)).toBe(true);
    expect(mayRestart([1000, 2000, 3000], 4000)).toBe(false);
    expect(mayRestart([1000, 2000, 3000], 61_500)).toBe(true);
  });

  it('says in one line where the new worker started from and what was lost', () => {
    const at = new Date(2026, 11, 3, 19, 42, 5);
    const line = restartNotice('crashed', at, true, true);
    expect(line).toContain(`The detector worker stopped (crashed); restarted it from the detector trained at ${at.toLocaleTimeString()}.`);
    expect(line).toContain('the training that was running is lost');
    expect(restartNotice('x', null, true, false)).toBe('The detector worker stopped (x); restarted it from the saved detector. Labels and explanations are kept.');
    expect(restartNotice('x', null, false, true)).toContain('with no detector yet (press Train)');
  });
});
