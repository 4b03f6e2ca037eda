import { Option, type Command } from 'commander'
import type { StorageSettings } from '@nereid/server'
import { CommandError } from './command-error.js'

/** The flags and variables of `StorageSettings`, added to every command that opens a store. */
export function addStorageOptions(command: Command): Command {
  command
    .addOption(
      new Option(
        '--database-url <url>',
        'PostgreSQL (postgres://user:password@host:5432/db) instead of the SQLite file in --data',
      ).env('NEREID_DATABASE_URL'),
    )
    .addOption(
      new Option(
        '--database-pool-size <n>',
        'most PostgreSQL connections of this process (default 10)',
      ).env('NEREID_DATABASE_POOL_SIZE'),
    )
    .addOption(
      new Option(
        '--blob-url <url>',
        'S3-compatible bucket (s3://bucket/prefix) instead of the blob folder in --data',
      ).env('NEREID_BLOB_URL'),
    )
  return addS3Options(command)
}

/** Where an S3-compatible service is and how to address it (credentials: AWS variables). */
export function addS3Options(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--s3-endpoint <url>',
        'S3 service URL for non-AWS storage (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL)',
      ),
    )
    .addOption(
      new Option('--s3-region <region>', 'S3 region (default: AWS_REGION, else us-east-1)'),
    )
    .addOption(
      // Read from NEREID_S3_PATH_STYLE by storageSettings, not by commander: commander turns a
      // boolean flag on whenever its variable is set, even to 0 or false.
      new Option(
        '--s3-path-style',
        'path-style bucket addressing (http://host/bucket/key), for MinIO and most non-AWS services (default: NEREID_S3_PATH_STYLE)',
      ),
    )
}

export interface StorageFlags {
  databaseUrl?: string
  databasePoolSize?: string
  blobUrl?: string
  s3Endpoint?: string
  s3Region?: string
  s3PathStyle?: boolean
}

/**
 * Settings from flags, falling back to the AWS SDK's standard variables for the endpoint and
 * region (credentials are read by the SDK itself: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN, AWS_PROFILE, instance roles).
 */
export function storageSettings(
  flags: StorageFlags,
  env: NodeJS.ProcessEnv = process.env,
): StorageSettings {
  const nonEmpty = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : value.trim()
  const databaseUrl = nonEmpty(flags.databaseUrl)
  const blobUrl = nonEmpty(flags.blobUrl)
  const endpoint =
    nonEmpty(flags.s3Endpoint) ??
    nonEmpty(env.AWS_ENDPOINT_URL_S3) ??
    nonEmpty(env.AWS_ENDPOINT_URL)
  const region =
    nonEmpty(flags.s3Region) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION)
  let poolSize: number | undefined
  if (nonEmpty(flags.databasePoolSize) !== undefined) {
    poolSize = Number(flags.databasePoolSize)
    if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) {
      throw new CommandError(
        `--database-pool-size must be a number from 1 to 1000, not "${flags.databasePoolSize}"`,
      )
    }
  }
  const pathStyle = flags.s3PathStyle === true || parseSwitch(env.NEREID_S3_PATH_STYLE)
  return {
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(poolSize === undefined ? {} : { databasePoolSize: poolSize }),
    ...(blobUrl === undefined ? {} : { blobUrl }),
    ...(endpoint === undefined ? {} : { s3Endpoint: endpoint }),
    ...(region === undefined ? {} : { s3Region: region }),
    ...(pathStyle ? { s3ForcePathStyle: true } : {}),
  }
}

const ON = new Set(['1', 'true', 'yes', 'on'])
const OFF = new Set(['', '0', 'false', 'no', 'off'])

/** NEREID_S3_PATH_STYLE: a yes or a no, and a clear error for anything else. */
function parseSwitch(value: string | undefined): boolean {
  if (value === undefined) return false
  const normalized = value.trim().toLowerCase()
  if (ON.has(normalized)) return true
  if (OFF.has(normalized)) return false
  throw new CommandError(`NEREID_S3_PATH_STYLE must be 1 or 0 (true or false), not "${value}"`)
}
