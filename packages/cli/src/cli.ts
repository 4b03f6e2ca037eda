#!/usr/bin/env node
import { Command, Option } from 'commander'
import { CommandError } from './command-error.js'

/**
 * The `nereid` command line. Each command's implementation is imported when it runs, so
 * `nereid --help` stays fast. Only this file exits the process.
 */
const program = new Command()
  .name('nereid')
  .description('Nereid: a self-hosted metadata store for machine-learning experiments')
  .version('0.1.0')
  .showHelpAfterError()

const dataOption = () =>
  new Option('--data <dir>', 'data folder (SQLite file + blobs)')
    .env('NEREID_DATA_DIR')
    .default('./nereid-data')
const publicUrlOption = () =>
  new Option('--public-url <url>', 'URL clients reach the server at; API tokens embed it').env(
    'NEREID_PUBLIC_URL',
  )

program
  .command('server')
  .description('start the server (HTTP API, web app and background jobs)')
  .addOption(new Option('--port <port>', 'port to listen on').env('NEREID_PORT').default('8080'))
  .addOption(
    new Option('--host <host>', 'address to listen on').env('NEREID_HOST').default('127.0.0.1'),
  )
  .addOption(dataOption())
  .addOption(publicUrlOption())
  .addOption(
    new Option('--log-level <level>', 'fatal, error, warn, info, debug or trace')
      .env('NEREID_LOG_LEVEL')
      .default('info'),
  )
  .action(async (options) =>
    run(async () => (await import('./commands/server.js')).serverCommand(options)),
  )

const admin = program.command('admin').description('administration for scripts and CI')
admin
  .command('bootstrap')
  .description(
    'create the admin user, a workspace and a project when missing; print a new API token on stdout',
  )
  .requiredOption('--workspace <name>', 'workspace to create or reuse')
  .option('--project <name>', 'project to create or reuse in the workspace')
  .addOption(dataOption())
  .addOption(publicUrlOption())
  .action(async (options) =>
    run(async () => (await import('./commands/admin-bootstrap.js')).adminBootstrapCommand(options)),
  )

const db = program.command('db').description('database maintenance')
db.command('migrate')
  .description('apply pending database migrations (the server also does this at start)')
  .addOption(dataOption())
  .action(async (options) =>
    run(async () => (await import('./commands/db-migrate.js')).dbMigrateCommand(options)),
  )

async function run(action: () => Promise<void>): Promise<void> {
  try {
    await action()
  } catch (error) {
    if (error instanceof CommandError) {
      process.stderr.write(`nereid: ${error.message}\n`)
      process.exit(error.exitCode)
    }
    process.stderr.write(`nereid: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  }
}

await program.parseAsync(process.argv)
