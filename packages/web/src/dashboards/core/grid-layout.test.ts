import { describe, expect, it } from 'vitest'
import { clampLayout, placeNew, settleLayout, type PlacedItem } from './grid-layout.js'

const item = (id: string, x: number, y: number, w: number, h: number): PlacedItem => ({
  id,
  layout: { x, y, w, h },
})

const overlapping = (items: PlacedItem[]) =>
  items.some((a, i) =>
    items.some(
      (b, j) =>
        i < j &&
        a.layout.x < b.layout.x + b.layout.w &&
        b.layout.x < a.layout.x + a.layout.w &&
        a.layout.y < b.layout.y + b.layout.h &&
        b.layout.y < a.layout.y + a.layout.h,
    ),
  )

describe('dashboard grid', () => {
  it('keeps layouts on the grid', () => {
    expect(clampLayout({ x: 11, y: -2, w: 4, h: 0 })).toEqual({ x: 8, y: 0, w: 4, h: 1 })
  })

  it('pushes widgets a moved one lands on below it, and never overlaps', () => {
    const items = [item('a', 0, 0, 6, 4), item('b', 6, 0, 6, 4), item('c', 0, 4, 12, 2)]
    const settled = settleLayout(
      items.map((i) => (i.id === 'c' ? item('c', 0, 0, 12, 2) : i)),
      'c',
    )
    expect(settled.find((i) => i.id === 'c')!.layout).toEqual({ x: 0, y: 0, w: 12, h: 2 })
    expect(settled.find((i) => i.id === 'a')!.layout.y).toBe(2)
    expect(overlapping(settled)).toBe(false)
  })

  it('lets widgets rise into holes', () => {
    const settled = settleLayout([item('a', 0, 10, 6, 2), item('b', 0, 20, 6, 2)])
    expect(settled.map((i) => i.layout.y)).toEqual([0, 2])
  })

  it('resizing a widget moves its neighbours out of the way', () => {
    const items = [item('a', 0, 0, 6, 2), item('b', 6, 0, 6, 2)]
    const settled = settleLayout([item('a', 0, 0, 8, 3), items[1]!], 'a')
    expect(settled.find((i) => i.id === 'b')!.layout).toEqual({ x: 6, y: 3, w: 6, h: 2 })
    expect(overlapping(settled)).toBe(false)
  })

  it('places a new widget in the first free spot', () => {
    expect(placeNew([item('a', 0, 0, 6, 4)], 6, 4)).toEqual({ x: 6, y: 0, w: 6, h: 4 })
    expect(placeNew([item('a', 0, 0, 12, 4)], 4, 2)).toEqual({ x: 0, y: 4, w: 4, h: 2 })
  })
})
