/** The focused cell of the table; row -1 is the header. */
export interface CellFocus {
  row: number
  column: number
}

export interface GridBounds {
  rows: number
  columns: number
  /** Rows one PageUp / PageDown moves. */
  pageRows: number
}

/**
 * Where a key moves the focus: arrows one cell, PageUp/PageDown a screen, Home/End the row's
 * ends (with Ctrl: the table's), clamped to the table. Null for keys that do not move it.
 */
export function moveFocus(
  focus: CellFocus,
  key: string,
  bounds: GridBounds,
  ctrl = false,
): CellFocus | null {
  const lastRow = bounds.rows - 1
  const lastColumn = bounds.columns - 1
  const clamp = (row: number, column: number): CellFocus => ({
    row: Math.max(-1, Math.min(lastRow, row)),
    column: Math.max(0, Math.min(lastColumn, column)),
  })
  switch (key) {
    case 'ArrowUp':
      return clamp(focus.row - 1, focus.column)
    case 'ArrowDown':
      return clamp(focus.row + 1, focus.column)
    case 'ArrowLeft':
      return clamp(focus.row, focus.column - 1)
    case 'ArrowRight':
      return clamp(focus.row, focus.column + 1)
    case 'PageUp':
      return clamp(Math.max(0, focus.row - bounds.pageRows), focus.column)
    case 'PageDown':
      return clamp(focus.row + bounds.pageRows, focus.column)
    case 'Home':
      return ctrl ? clamp(0, 0) : clamp(focus.row, 0)
    case 'End':
      return ctrl ? clamp(lastRow, lastColumn) : clamp(focus.row, lastColumn)
    default:
      return null
  }
}
