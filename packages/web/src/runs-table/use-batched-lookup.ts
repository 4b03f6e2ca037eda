import { useEffect, useMemo, useSyncExternalStore } from 'react'
import { BatchedLookup, type BatchedLookupOptions } from './core/batched-lookup.js'

/** A BatchedLookup living as long as `key`, with re-renders when its answers arrive. */
export function useBatchedLookup<V>(
  key: string,
  options: BatchedLookupOptions<V>,
): BatchedLookup<V> {
  // Recreated only when the key changes; the options of later renders are the same lookup.
  const lookup = useMemo(() => new BatchedLookup(options), [key])
  useEffect(() => () => lookup.dispose(), [lookup])
  useSyncExternalStore(
    (listener) => lookup.subscribe(listener),
    () => lookup.version,
  )
  return lookup
}
