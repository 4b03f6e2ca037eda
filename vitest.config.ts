import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript sources in tests (the `@nereid/source`
// export condition), so a test never runs against a stale build of a sibling package.
export default defineConfig({
  resolve: { conditions: ['@nereid/source'] },
  ssr: { resolve: { conditions: ['@nereid/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
