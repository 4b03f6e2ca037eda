import { decodeApiToken, isNereidError } from '@nereid/core'
import { formatSummary, NereidApi, type TransferSummary } from '@nereid/transfer'
import { CommandError } from '../command-error.js'

/** Options every import and export command takes. */
export interface ConnectionOptions {
  url?: string
  token?: string
  apiToken?: string
  json?: boolean
}

/**
 * The server to talk to: `--url` (NEREID_URL), else the address the API token was made for;
 * the token from `--token`/`--api-token`, else NEREID_API_TOKEN.
 */
export function connect(options: ConnectionOptions): NereidApi {
  const token = options.token ?? options.apiToken ?? process.env.NEREID_API_TOKEN
  if (!token)
    throw new CommandError(
      'an API token is needed: pass --token or set NEREID_API_TOKEN (imports need an administrator token)',
    )
  let url = options.url ?? process.env.NEREID_URL
  if (!url) {
    try {
      url = decodeApiToken(token).apiAddress
    } catch {
      throw new CommandError('the API token is not a Nereid token; pass --url and a valid --token')
    }
  }
  return new NereidApi({ url, token })
}

/** Runs a transfer, prints its summary (or JSON with --json), and turns its errors into one line. */
export async function runTransfer(
  title: string,
  options: ConnectionOptions,
  work: () => Promise<TransferSummary>,
): Promise<void> {
  let summary: TransferSummary
  try {
    summary = await work()
  } catch (error) {
    if (error instanceof TypeError || isNereidError(error))
      throw new CommandError(`${title} failed: ${(error as Error).message}`)
    throw error
  }
  process.stdout.write(
    options.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(title, summary)}\n`,
  )
}

/** Progress goes to stderr, redrawn in place on a terminal. */
export const stderrProgress = {
  write: (text: string) => void process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
}
