/** One group of a grouped table: its header row, then its rows when expanded. */
export interface GroupSlot {
  key: string
  /** Rows of the group shown under its header (0 when collapsed). */
  shownRows: number
}

export type GroupItem =
  | { kind: 'group'; group: number }
  /** `offset` is the row's position inside its group. */
  | { kind: 'row'; group: number; offset: number }

/**
 * A grouped table as one list the virtualizer scrolls: header, rows, header, rows… Finding
 * the item at an index is a binary search over the groups' start positions, so a table with a
 * thousand groups of thousands of runs scrolls as cheaply as a flat one.
 */
export class GroupLayout {
  readonly #starts: number[]
  readonly #groups: readonly GroupSlot[]
  readonly size: number

  constructor(groups: readonly GroupSlot[]) {
    this.#groups = groups
    this.#starts = new Array<number>(groups.length)
    let position = 0
    groups.forEach((group, index) => {
      this.#starts[index] = position
      position += 1 + Math.max(0, group.shownRows)
    })
    this.size = position
  }

  itemAt(index: number): GroupItem | null {
    if (index < 0 || index >= this.size) return null
    let low = 0
    let high = this.#starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (this.#starts[middle]! <= index) low = middle
      else high = middle - 1
    }
    const offset = index - this.#starts[low]!
    return offset === 0
      ? { kind: 'group', group: low }
      : { kind: 'row', group: low, offset: offset - 1 }
  }

  /** Where a group's header sits in the list. */
  headerIndex(group: number): number {
    return this.#starts[group] ?? -1
  }

  /** The rows [start, end) of each group that the list items [from, to) show. */
  rowRanges(from: number, to: number): Map<number, { start: number; end: number }> {
    const ranges = new Map<number, { start: number; end: number }>()
    for (let index = Math.max(0, from); index < Math.min(to, this.size); index++) {
      const item = this.itemAt(index)!
      if (item.kind !== 'row') continue
      const range = ranges.get(item.group)
      if (range) range.end = item.offset + 1
      else ranges.set(item.group, { start: item.offset, end: item.offset + 1 })
    }
    return ranges
  }

  get groups(): readonly GroupSlot[] {
    return this.#groups
  }
}
