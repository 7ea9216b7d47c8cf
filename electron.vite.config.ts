import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { rendererConfig } from './build/renderer-config';

const root = __dirname;

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: { outDir: 'out/main', rollupOptions: { input: resolve(root, 'src-main/shell/main.ts') } },
  },
  preload: {
    // Sandboxed preloads cannot require modules: bundle everything into one CommonJS file.
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: resolve(root, 'src-preload/index.ts'), output: { format: 'cjs', entryFileNames: 'index.cjs' } },
    },
  },
  renderer: rendererConfig(root),
});
