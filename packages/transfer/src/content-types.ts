/**
 * File names and types for imported files. Neptune 2.x exports keep neither extension nor MIME
 * type, so the common formats are recognised by their first bytes.
 */

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  json: 'application/json',
  html: 'text/html',
  txt: 'text/plain',
  csv: 'text/csv',
  py: 'text/x-python',
  patch: 'text/x-diff',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  pkl: 'application/octet-stream',
  pt: 'application/octet-stream',
  bin: 'application/octet-stream',
}

const MAGIC: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'png'],
  [[0xff, 0xd8, 0xff], 'jpeg'],
  [[0x47, 0x49, 0x46, 0x38], 'gif'],
  [[0x25, 0x50, 0x44, 0x46], 'pdf'],
  [[0x50, 0x4b, 0x03, 0x04], 'zip'],
  [[0x1f, 0x8b], 'gz'],
]

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : ''
}

export function contentTypeOf(ext: string): string {
  return BY_EXTENSION[ext.toLowerCase()] ?? 'application/octet-stream'
}

/** The extension the bytes' format implies, or '' when unknown. */
export function sniffExtension(bytes: Uint8Array): string {
  for (const [magic, ext] of MAGIC) {
    if (magic.every((byte, i) => bytes[i] === byte)) return ext
  }
  return ''
}

/** Name, extension and content type for a file whose name may lack an extension. */
export function describeFile(
  name: string,
  bytes: Uint8Array,
): { name: string; ext: string; contentType: string } {
  const ext = extensionOf(name) || sniffExtension(bytes)
  return { name, ext, contentType: contentTypeOf(ext) }
}
