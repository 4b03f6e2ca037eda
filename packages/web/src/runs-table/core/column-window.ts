/** Columns are read in blocks of this many, so a small sideways scroll reads nothing again. */
export const COLUMN_BLOCK = 8

/** Which of the table's scrolling (not pinned) columns are on screen, by index. */
export interface ColumnWindow {
  first: number
  last: number
}

/**
 * The columns rows are read with: the pinned ones, and the scrolling ones from the block the
 * first on screen is in to one block past the last. A search costs the server about the same
 * per cell, so a 50-column table read whole costs three or four times what the screen shows;
 * reading what is on screen keeps pages arriving as fast as a quick scroll needs them. At least
 * the first three blocks' worth is read.
 */
export function columnsToRead(
  columns: readonly { path: string; pinned: boolean }[],
  window: ColumnWindow | null,
): string[] {
  const pinned = columns.filter((column) => column.pinned).map((column) => column.path)
  const scrolling = columns.filter((column) => !column.pinned).map((column) => column.path)
  const from = window ? Math.floor(window.first / COLUMN_BLOCK) * COLUMN_BLOCK : 0
  // Never fewer than the first screen's blocks: the table reports a window before it has its
  // width, and reading again for that would throw away the first page on its way.
  const to = Math.max(
    3 * COLUMN_BLOCK,
    window ? (Math.floor(window.last / COLUMN_BLOCK) + 2) * COLUMN_BLOCK : 0,
  )
  return [...new Set([...pinned, ...scrolling.slice(from, to)])].sort()
}
