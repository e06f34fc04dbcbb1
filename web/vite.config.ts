import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The browser side: the IDE (GraphiQL) and the stewards' console, built into
 * dist/web and served by the gateway itself. Everything the pages load comes
 * from this build: no CDN, no web font, no telemetry.
 */
export default defineConfig({
  root: __dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.join(__dirname, '..', 'dist', 'web'),
    emptyOutDir: true,
    // The gateway serves /assets/* as immutable: every file name there carries its content's hash.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 2_000,
    rollupOptions: {
      input: { ide: path.join(__dirname, 'ide', 'index.html'), console: path.join(__dirname, 'console', 'index.html') },
    },
  },
});
