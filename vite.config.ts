import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { CSP_HEADER, CSP_META } from './csp.config.ts';

/** Puts the CSP (csp.config.ts) into the built index.html as the first tag of <head>. */
function cspMeta(): Plugin {
  return {
    name: 'apexp-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_META }, injectTo: 'head-prepend' }],
  };
}

// `base: './'` makes every asset URL relative, so the built site works from any sub-path
// (a static host's /apexp/, a file share) as well as from the root served by `npm run preview`.
export default defineConfig({
  base: './',
  plugins: [react(), cspMeta()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  preview: { port: 4173, strictPort: true, headers: { 'Content-Security-Policy': CSP_HEADER } },
});
