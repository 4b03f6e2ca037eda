import type { MatchedFile } from '../file-glob.js'

/** How capture writes into its run; every call is checked and queued like a user's write. */
export interface CaptureSink {
  assign(path: string, value: string | number | boolean): void
  appendFloat(path: string, value: number, timestamp: number): void
  appendString(path: string, value: string, timestamp: number): void
  configureFloatSeries(path: string, config: { min?: number; max?: number; unit?: string }): void
  uploadBytes(path: string, bytes: Uint8Array, name: string): void
  uploadFileSet(path: string, files: MatchedFile[]): void
  assignGitRef(path: string, git: GitState): void
  now(): number
}

export interface GitState {
  commitId: string
  message?: string
  authorName?: string
  authorEmail?: string
  commitDate?: number
  branch?: string
  dirty: boolean
  remotes: string[]
}
