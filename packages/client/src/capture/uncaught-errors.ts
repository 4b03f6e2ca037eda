/** Told about an error nothing caught; `fatal` when the process is about to end because of it. */
export type CrashListener = (error: unknown, fatal: boolean) => void

const listeners = new Set<CrashListener>()
let reported: unknown = Symbol('none')

function onUncaught(error: unknown): void {
  if (error === reported) return
  reported = error
  // With a listener of its own the program survives the error; otherwise Node ends it now.
  const fatal = process.listenerCount('uncaughtException') === 0
  for (const listener of listeners) {
    try {
      listener(error, fatal)
    } catch {
      // Recording a crash must not hide the crash.
    }
  }
}

function onUnhandledRejection(reason: unknown): void {
  if (process.listenerCount('unhandledRejection') > 1) {
    // The program handles rejections itself: record, and leave the decision to it.
    onUncaught(reason)
    return
  }
  // Only ours: keep Node's default, which ends the process with this error. Rethrowing turns
  // it into an uncaught exception, which `onUncaught` records on the way out.
  throw reason
}

/**
 * Watches for uncaught exceptions (through `uncaughtExceptionMonitor`, which observes without
 * changing what Node does) and unhandled rejections. Returns the function that stops watching;
 * when nobody watches any more the process's handlers are removed again.
 */
export function watchUncaughtErrors(listener: CrashListener): () => void {
  if (listeners.size === 0) {
    process.on('uncaughtExceptionMonitor', onUncaught)
    process.on('unhandledRejection', onUnhandledRejection)
  }
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) {
      process.off('uncaughtExceptionMonitor', onUncaught)
      process.off('unhandledRejection', onUnhandledRejection)
    }
  }
}
