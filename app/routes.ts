// The URLs are the file names under app/routes (the Remix v2 flat-routes convention, kept so that
// every link already sent in an email or newsletter still works).
import type { RouteConfig } from '@react-router/dev/routes'
import { flatRoutes } from '@react-router/fs-routes'

export default flatRoutes({ ignoredRouteFiles: ['**/*.test.*'] }) satisfies RouteConfig
