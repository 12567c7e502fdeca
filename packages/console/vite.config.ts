import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The SPA lives in app/ and is built into dist/app, served by the server at /console/.
// Everything is bundled: no CDN, no external fonts.
export default defineConfig({
  root: `${here}app`,
  base: '/console/',
  plugins: [react()],
  build: { outDir: `${here}dist/app`, emptyOutDir: true, assetsInlineLimit: 0, sourcemap: false, chunkSizeWarningLimit: 800 },
});
