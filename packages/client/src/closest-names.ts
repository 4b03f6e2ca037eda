/** Levenshtein distance, case-insensitive: how many edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i)
  for (let i = 1; i <= x.length; i++) {
    const current = [i]
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[y.length]!
}

/**
 * The names most like `wanted`, best first: those within a few edits (scaled to the length),
 * or containing it, or contained in it. At most `limit`.
 */
export function closestNames(wanted: string, names: readonly string[], limit = 3): string[] {
  const lower = wanted.toLowerCase()
  return names
    .map((name) => ({ name, distance: editDistance(wanted, name) }))
    .filter(
      ({ name, distance }) =>
        distance <= Math.max(2, Math.floor(Math.max(wanted.length, name.length) / 3)) ||
        name.toLowerCase().includes(lower) ||
        lower.includes(name.toLowerCase()),
    )
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name }) => name)
}
