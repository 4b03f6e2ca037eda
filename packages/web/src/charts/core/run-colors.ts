/**
 * Twenty colours that stay apart from each other on light and dark backgrounds (Tableau 20,
 * reordered so that the first ten are the most distinct).
 */
export const RUN_PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#aec7e8',
  '#ffbb78',
  '#98df8a',
  '#ff9896',
  '#c5b0d5',
  '#c49c94',
  '#f7b6d2',
  '#c7c7c7',
  '#dbdb8d',
  '#9edae5',
] as const

/** FNV-1a: a stable hash of a run id, the same on every page and every visit. */
export function hashId(id: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * A colour per run. Each run prefers the colour its id hashes to, so it keeps its colour
 * wherever it appears; when two runs of one chart prefer the same colour, the later one takes
 * the next free colour.
 */
export function assignRunColors(ids: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>()
  const used = new Set<number>()
  for (const id of ids) {
    if (colors.has(id)) continue
    let index = hashId(id) % RUN_PALETTE.length
    if (used.size < RUN_PALETTE.length) {
      while (used.has(index)) index = (index + 1) % RUN_PALETTE.length
    }
    used.add(index)
    colors.set(id, RUN_PALETTE[index]!)
  }
  return colors
}
