/** An object that must be closed when the program ends. */
export interface LiveObject {
  stop(): Promise<unknown>
  /** Synchronous last resort when the process exits without stopping it. */
  persistNow(): void
}

const live = new Set<LiveObject>()

function onBeforeExit(): void {
  // The program's own work is done and `stop()` was not called: stop now, as Neptune's
  // atexit hook does, so nothing logged is left behind unsent.
  for (const object of live) void object.stop().catch(() => undefined)
}

function onExit(): void {
  // process.exit() or the last moments of the process: only synchronous work is possible.
  for (const object of live) object.persistNow()
}

export function registerLiveObject(object: LiveObject): void {
  if (live.size === 0) {
    process.on('beforeExit', onBeforeExit)
    process.on('exit', onExit)
  }
  live.add(object)
}

export function unregisterLiveObject(object: LiveObject): void {
  live.delete(object)
  if (live.size === 0) {
    process.off('beforeExit', onBeforeExit)
    process.off('exit', onExit)
  }
}
