import type { StateCreator } from 'zustand';
import type { BackendName } from '../../core/tf/backend';
import type { AppStore } from './store';
import type { RunState } from './types';

/** Gallery order. */
export type SortKey = 'score' | 'confidence' | 'faithfulness' | 'name';
/** Gallery filter (`selection` = the points picked on the map). */
export type FilterKey = 'all' | 'unlabeled' | 'flagged' | 'next' | 'normal' | 'anomalous' | 'misclassified' | 'selection' | `class:${number}`;
export type Colormap = 'jet' | 'inferno' | 'gray';

/** One user-visible message, always one line (errors and notices share the notifier). */
export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

/** Selection, view options, the running job, the backend and the notifier. */
export interface UiSlice {
  backend: BackendName | 'starting' | 'unavailable';
  selectedIds: string[];
  /** The card the keyboard acts on (also the detail view's image). */
  focusId: string | null;
  sortBy: SortKey;
  sortDesc: boolean;
  filter: FilterKey;
  opacity: number;
  colormap: Colormap;
  helpOpen: boolean;
  run: RunState;
  notices: Notice[];
  setBackend: (b: UiSlice['backend']) => void;
  /** Click semantics: plain = only this card; `toggle` (ctrl/cmd) adds/removes; `range` (shift) extends over `order`. */
  select: (id: string, mode?: 'only' | 'toggle' | 'range', order?: string[]) => void;
  setFocus: (id: string | null) => void;
  setSort: (by: SortKey, desc?: boolean) => void;
  setFilter: (f: FilterKey) => void;
  setOpacity: (o: number) => void;
  setColormap: (c: Colormap) => void;
  setHelpOpen: (open: boolean) => void;
  setRun: (run: Partial<RunState>) => void;
  notify: (kind: Notice['kind'], message: string) => void;
  dismiss: (id: number) => void;
}

export const IDLE_RUN: RunState = { kind: 'idle', jobId: 0, stage: '', done: 0, total: 0, startedAt: 0 };

let noticeId = 1;

/** Creates the ui slice. */
export const createUiSlice: StateCreator<AppStore, [], [], UiSlice> = (set) => ({
  backend: 'starting',
  selectedIds: [],
  focusId: null,
  sortBy: 'score',
  sortDesc: true,
  filter: 'all',
  opacity: 0.5,
  colormap: 'jet',
  helpOpen: false,
  run: IDLE_RUN,
  notices: [],
  setBackend: (backend) => set({ backend }),
  select: (id, mode = 'only', order = []) =>
    set((s) => {
      if (mode === 'toggle') {
        const has = s.selectedIds.includes(id);
        return { selectedIds: has ? s.selectedIds.filter((x) => x !== id) : [...s.selectedIds, id], focusId: id };
      }
      if (mode === 'range' && s.focusId) {
        const a = order.indexOf(s.focusId);
        const b = order.indexOf(id);
        if (a >= 0 && b >= 0) {
          const range = order.slice(Math.min(a, b), Math.max(a, b) + 1);
          return { selectedIds: [...new Set([...s.selectedIds, ...range])], focusId: id };
        }
      }
      return { selectedIds: [id], focusId: id };
    }),
  setFocus: (focusId) => set({ focusId, selectedIds: focusId ? [focusId] : [] }),
  setSort: (sortBy, sortDesc = true) => set({ sortBy, sortDesc }),
  setFilter: (filter) => set({ filter }),
  setOpacity: (opacity) => set({ opacity }),
  setColormap: (colormap) => set({ colormap }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setRun: (run) => set((s) => ({ run: { ...s.run, ...run } })),
  // One line each: tfjs and the browser put newlines in some error messages (e.g. "Improper config format: …\n'className' and …").
  notify: (kind, message) => set((s) => ({ notices: [...s.notices.slice(-4), { id: noticeId++, kind, message: message.replace(/\s*\n\s*/g, ' ') }] })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
