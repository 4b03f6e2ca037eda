export type DiffLine =
  | { kind: 'same'; text: string; a: number; b: number }
  | { kind: 'removed'; text: string; a: number }
  | { kind: 'added'; text: string; b: number }

/**
 * A line diff (Myers' O(ND) algorithm): the shortest list of removed and added lines that turns
 * `a` into `b`. Line numbers are 1-based. Beyond `maxEdits` differences it gives up on finding
 * the shortest and reports the rest as removed, then added.
 */
export function diffLines(a: readonly string[], b: readonly string[], maxEdits = 5000): DiffLine[] {
  // Common head and tail cost nothing and are most of a typical checkpoint diff.
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++
  const midA = a.slice(head, a.length - tail)
  const midB = b.slice(head, b.length - tail)
  const out: DiffLine[] = []
  for (let i = 0; i < head; i++) out.push({ kind: 'same', text: a[i]!, a: i + 1, b: i + 1 })
  for (const line of middle(midA, midB, maxEdits)) {
    if (line.kind === 'same') out.push({ ...line, a: line.a + head, b: line.b + head })
    else if (line.kind === 'removed') out.push({ ...line, a: line.a + head })
    else out.push({ ...line, b: line.b + head })
  }
  for (let i = tail; i > 0; i--) {
    out.push({ kind: 'same', text: a[a.length - i]!, a: a.length - i + 1, b: b.length - i + 1 })
  }
  return out
}

function middle(a: readonly string[], b: readonly string[], maxEdits: number): DiffLine[] {
  const n = a.length
  const m = b.length
  const max = Math.min(n + m, maxEdits)
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let found = false
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice())
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= n && y >= m) {
        found = true
        break outer
      }
    }
  }
  if (!found) {
    return [
      ...a.map((text, i): DiffLine => ({ kind: 'removed', text, a: i + 1 })),
      ...b.map((text, i): DiffLine => ({ kind: 'added', text, b: i + 1 })),
    ]
  }
  // Walk the trace back from the end to recover the edits.
  const lines: DiffLine[] = []
  let x = n
  let y = m
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!
    const k = x - y
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1
    const prevX = vd[offset + prevK]!
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      lines.push({ kind: 'same', text: a[x - 1]!, a: x, b: y })
      x--
      y--
    }
    if (d > 0) {
      if (x === prevX) lines.push({ kind: 'added', text: b[y - 1]!, b: y })
      else lines.push({ kind: 'removed', text: a[x - 1]!, a: x })
    }
    x = prevX
    y = prevY
  }
  return lines.reverse()
}
