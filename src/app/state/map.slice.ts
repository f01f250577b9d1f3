import type { StateCreator } from 'zustand';
import type { AppStore } from './store';

/** What the map's points are coloured by: review score (continuous), analyst label, predicted class, review flag, misclassified. */
export type MapColorBy = 'score' | 'label' | 'predicted' | 'flagged' | 'misclassified';

/** The detector's 2-D map of the explanations: `xy` ids.length·2 positions in [0, 1]² (from the detector worker). */
export interface Projection {
  ids: string[];
  xy: Float32Array;
}

/** The map of explanations (the SpRAy-style embedding view): layout, colouring and the points picked on it. */
export interface MapSlice {
  mapOpen: boolean;
  projection: Projection | null;
  /** A layout is being computed in the detector worker (the shown one, if any, is the previous). */
  projectionBusy: boolean;
  mapColorBy: MapColorBy;
  /** Ids picked on the map (box or lasso), in map order; the gallery's `selection` filter shows exactly these. */
  mapSelection: string[];
  setMapOpen: (open: boolean) => void;
  setProjection: (p: Projection | null) => void;
  setProjectionBusy: (busy: boolean) => void;
  setMapColorBy: (by: MapColorBy) => void;
  /** Picks `ids` on the map: the gallery shows exactly them (filter `selection`) and they become the selected cards; none clears. */
  setMapSelection: (ids: string[]) => void;
}

/** Creates the map slice. */
export const createMapSlice: StateCreator<AppStore, [], [], MapSlice> = (set) => ({
  mapOpen: false,
  projection: null,
  projectionBusy: false,
  mapColorBy: 'score',
  mapSelection: [],
  setMapOpen: (mapOpen) => set({ mapOpen }),
  setProjection: (projection) => set({ projection }),
  setProjectionBusy: (projectionBusy) => set({ projectionBusy }),
  setMapColorBy: (mapColorBy) => set({ mapColorBy }),
  setMapSelection: (ids) =>
    set((s) =>
      ids.length
        ? { mapSelection: ids, filter: 'selection', selectedIds: ids, focusId: ids.includes(s.focusId ?? '') ? s.focusId : ids[0] }
        : { mapSelection: [], filter: s.filter === 'selection' ? 'all' : s.filter, selectedIds: [] },
    ),
});
