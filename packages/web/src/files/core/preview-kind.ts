/** How a file is shown: drawn as an image, laid out as a table, rendered (sandboxed), or read as text. */
export type PreviewKind = 'image' | 'csv' | 'json' | 'html' | 'text' | 'none'

const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'svg', 'avif'])
const TEXT = new Set([
  'txt',
  'log',
  'md',
  'py',
  'ts',
  'js',
  'tsx',
  'jsx',
  'sh',
  'yaml',
  'yml',
  'toml',
  'ini',
  'cfg',
  'conf',
  'diff',
  'patch',
  'rst',
  'c',
  'h',
  'cpp',
  'hpp',
  'java',
  'go',
  'rs',
  'rb',
  'r',
  'sql',
  'xml',
  'tex',
  'ipynb',
  'env',
  'gitignore',
  'dockerfile',
  'mk',
  'makefile',
  'css',
  'scss',
])

/** Largest file shown inline; bigger ones are offered for download. */
export const MAX_PREVIEW_BYTES = 10 * 1024 * 1024

export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  return dot <= 0 ? base.toLowerCase() : base.slice(dot + 1).toLowerCase()
}

export function previewKind(name: string, contentType = '', size = 0): PreviewKind {
  if (size > MAX_PREVIEW_BYTES) return 'none'
  const ext = extensionOf(name)
  const type = contentType.toLowerCase()
  if (type.startsWith('image/') || IMAGE.has(ext)) return 'image'
  if (ext === 'csv' || ext === 'tsv' || type === 'text/csv') return 'csv'
  if (ext === 'json' || ext === 'jsonl' || type === 'application/json') return 'json'
  if (ext === 'html' || ext === 'htm' || type === 'text/html') return 'html'
  if (type.startsWith('text/') || TEXT.has(ext)) return 'text'
  return 'none'
}

/** Pretty-prints JSON (and JSON lines); text that does not parse is returned as it is. */
export function prettyJson(text: string): { text: string; valid: boolean } {
  try {
    return { text: JSON.stringify(JSON.parse(text), null, 2), valid: true }
  } catch {
    const lines = text.split('\n').filter((line) => line.trim() !== '')
    try {
      return {
        text: lines.map((line) => JSON.stringify(JSON.parse(line))).join('\n'),
        valid: lines.length > 0,
      }
    } catch {
      return { text, valid: false }
    }
  }
}
