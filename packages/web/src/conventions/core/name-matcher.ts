/**
 * Whether a metric name or tag is one the project accepted. A name with `*` matches any
 * characters but "/" there (`val/*` accepts `val/acc`, not `val/a/b`); the server checks runs
 * with the same rule. An empty list accepts every name: no convention, nothing to flag.
 */
export function createNameMatcher(names: readonly string[]): (name: string) => boolean {
  if (names.length === 0) return () => true
  const exact = new Set(names.filter((name) => !name.includes('*')))
  const patterns = names
    .filter((name) => name.includes('*'))
    .map(
      (name) =>
        new RegExp(
          `^${name
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]*')}$`,
        ),
    )
  return (name) => exact.has(name) || patterns.some((pattern) => pattern.test(name))
}
