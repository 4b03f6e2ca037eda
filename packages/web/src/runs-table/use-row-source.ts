import { useEffect, useRef, useSyncExternalStore } from 'react'
import { RowSource, type RowSourceOptions } from './core/row-source.js'

/**
 * A RowSource for the current query, replaced when `key` changes. The replaced source stops
 * reading but its rows stay on screen until the new query's rows arrive, so changing a filter
 * or adding a column never blanks the table.
 */
export function useRowSource<Row>(
  key: string,
  options: Omit<RowSourceOptions<Row>, 'fallback'>,
): RowSource<Row> {
  const current = useRef<{ key: string; source: RowSource<Row> } | null>(null)
  if (current.current?.key !== key) {
    const previous = current.current?.source ?? null
    previous?.retire()
    current.current = { key, source: new RowSource({ ...options, fallback: previous }) }
  }
  const source = current.current.source
  useSyncExternalStore(
    (listener) => source.subscribe(listener),
    () => source.version,
  )
  useEffect(() => () => current.current?.source.dispose(), [])
  return source
}
