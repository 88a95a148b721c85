// React Router framework mode: server rendering, with the app's route files under app/routes.
import type { Config } from '@react-router/dev/config'

export default {
  appDirectory: 'app',
  buildDirectory: 'build',
  ssr: true,
  // React Router 8's behaviours stay off until the move to v8 (docs/decisions/005): each one is
  // its own change with its own tests, and v8_trailingSlashAwareDataRequests changes data URLs.
  future: {
    v8_middleware: false,
    v8_splitRouteModules: false,
    v8_viteEnvironmentApi: false,
    v8_passThroughRequests: false,
    v8_trailingSlashAwareDataRequests: false,
  },
} satisfies Config
