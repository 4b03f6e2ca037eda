import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NereidError } from '@nereid/core'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

export interface WebAppOptions {
  /** The built web app (index.html and assets/); defaults to the @nereid/web build beside this package. */
  dir?: string | undefined
}

/**
 * `packages/server/{src,dist}/routes` and `node_modules/@nereid/server/dist/routes` both sit three
 * levels below the folder that holds the web package.
 */
const DEFAULT_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url))

/** Paths that belong to the APIs: an unknown one is an API 404, never the app's page. */
const API_PREFIXES = ['/api/', '/auth/']

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * The page's rules: scripts and styles only from this server; previews of uploaded images and
 * HTML come from blob: URLs and sandboxed srcdoc frames; nobody may frame the app.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "frame-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ')

/**
 * Serves the built web app: hashed assets with a year of caching (precompressed copies when
 * the browser takes them), and `index.html` for every other GET path so the app's own router
 * handles deep links such as `/team/vision/e/VISION-12`. Paths under /api/ and /auth/ never
 * get the page: they answer the API's ROUTE_NOT_FOUND.
 */
export async function webAppRoutes(app: FastifyInstance, options: WebAppOptions): Promise<void> {
  const root = resolve(options.dir ?? DEFAULT_DIR)

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = safeDecode(request.url.split('?')[0]!)
    if (path === '/api' || path === '/auth' || API_PREFIXES.some((p) => path.startsWith(p))) {
      throw new NereidError('ROUTE_NOT_FOUND', `no route ${request.method} ${path}`)
    }
    if (path.startsWith('/assets/')) {
      const file = inside(root, path.slice(1))
      if (file === null || !(await isFile(file))) {
        throw new NereidError('FILE_NOT_FOUND', `no web app asset ${path}`)
      }
      return sendStatic(request, reply, file, 'public, max-age=31536000, immutable')
    }
    // Top-level files of the build (favicon.svg, robots.txt) are served as they are.
    if (/^\/[\w.-]+\.[a-z0-9]+$/i.test(path) && path !== '/index.html') {
      const file = inside(root, path.slice(1))
      if (file !== null && (await isFile(file))) {
        return sendStatic(request, reply, file, 'public, max-age=3600')
      }
    }
    const index = join(root, 'index.html')
    let html: string
    try {
      html = await readFile(index, 'utf8')
    } catch {
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(NOT_BUILT_PAGE(root))
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'SAMEORIGIN')
      .header('referrer-policy', 'same-origin')
      .send(html)
  }
  app.get('/', { config: { permission: 'public' } }, page)
  app.get('/*', { config: { permission: 'public' } }, page)
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/** The absolute path of `relative` under `root`, or null when it would leave it. */
function inside(root: string, relative: string): string | null {
  if (relative.includes('\0')) return null
  const file = resolve(root, relative)
  return file.startsWith(root + sep) ? file : null
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

async function sendStatic(
  request: FastifyRequest,
  reply: FastifyReply,
  file: string,
  cacheControl: string,
): Promise<FastifyReply> {
  const accepted = String(request.headers['accept-encoding'] ?? '')
  reply
    .type(CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
    .header('cache-control', cacheControl)
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-encoding')
  for (const [encoding, suffix] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (new RegExp(`\\b${encoding}\\b`).test(accepted) && (await isFile(file + suffix))) {
      const { size } = await stat(file + suffix)
      return reply
        .header('content-encoding', encoding)
        .header('content-length', size)
        .send(createReadStream(file + suffix))
    }
  }
  const { size } = await stat(file)
  return reply.header('content-length', size).send(createReadStream(file))
}

function NOT_BUILT_PAGE(root: string): string {
  const escaped = root.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Nereid</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Nereid is running; its web app is not built</h1>
<p>This server found no web app in <code>${escaped}</code>. Build it with <code>npm run build</code>
in the Nereid folder (or start the server with <code>npm start</code>, which builds first), then reload this page.</p>
<p>The API works without it: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>`
}
