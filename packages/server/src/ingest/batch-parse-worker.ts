import { parentPort } from 'node:worker_threads'
import { parseBatchBytes } from './batch-wire.js'

/** Worker thread: parses operation batches off the thread that owns the database. */
parentPort?.on('message', (message: { id: number; bytes: Uint8Array }) => {
  const { result, transfer } = parseBatchBytes(message.bytes)
  parentPort!.postMessage({ id: message.id, result }, transfer)
})
