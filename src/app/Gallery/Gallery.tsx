import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ImageCard } from '../ImageCard';
import { useClassNames, useDeepSadFlags } from '../state/hooks';
import { useAppStore } from '../state/store';
import { GalleryToolbar } from './GalleryToolbar';

const CARD_W = 112;
const ROW_H = 124;

/** The virtualised grid of image cards, in `order`. */
export function Gallery({ order }: { order: string[] }) {
  const images = useAppStore((s) => s.images);
  const explanations = useAppStore((s) => s.explanations);
  const heatmapSize = useAppStore((s) => s.heatmapSize);
  const scores = useAppStore((s) => s.scores);
  const labels = useAppStore((s) => s.labels);
  const selectedIds = useAppStore((s) => s.selectedIds);
  const focusId = useAppStore((s) => s.focusId);
  const colormap = useAppStore((s) => s.colormap);
  const opacity = useAppStore((s) => s.opacity);
  const select = useAppStore((s) => s.select);
  const classNames = useClassNames();
  const flagged = useDeepSadFlags().flags;
  const parentRef = useRef<HTMLDivElement>(null);
  const [cols, setCols] = useState(6);

  useEffect(() => {
    const el = parentRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setCols(Math.max(1, Math.floor(el.clientWidth / CARD_W))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const rows = Math.ceil(order.length / cols);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_H,
    overscan: 4,
    initialRect: { width: 800, height: 600 },
  });

  useEffect(() => {
    if (!focusId) return;
    const i = order.indexOf(focusId);
    if (i >= 0) virtualizer.scrollToIndex(Math.floor(i / cols), { align: 'auto' });
  }, [focusId, order, cols, virtualizer]);

  const onClick = useCallback(
    (id: string, ev: React.MouseEvent) => select(id, ev.shiftKey ? 'range' : ev.ctrlKey || ev.metaKey ? 'toggle' : 'only', order),
    [select, order],
  );
  const selected = new Set(selectedIds);

  return (
    <section className="gallery" aria-label="Images ranked by anomaly score">
      <GalleryToolbar shown={order.length} />
      <div ref={parentRef} className="gallery-scroll" data-testid="gallery">
        {order.length === 0 && <p className="empty">No images yet. Try the insulator demo, or drop images and a model.</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => (
            <div key={row.key} className="gallery-row" style={{ transform: `translateY(${row.start}px)`, height: ROW_H }}>
              {order.slice(row.index * cols, row.index * cols + cols).map((id) => {
                const e = explanations[id];
                return (
                  <ImageCard
                    key={id}
                    image={images[id]}
                    explanation={e}
                    heatmapSize={heatmapSize}
                    score={scores[id]}
                    label={labels[id]}
                    flagged={flagged.has(id)}
                    selected={selected.has(id)}
                    focused={focusId === id}
                    className={e ? (e.predicted < 0 ? 'no prediction' : (classNames[e.predicted] ?? String(e.predicted))) : ''}
                    colormap={colormap}
                    opacity={opacity}
                    onClick={onClick}
                  />
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}
