#!/usr/bin/env node
import { Command, Option } from 'commander'
import { CommandError } from './command-error.js'
import { addS3Options, addStorageOptions } from './storage-options.js'
import { addAccountOptions } from './accounts-options.js'

/**
 * The `nereid` command line. Each command's implementation is imported when it runs, so
 * `nereid --help` stays fast. Only this file exits the process.
 */
// The AWS SDK warns on Node 20 that its future releases will need Node 22; the version
// Nereid pins supports Node 20, so the warning only alarms operators.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

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

const serverCommand = program
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
  .addOption(
    new Option('--tls-cert <file>', 'PEM certificate: serve HTTPS (with --tls-key)').env(
      'NEREID_TLS_CERT',
    ),
  )
  .addOption(new Option('--tls-key <file>', 'PEM private key of --tls-cert').env('NEREID_TLS_KEY'))
  .addOption(
    new Option(
      '--inactive-after <ms>',
      'a run with no ping for this long becomes inactive (default 30000)',
    ).env('NEREID_INACTIVE_AFTER_MS'),
  )
addStorageOptions(serverCommand)
addAccountOptions(serverCommand)
serverCommand.action(async (options) =>
  run(async () => (await import('./commands/server.js')).serverCommand(options)),
)

const admin = program.command('admin').description('administration for scripts and CI')
const adminBootstrap = admin
  .command('bootstrap')
  .description(
    'create the admin user, a workspace and a project when missing; print a new API token on stdout',
  )
  .requiredOption('--workspace <name>', 'workspace to create or reuse')
  .option('--project <name>', 'project to create or reuse in the workspace')
  .addOption(dataOption())
  .addOption(publicUrlOption())
addStorageOptions(adminBootstrap)
adminBootstrap.action(async (options) =>
  run(async () => (await import('./commands/admin-bootstrap.js')).adminBootstrapCommand(options)),
)

// People who sign in with a password (docs/security.md).
const adminUser = admin.command('user').description('people who sign in with a password')
const adminUserCreate = adminUser
  .command('create')
  .description(
    'create a person; prints the generated password on stdout unless --password-stdin is given',
  )
  .argument('<username>', '1-64 lowercase letters, digits, ".", "_" or "-"')
  .option('--display-name <name>', 'name shown in the web app')
  .option('--email <address>', 'e-mail address (links single sign-on of the same address)')
  .option('--admin', 'make them a server administrator')
  .option('--workspace <name>', 'also make them a member of this workspace')
  .option('--role <role>', 'their role in --workspace: owner, admin or member (default member)')
  .option('--password-stdin', 'read the password from the first line of stdin')
  .addOption(dataOption())
addStorageOptions(adminUserCreate)
adminUserCreate.action(async (username: string, options) =>
  run(async () =>
    (await import('./commands/admin-user.js')).adminUserCreateCommand(username, options),
  ),
)
const adminUserReset = adminUser
  .command('reset-password')
  .description(
    'set a new password and end their sessions; prints a generated one unless --password-stdin',
  )
  .argument('<username>')
  .option('--password-stdin', 'read the password from the first line of stdin')
  .addOption(dataOption())
addStorageOptions(adminUserReset)
adminUserReset.action(async (username: string, options) =>
  run(async () =>
    (await import('./commands/admin-user.js')).adminUserResetPasswordCommand(username, options),
  ),
)

const db = program.command('db').description('database maintenance')
db.command('migrate')
  .description('apply pending database migrations (the server also does this at start)')
  .addOption(dataOption())
  .addOption(
    new Option(
      '--database-url <url>',
      'PostgreSQL (postgres://user:password@host:5432/db) instead of the SQLite file in --data',
    ).env('NEREID_DATABASE_URL'),
  )
  .action(async (options) =>
    run(async () => (await import('./commands/db-migrate.js')).dbMigrateCommand(options)),
  )

// Local data of the SDK (offline runs, what async runs could not send) and notebooks. The API
// token comes from --api-token, else NEREID_API_TOKEN (or NEPTUNE_API_TOKEN).
const localPathOption = () =>
  new Option('--path <dir>', 'local data folder (default: NEREID_DATA_DIRECTORY, else ./.nereid)')
const apiTokenOption = () =>
  new Option('--api-token <token>', 'API token (default: NEREID_API_TOKEN or NEPTUNE_API_TOKEN)')

program
  .command('sync')
  .description(
    'send offline runs and unsent async data to the server (safe to repeat; resumes after Ctrl-C)',
  )
  .addOption(localPathOption())
  .option('--project <workspace/project>', 'project for offline runs logged without one')
  .addOption(apiTokenOption())
  .action(async (options) =>
    run(async () => (await import('./commands/sync.js')).syncCommand(options)),
  )

program
  .command('status')
  .description('show the unsent local data, per run')
  .addOption(localPathOption())
  .option('--json', 'print JSON instead of a table')
  .action(async (options) =>
    run(async () => (await import('./commands/status.js')).statusCommand(options)),
  )

