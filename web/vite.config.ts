import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dashboard is served by `ballast serve` from web/dist (same origin as /api and /ws). During
// development `npm run dev` proxies both to a server on 127.0.0.1:8080.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    // Hashed file names under assets/: the server serves them with a long immutable cache lifetime and
    // index.html with no-cache, so a rebuilt dashboard is picked up at the next load.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
