import { useClassNames } from '../state/hooks';
import { useAppStore } from '../state/store';
import type { Colormap, FilterKey, SortKey } from '../state/ui.slice';

/** Sort, filter and overlay controls of the gallery. */
export function GalleryToolbar({ shown }: { shown: number }) {
  const sortBy = useAppStore((s) => s.sortBy);
  const sortDesc = useAppStore((s) => s.sortDesc);
  const filter = useAppStore((s) => s.filter);
  const opacity = useAppStore((s) => s.opacity);
  const colormap = useAppStore((s) => s.colormap);
  const total = useAppStore((s) => s.imageIds.length);
  const picked = useAppStore((s) => s.mapSelection.length);
  const classNames = useClassNames();
  const { setSort, setFilter, setOpacity, setColormap } = useAppStore.getState();
  return (
    <div className="toolbar" role="toolbar" aria-label="Gallery options">
      <label>
        Sort by{' '}
        <select data-testid="sort-by" value={sortBy} onChange={(e) => setSort(e.target.value as SortKey, sortDesc)}>
          <option value="score">review score</option>
          <option value="confidence">confidence</option>
          <option value="faithfulness">faithfulness (deletion)</option>
          <option value="name">name</option>
        </select>
      </label>
      <button type="button" onClick={() => setSort(sortBy, !sortDesc)} aria-label={sortDesc ? 'Descending; switch to ascending' : 'Ascending; switch to descending'}>
        {sortDesc ? '↓' : '↑'}
      </button>
      <label>
        Show{' '}
        <select data-testid="filter" value={filter} onChange={(e) => setFilter(e.target.value as FilterKey)}>
          <option value="all">all</option>
          <option value="unlabeled">unlabeled</option>
          <option value="flagged">flagged</option>
          <option value="next">label next (teaches the detector most)</option>
          <option value="normal">labeled normal</option>
          <option value="anomalous">labeled anomalous</option>
          <option value="misclassified">misclassified</option>
          {(picked > 0 || filter === 'selection') && <option value="selection">picked on the map ({picked})</option>}
          {classNames.map((c, i) => (
            <option key={c} value={`class:${i}`}>
              predicted {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        Overlay{' '}
        <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} aria-label="Heatmap opacity" />
      </label>
      <label>
        Colormap{' '}
        <select value={colormap} onChange={(e) => setColormap(e.target.value as Colormap)}>
          <option value="jet">jet</option>
          <option value="inferno">inferno</option>
          <option value="gray">gray</option>
        </select>
      </label>
      <span className="count" aria-live="polite">
        {shown} of {total} shown
      </span>
    </div>
  );
}
