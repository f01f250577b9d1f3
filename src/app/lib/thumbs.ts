/** Object URLs of thumbnail Blobs, made once per Blob and kept while the Blob lives. */
const urls = new WeakMap<Blob, string>();

/** A URL for `<img src>` of `blob` ('' where object URLs are unavailable, e.g. jsdom). */
export function thumbUrl(blob: Blob | undefined): string {
  if (!blob || typeof URL.createObjectURL !== 'function') return '';
  let u = urls.get(blob);
  if (!u) {
    u = URL.createObjectURL(blob);
    urls.set(blob, u);
  }
  return u;
}

/** Formats seconds as "1m 05s" / "12s". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  const m = Math.floor(s / 60);
  const r = Math.round(s % 60);
  return m ? `${m}m ${String(r).padStart(2, '0')}s` : `${r}s`;
}
