/**
 * Builds the renderer into dist/renderer at the repository root. Paths resolve from this file,
 * not from the working directory, so `vite build --config renderer/vite.config.ts` works from
 * anywhere. `base: './'` keeps asset URLs relative: the same build loads from the browser host
 * and from Electron.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// A file: URL to a path, without Node's url module (the renderer's config has no Node types).
function pathOf(relative: string): string {
  const path = decodeURIComponent(new URL(relative, import.meta.url).pathname);
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}

export default defineConfig({
  root: pathOf('.'),
  base: './',
  plugins: [react()],
  build: {
    outDir: pathOf('../dist/renderer'),
    emptyOutDir: true,
    // The CSP allows no inline script or style: keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
});
