import { beforeEach, describe, expect, it } from 'vitest';
import { seedStore } from '../test/fixtures';
import { useAppStore } from './store';

beforeEach(() => void seedStore(4));

describe('map slice', () => {
  it('a pick on the map filters the gallery to it and selects its cards; an empty pick clears it', () => {
    const s = useAppStore.getState();
    s.setMapSelection(['img2', 'img3']);
    expect(useAppStore.getState()).toMatchObject({ mapSelection: ['img2', 'img3'], filter: 'selection', selectedIds: ['img2', 'img3'], focusId: 'img2' });
    s.setMapSelection([]);
    expect(useAppStore.getState()).toMatchObject({ mapSelection: [], filter: 'all', selectedIds: [] });
    s.setFilter('unlabeled');
    s.setMapSelection([]);
    expect(useAppStore.getState().filter).toBe('unlabeled');
  });

  it('holds the layout, its busy flag, the colouring and whether the map is open', () => {
    const s = useAppStore.getState();
    s.setProjection({ ids: ['img0'], xy: Float32Array.from([0.5, 0.5]) });
    s.setProjectionBusy(true);
    s.setMapColorBy('label');
    s.setMapOpen(true);
    expect(useAppStore.getState()).toMatchObject({ projection: { ids: ['img0'] }, projectionBusy: true, mapColorBy: 'label', mapOpen: true });
  });
});
