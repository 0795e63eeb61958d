import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    esbuild: { jsx: 'automatic' },
    // React's production build for the prerendered first screen (the only bundled code that reads it).
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    // Stores read by the prerendered first screen show the state it was given (see live-stores.ts).
    resolve: { alias: [{ find: /^zustand$/, replacement: resolve(import.meta.dirname, 'src/renderer/src/prerender/live-stores.ts') }] },
    build: {
      // Bundled rather than loaded file by file: Node would resolve each of drizzle's
      // hundreds of modules against its 180 KB package.json, which costs every CLI call
      // and every start half a second and a burst of garbage.
      externalizeDeps: { exclude: ['drizzle-orm', 'semver', 'zod'] },
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/shell/index.ts'),
          cli: resolve(import.meta.dirname, 'src/main/cli.ts'),
          // One writer process for the receiver's store bench and the tests that race writers on one database.
          'store-load': resolve(import.meta.dirname, 'src/main/store-load.ts'),
          // The window's first screen rendered where `serve` sends the page (loaded by serve, not by the engine).
          'first-paint': resolve(import.meta.dirname, 'src/renderer/src/prerender/first-paint.tsx'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      // Less script to parse before the first list paints.
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