program
  .command('clear')
  .description('delete unsent local data (asks first)')
  .addOption(localPathOption())
  .option('--yes', 'delete without asking (for scripts)')
  .action(async (options) =>
    run(async () => (await import('./commands/clear.js')).clearCommand(options)),
  )

const notebook = program.command('notebook').description('notebook checkpoints')
notebook
  .command('checkpoint <file>')
  .description("record a checkpoint of a notebook's content (.ipynb), like a commit")
  .option('--name <name>', 'notebook name in the project (default: the file name)')
  .option('--project <workspace/project>', 'project (default: NEREID_PROJECT)')
  .option('-m, --message <text>', 'what changed')
  .addOption(apiTokenOption())
  .action(async (file: string, options) =>
    run(async () =>
      (await import('./commands/notebook-checkpoint.js')).notebookCheckpointCommand(file, options),
    ),
  )

// Import and export (docs/import.md, docs/export-format.md): they talk to a running server
// over the native API, so they work against any deployment.
const transferOptions = (command: Command) =>
  command
    .addOption(
      new Option('--url <url>', 'server URL (default: the address the API token was made for)').env(
        'NEREID_URL',
      ),
    )
    .option('--token <token>', 'API token of an administrator (default: NEREID_API_TOKEN)')
    .option('--api-token <token>', 'the same as --token')
    .option('--json', 'print the summary as JSON on stdout')

const importCommand = program
  .command('import')
  .description('bring data in: neptune-exporter output, .neptune/ folders, Nereid exports')
transferOptions(
  importCommand
    .command('neptune-exporter <dir>')
    .description(
      'import the output of neptune-exporter (the folder holding data/ and files/, or a data root); safe to repeat, resumes',
    )
    .option('--workspace <name>', 'put every project into this workspace')
    .option('--project-map <old=new...>', 'rename projects: acme/vision=team/vision (repeatable)')
    .option('--files-dir <dir>', 'files root, when it is not beside the data root')
    .option(
      '--errors-file <file>',
      "the exporter's neptune_exporter_errors.jsonl, to flag incomplete runs",
    )
    .option(
      '--series-time-offset <minutes>',
      "add to Neptune 2.x series timestamps (written in the exporting machine's local time), e.g. -120",
    ),
).action(async (dir, options) =>
  run(async () =>
    (await import('./commands/import.js')).importNeptuneExporterCommand(dir, options),
  ),
)
transferOptions(
  importCommand
    .command('neptune-offline <dir>')
    .description(
      'replay the offline and unsent queues of the neptune client (.neptune/ folders); safe to repeat, resumes',
    )
    .addOption(
      new Option('--project <workspace/project>', 'project the runs belong to').env(
        'NEPTUNE_PROJECT',
      ),
    ),
).action(async (dir, options) =>
  run(async () => (await import('./commands/import.js')).importNeptuneOfflineCommand(dir, options)),
)
transferOptions(
  importCommand
    .command('nereid <dir>')
    .description('import a folder written by "nereid export"; safe to repeat, resumes')
    .option('--project <workspace/project>', 'target project (default: the exported one)'),
).action(async (dir, options) =>
  run(async () => (await import('./commands/import.js')).importNereidCommand(dir, options)),
)
transferOptions(
  program
    .command('export <project> <dir>')
    .description(
      'write a project (workspace/project) to <dir> in the open Nereid export format; resumes when interrupted',
    ),
).action(async (project, dir, options) =>
  run(async () => (await import('./commands/export.js')).exportCommand(project, dir, options)),
)

const storeCommand = program
  .command('store')
  .description('move a whole store between SQLite and PostgreSQL, local files and S3')
addS3Options(
  storeCommand
    .command('copy')
    .description(
      'copy everything (accounts, projects, runs, series, files, views, audit log) from one store to another, then verify counts and checksums',
    )
    .requiredOption('--from <store>', 'a data folder, or postgres://user:password@host/db')
    .requiredOption('--to <store>', 'a data folder, or postgres://user:password@host/db')
    .option('--from-blobs <location>', "the source's files: a folder or s3://bucket/prefix")
    .option('--to-blobs <location>', "where the target's files go: a folder or s3://bucket/prefix")
    .option('--resume', 'continue an interrupted copy into the same target'),
).action(async (options) =>
  run(async () => (await import('./commands/store-copy.js')).storeCopyCommand(options)),
)

addStorageOptions(
  program
    .command('backup <file>')
    .description(
      'write a consistent copy of the SQLite database and its files to <file> (a tar archive; .tar.gz compresses), also while the server runs',
    )
    .addOption(dataOption()),
).action(async (file, options) =>
  run(async () => (await import('./commands/backup.js')).backupCommand(file, options)),
)

program
  .command('restore <file>')
  .description('restore a backup written by "nereid backup" into a data folder')
  .addOption(dataOption())
  .option('--force', "replace the data folder's database if it has one")
  .action(async (file, options) =>
    run(async () => (await import('./commands/restore.js')).restoreCommand(file, options)),
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
