import { beforeEach, describe, expect, it } from 'vitest';
import { seedStore } from '../test/fixtures';
import { useAppStore } from './store';

beforeEach(() => void seedStore(1));

describe('ui slice notifier', () => {
  it('keeps every notice on one line (tfjs errors can hold newlines)', () => {
    useAppStore.getState().notify('error', "not a loadable layers model: Improper config format: 1e+308.\n'className' and 'config' must set.");
    expect(useAppStore.getState().notices.at(-1)?.message).toBe("not a loadable layers model: Improper config format: 1e+308. 'className' and 'config' must set.");
  });
});
