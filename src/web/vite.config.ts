import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** The web app: built into dist/web, which the API server serves (src/http/app.ts). */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    port: 5173,
    // `candor start` listens on 4000; the realtime gateway lives under /api too (ws).
    proxy: { '/api': { target: 'http://localhost:4000', ws: true } },
  },
});
