import { useEffect, useRef } from 'react';
import { heatmapPixels } from '../lib/colormap';
import type { Colormap } from '../state/ui.slice';

/** Draws a 0..255 heatmap of h×w cells on a 2-D canvas (ImageData), scaled by CSS to its box. */
export function HeatmapCanvas({ heatmap, size, colormap, opacity, className, label }: {
  heatmap: Uint8Array;
  size: [number, number];
  colormap: Colormap;
  opacity: number;
  className?: string;
  label?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const [h, w] = size;
    ctx.putImageData(new ImageData(heatmapPixels(heatmap, colormap), w, h), 0, 0);
  }, [heatmap, size, colormap]);
  return (
    <canvas
      ref={ref}
      width={size[1]}
      height={size[0]}
      className={className ?? 'heatmap'}
      style={{ opacity }}
      data-testid="heatmap-canvas"
      role="img"
      aria-label={label ?? 'Grad-CAM heatmap'}
    />
  );
}
