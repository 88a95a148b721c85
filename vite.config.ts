import { reactRouter } from '@react-router/dev/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  resolve: { alias: { '~': new URL('./app', import.meta.url).pathname } },
  css: {
    preprocessorOptions: {
      scss: {
        loadPaths: ['node_modules'],
        // govuk-frontend 5 still uses @import and old colour functions
        silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'slash-div', 'if-function'],
        quietDeps: true,
      },
    },
  },
  plugins: [reactRouter()],
})
