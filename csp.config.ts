/**
 * The Content-Security-Policy of the built site (issue 14): one policy, delivered twice, because a
 * static host may not let us set headers: as a `<meta>` tag injected into the built index.html, and
 * as a response header by `vite preview` (which also gets what only a header can say, frame-ancestors).
 *
 * Every script, worker, model file and wasm binary comes from this origin; nothing is fetched from
 * anywhere else. What tfjs needs is allowed narrowly rather than loosened:
 *   - 'wasm-unsafe-eval': compiling the wasm backend (WebAssembly.instantiate), and nothing else (no eval);
 *   - worker-src 'self': Vite builds the tfjs and detector workers as module files of this origin;
 *   - img-src / connect-src blob: the page's own object URLs (thumbnails, dropped files, downloads);
 *   - style-src 'unsafe-inline': React's style attributes (no inline <style> or script is emitted).
 * The dev server (`npm run dev`) sets none of this: its hot-reload preamble is an inline script.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
];

/** The policy of the `<meta http-equiv>` tag (frame-ancestors is ignored there). */
export const CSP_META = DIRECTIVES.join('; ');

/** The policy of the response header `vite preview` sends. */
export const CSP_HEADER = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');
