import type { WidgetLayout } from '../../api/wire-types.js'

/** Dashboards sit on a 12-column grid; rows are a fixed height. */
export const GRID_COLUMNS = 12

export interface PlacedItem {
  id: string
  layout: WidgetLayout
}

function overlaps(a: WidgetLayout, b: WidgetLayout): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/** Keeps a layout on the grid: at least one cell, no wider than the grid, not off its edges. */
export function clampLayout(layout: WidgetLayout): WidgetLayout {
  const w = Math.max(1, Math.min(GRID_COLUMNS, Math.round(layout.w)))
  const h = Math.max(1, Math.min(100, Math.round(layout.h)))
  const x = Math.max(0, Math.min(GRID_COLUMNS - w, Math.round(layout.x)))
  const y = Math.max(0, Math.round(layout.y))
  return { x, y, w, h }
}

/**
 * Settles items after one of them moved or resized: the moved item keeps its place, items it
 * overlaps are pushed down below it, and then every item rises as far as it can (no holes),
 * in top-to-bottom order. The result never overlaps.
 */
export function settleLayout(
  items: readonly PlacedItem[],
  movedId: string | null = null,
): PlacedItem[] {
  const moved = items.find((item) => item.id === movedId)
  const others = items
    .filter((item) => item.id !== movedId)
    .map((item) => ({ id: item.id, layout: clampLayout(item.layout) }))
    .sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x)
  const placed: PlacedItem[] = []
  if (moved) placed.push({ id: moved.id, layout: clampLayout(moved.layout) })
  for (const item of others) {
    const layout = { ...item.layout }
    // Rise as far as possible, then fall until free.
    layout.y = 0
    while (placed.some((other) => overlaps(other.layout, layout))) layout.y++
    placed.push({ id: item.id, layout })
  }
  // The moved item also rises into any hole above it.
  if (moved) {
    const first = placed[0]!
    const rest = placed.slice(1)
    const layout = { ...first.layout }
    while (
      layout.y > 0 &&
      !rest.some((other) => overlaps(other.layout, { ...layout, y: layout.y - 1 }))
    ) {
      layout.y--
    }
    placed[0] = { id: first.id, layout }
  }
  const order = new Map(items.map((item, index) => [item.id, index]))
  return placed.sort((a, b) => order.get(a.id)! - order.get(b.id)!)
}

/** Where a new widget goes: the first free spot of its size, scanning rows top-down. */
export function placeNew(items: readonly PlacedItem[], w: number, h: number): WidgetLayout {
  for (let y = 0; ; y++) {
    for (let x = 0; x + w <= GRID_COLUMNS; x++) {
      const layout = { x, y, w, h }
      if (!items.some((item) => overlaps(item.layout, layout))) return layout
    }
  }
}

/** Grid cells from a pointer movement in pixels. */
export function pixelsToCells(
  dx: number,
  dy: number,
  columnWidth: number,
  rowHeight: number,
): { dx: number; dy: number } {
  return { dx: Math.round(dx / columnWidth), dy: Math.round(dy / rowHeight) }
}
