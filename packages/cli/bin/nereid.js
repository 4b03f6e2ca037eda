#!/usr/bin/env node
// The installed command. It exists before the TypeScript build, so npm can link it at
// install time; the real program is the built dist/cli.js.
import { existsSync } from 'node:fs'

const built = new URL('../dist/cli.js', import.meta.url)
if (!existsSync(built)) {
  process.stderr.write(
    'nereid: the CLI is not built yet; run "npm run build" in the repository root first\n',
  )
  process.exit(1)
}
await import(built.href)
