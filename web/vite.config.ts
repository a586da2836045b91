// Builds the web app into web/dist, which the Careloop server serves at `/` (src/server/http/web-app.ts).
// In development, `npx vite --config web/vite.config.ts` serves it with the API proxied to a running server.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.CARELOOP_URL ?? 'http://localhost:8080';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/fhir': api, '/auth': api } },
});
