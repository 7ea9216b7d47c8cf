import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

/** The renderer's Vite config, shared by electron-vite (desktop) and the browser host's on-demand build. */
export function rendererConfig(projectRoot: string): UserConfig {
  return {
    root: resolve(projectRoot, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(projectRoot, 'out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: resolve(projectRoot, 'src-renderer/index.html') },
    },
  };
}
