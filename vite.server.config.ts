// Compiles the Node side that runs outside React Router's build (the HTTP server, the outbox worker,
// scheduled jobs, backup, migrate and db:copy) to plain JavaScript in build/node, so production
// runs with `node` alone. Packages stay external: they come from node_modules at run time.
import { defineConfig } from 'vite'

export default defineConfig({
  resolve: { alias: { '~': new URL('./app', import.meta.url).pathname } },
  // public/ is served from the project folder, not copied into the server build
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'build/node',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: {
        main: 'server/main.ts',
        backup: 'scripts/backup.ts',
        migrate: 'server/migrate.ts',
        'db-copy': 'scripts/db-copy.ts',
      },
      output: { format: 'esm', entryFileNames: '[name].js' },
    },
  },
})
