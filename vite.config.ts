import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // Maps are written for debugging but not linked from the bundle, and Picket does not serve them.
    sourcemap: 'hidden',
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
});
