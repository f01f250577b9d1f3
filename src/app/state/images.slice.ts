import type { StateCreator } from 'zustand';
import type { AppStore } from './store';
import type { ImageRecord } from './types';

/**
 * Heatmaps made elsewhere (no classifier here): the file kind they came in, the class names of
 * predictions.csv in order of first appearance (what `predicted` indexes), and whether it was given.
 */
export interface ImportedSource {
  kind: 'imported';
  format: 'png' | 'npy' | 'explanations';
  classNames: string[];
  predictions: boolean;
}

/** Ingested images (thumbnails only) and files that were skipped, with the reason. */
export interface ImagesSlice {
  /** Image ids in ingest order. */
  imageIds: string[];
  images: Record<string, ImageRecord>;
  skipped: { name: string; reason: string }[];
  /** How the current set was made, so it can be regenerated (demo) or described (files). */
  source: { kind: 'demo'; n: number; seed: number; size: number } | { kind: 'files' } | ImportedSource | null;
  addImages: (records: ImageRecord[]) => void;
  addSkipped: (name: string, reason: string) => void;
  setSource: (source: ImagesSlice['source']) => void;
}

/** Creates the images slice. */
export const createImagesSlice: StateCreator<AppStore, [], [], ImagesSlice> = (set) => ({
  imageIds: [],
  images: {},
  skipped: [],
  source: null,
  addImages: (records) =>
    set((s) => {
      const images = { ...s.images };
      const fresh: string[] = [];
      for (const r of records) {
        if (!images[r.id]) fresh.push(r.id);
        images[r.id] = r;
      }
      return { images, imageIds: fresh.length ? [...s.imageIds, ...fresh] : s.imageIds };
    }),
  addSkipped: (name, reason) => set((s) => ({ skipped: [...s.skipped, { name, reason }] })),
  setSource: (source) => set({ source }),
});
