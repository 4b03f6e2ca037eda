import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { defineConfig, defaultClientConditions, type Plugin } from 'vite'

/**
 * Writes .br and .gz copies of every text asset next to it, so the server sends compressed
 * bytes without compressing per request (it picks the copy the browser accepts).
 */
function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'nereid-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    async closeBundle() {
      const dir = join(outDir, 'assets')
      for (const name of await readdir(dir)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue
        const bytes = await readFile(join(dir, name))
        await writeFile(join(dir, `${name}.gz`), gzipSync(bytes, { level: 9 }))
        await writeFile(
          join(dir, `${name}.br`),
          brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        )
      }
    },
  }
}

export default defineConfig({
  // The domain core is compiled from its TypeScript sources, like in tests.
  resolve: { conditions: ['@nereid/source', ...defaultClientConditions] },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The project page's first load has a budget (docs/web.md); the rest is split by page.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      treeshake: {
        // The domain core is pure (no I/O, nothing done on import that the app needs), so modules
        // the app does not use are dropped: the operation checker, which compiles TypeBox
        // validators with \`new Function\` on load, never reaches the page (its CSP forbids eval).
        moduleSideEffects: (id: string) => !/[/\\]packages[/\\]core[/\\]src[/\\]/.test(id),
      },
      onwarn(warning, warn) {
        // TanStack marks its hooks "use client" for server-rendering frameworks; meaningless here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return
        warn(warning)
      },
    },
  },
  plugins: [precompress()],
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/auth': 'http://127.0.0.1:8080',
    },
  },
})
