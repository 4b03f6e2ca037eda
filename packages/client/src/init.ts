import { LIMITS, NereidError, SYS_FIELD_TYPES, type FieldType, type ObjectKind } from '@nereid/core'
import { resolveCapture, type CaptureOptions } from './capture/capture-options.js'
import { createRunCaptureSink } from './capture/run-capture-sink.js'
import { startCapture } from './capture/start-capture.js'
import {
  connectProject,
  openTransport,
  requireProject,
  resolveDataDirectory,
  resolveProject,
  setting,
} from './connection.js'
import { createClientEnv, type ClientEnv } from './env.js'
import { registerLiveObject, unregisterLiveObject } from './lifecycle.js'
import { deliverNow } from './local-data/deliver-now.js'
import {
  Model,
  ModelVersion,
  Project,
  Run,
  startPings,
  type MetadataObject,
} from './metadata-object.js'
import { MODE_BEHAVIOUR, parseMode, type Mode } from './modes/mode.js'
import { createCheckpointWith } from './notebook.js'
import { ObjectContext } from './object-context.js'
import { ObjectReader } from './object-reader.js'
import { createObjectFolder, lockFolder, type ObjectFolderMeta } from './queue/object-folder.js'
import { ObjectWriter } from './queue/object-writer.js'
import { Reporter, type ErrorHandler } from './reporter.js'
import type { HttpTransport } from './transport/http-transport.js'
import type { NativeApi, ObjectWire } from './transport/native-api.js'

export interface InitOptions {
  /** `workspace/project`; default NEREID_PROJECT (or NEPTUNE_PROJECT). */
  project?: string
  /** Default NEREID_API_TOKEN (or NEPTUNE_API_TOKEN). */
  apiToken?: string
  /** Default NEREID_MODE (or NEPTUNE_MODE), else `async`. */
  mode?: Mode
  /** Open an existing object by its readable id (`CLS-12`) instead of creating one. */
  withId?: string
  /** Where async and offline data is kept; default NEREID_DATA_DIRECTORY, else `./.nereid`. */
  dataDirectory?: string
  /** Background problems: refused operations, a lost connection (default: one line on stderr). */
  onError?: ErrorHandler
  /** Print nothing on stderr (onError still hears about problems). */
  quiet?: boolean
  /** Replaces parts of the environment (tests, unusual hosts). */
  env?: Partial<ClientEnv>
}

export interface InitRunOptions extends InitOptions {
  name?: string
  description?: string
  tags?: string[]
  /**
   * Processes that pass the same custom run id write one run (default NEREID_CUSTOM_RUN_ID).
   * At most 128 characters.
   */
  customRunId?: string
  /** What the run records by itself; `false` turns all of it off. */
  capture?: boolean | CaptureOptions
  /** Files to store as `source_code/files` instead of the entry script (paths or globs). */
  sourceFiles?: string[]
  /**
   * The notebook the run starts from: a checkpoint of it is recorded and referenced from
   * `source_code/notebook` (default: NEREID_NOTEBOOK_PATH, NEREID_NOTEBOOK_NAME).
   */
  notebook?: { path: string; name?: string }
}

export interface InitModelOptions extends InitOptions {
  /** The model's key (`MOD` → `CLS-MOD`); needed to create a model. */
  key?: string
  name?: string
}

export interface InitModelVersionOptions extends InitOptions {
  /** The model (readable id such as `CLS-MOD`); needed to create a version. */
  model?: string
  name?: string
}

/** Starts (or resumes, with `withId` or `customRunId`) a run. */
export async function initRun(options: InitRunOptions = {}): Promise<Run> {
  const setup = resolveSetup(options)
  const customRunId = setting(
    setup.env,
    options.customRunId,
    'NEREID_CUSTOM_RUN_ID',
    'NEPTUNE_CUSTOM_RUN_ID',
  )
  if (customRunId !== undefined && customRunId.length > LIMITS.maxCustomRunIdLength) {
    throw new NereidError(
      'VALIDATION_FAILED',
      `customRunId is ${customRunId.length} characters long; the limit is ${LIMITS.maxCustomRunIdLength}`,
      { field: 'customRunId' },
    )
  }
  const opened = await openObject(
    setup,
    'run',
    async (api) => {
      if (options.withId !== undefined)
        return { object: await getObject(api, options.withId, 'run'), created: false }
      if (setup.mode === 'read-only') {
        if (customRunId === undefined) throw readOnlyNeedsId('run')
        return { object: await findByCustomRunId(api, customRunId), created: false }
      }
      return api.createObject({
        kind: 'run',
        ...(customRunId !== undefined ? { customRunId } : {}),
        ...(options.name !== undefined ? { name: options.name } : {}),
      })
    },
    { customRunId: customRunId ?? null, name: options.name ?? null },
  )
  const run = new Run(opened.context)
  const writer = opened.context.writer
  if (setup.mode !== 'read-only' && setup.mode !== 'debug') {
    if (options.name !== undefined && !opened.isNew && setup.mode !== 'offline')
      writer.write({ op: 'assignString', path: 'sys/name', value: options.name }, 'string')
    if (options.description !== undefined)
      writer.write(
        { op: 'assignString', path: 'sys/description', value: options.description },
        'string',
      )
    if (options.tags !== undefined && options.tags.length > 0)
      run.field('sys/tags').add(options.tags)
    const capture = resolveCapture(options.capture)
    const running = await startCapture({
      sink: createRunCaptureSink(run, opened.context),
      env: setup.env,
      capture,
      isNewObject: opened.isNew,
      sourceFiles: options.sourceFiles,
      onCrash: (fatal) => {
        const { folder, pendingOperations } = writer.persistNow({
          release: fatal,
          announce: false,
        })
        if (!fatal || !folder || pendingOperations === 0) return
        // The process ends now: send its last operations (the failure among them) from a
        // child process, within a deadline, instead of leaving them for `nereid sync`.
        const delivered =
          setup.token !== undefined &&
          MODE_BEHAVIOUR[setup.mode].sends &&
          deliverNow({ folder, apiToken: setup.token, timeoutMs: 10_000 })
        if (!delivered)
          setup.reporter.notice(
            `the run failed; its last operations are safe on disk in ${folder} and \`nereid sync\` will send them`,
          )
      },
    })
    run.onStop(() => running.stop())
    const notebookPath = options.notebook?.path ?? setup.env.variables.NEREID_NOTEBOOK_PATH
    if (notebookPath && opened.api && setup.http) {
      const checkpoint = await createCheckpointWith(opened.api, setup.env, {
        path: notebookPath,
        ...((options.notebook?.name ?? setup.env.variables.NEREID_NOTEBOOK_NAME)
          ? { name: options.notebook?.name ?? setup.env.variables.NEREID_NOTEBOOK_NAME }
          : {}),
        message: `run ${opened.context.shortId ?? ''} started`.trim(),
      })
      writer.write(
        {
          op: 'assignNotebookRef',
          path: 'source_code/notebook',
          notebookId: checkpoint.notebook.id,
          checkpointId: checkpoint.checkpoint.id,
          name: checkpoint.notebook.name,
        },
        'notebookRef',
      )
    }
  }
  finish(run, opened, setup)
  return run
}

/** Creates a model (with `key`) or opens one (`withId`). */
export async function initModel(options: InitModelOptions = {}): Promise<Model> {
  const setup = resolveSetup(options)
  refuseOffline(setup.mode, 'models')
  const opened = await openObject(setup, 'model', async (api) => {
    if (options.withId !== undefined)
      return { object: await getObject(api, options.withId, 'model'), created: false }
    if (setup.mode === 'read-only') throw readOnlyNeedsId('model')
    if (options.key === undefined)
      throw new NereidError('VALIDATION_FAILED', 'a new model needs a key, e.g. { key: "MOD" }', {
        field: 'key',
      })
    return api.createObject({
      kind: 'model',
      modelKey: options.key,
      ...(options.name !== undefined ? { name: options.name } : {}),
    })
  })
  const model = new Model(opened.context)
  if (options.name !== undefined && !opened.isNew && setup.mode !== 'read-only')
    opened.context.writer.write(
      { op: 'assignString', path: 'sys/name', value: options.name },
      'string',
    )
  finish(model, opened, setup)
  return model
}

/** Creates a version of `model` or opens one (`withId`). */
export async function initModelVersion(
  options: InitModelVersionOptions = {},
): Promise<ModelVersion> {
  const setup = resolveSetup(options)
  refuseOffline(setup.mode, 'model versions')
  const opened = await openObject(setup, 'modelVersion', async (api) => {
    if (options.withId !== undefined)
      return { object: await getObject(api, options.withId, 'modelVersion'), created: false }
    if (setup.mode === 'read-only') throw readOnlyNeedsId('model version')
    if (options.model === undefined)
      throw new NereidError(
        'VALIDATION_FAILED',
        'a new model version needs its model, e.g. { model: "CLS-MOD" }',
        { field: 'model' },
      )
    await getObject(api, options.model, 'model')
    return api.createObject({
      kind: 'modelVersion',
      modelId: options.model,
      ...(options.name !== undefined ? { name: options.name } : {}),
    })
  })
  const version = new ModelVersion(opened.context)
  if (options.name !== undefined && !opened.isNew && setup.mode !== 'read-only')
    opened.context.writer.write(
      { op: 'assignString', path: 'sys/name', value: options.name },
      'string',
    )
  finish(version, opened, setup)
  return version
}

/** The project's own metadata object (its namespaces hold project-wide fields), and its tables. */
export async function initProject(options: Omit<InitOptions, 'withId'> = {}): Promise<Project> {
  const setup = resolveSetup(options)
  refuseOffline(setup.mode, 'projects')
  const opened = await openObject(setup, 'project', async (_api, project) => ({
    object: {
      id: project.metadataObjectId,
      shortId: project.key,
      kind: 'project',
      customRunId: null,
      parentId: null,
      createdAt: '',
      trashed: false,
    },
    created: false,
  }))
  const project = new Project(opened.context)
  finish(project, opened, setup)
  return project
}

interface Setup {
  env: ClientEnv
  mode: Mode
  reporter: Reporter
  dataDirectory: string
  project: string | undefined
  http: HttpTransport | null
  token: string | undefined
}

function resolveSetup(options: InitOptions): Setup {
  const env = createClientEnv(options.env)
  const mode = parseMode(
    options.mode ?? setting(env, undefined, 'NEREID_MODE', 'NEPTUNE_MODE') ?? 'async',
  )
  const usesServer = mode === 'async' || mode === 'sync' || mode === 'read-only'
  const project = usesServer
    ? requireProject(env, options.project)
    : resolveProject(env, options.project)
  if (options.withId !== undefined && mode === 'offline') {
    throw new NereidError(
      'MODE_UNSUPPORTED',
      'offline mode creates new runs only; open an existing object (withId) in async, sync or read-only mode',
      { mode },
    )
  }
  const token = setting(env, options.apiToken, 'NEREID_API_TOKEN', 'NEPTUNE_API_TOKEN')
  return {
    env,
    mode,
    reporter: new Reporter({ onError: options.onError, quiet: options.quiet }),
    dataDirectory: resolveDataDirectory(env, options.dataDirectory),
    project,
    http: usesServer ? openTransport(env, options.apiToken) : null,
    token,
  }
}

interface Opened {
  context: ObjectContext
  api: NativeApi | null
  isNew: boolean
}

/**
 * Connects (in modes with a server), finds or creates the object, and builds its writer with
 * a local folder (in modes that log to disk).
 */
async function openObject(
  setup: Setup,
  kind: ObjectKind,
  obtain: (
    api: NativeApi,
    project: { metadataObjectId: string; key: string },
  ) => Promise<{ object: ObjectWire; created: boolean }>,
  offline: { customRunId: string | null; name: string | null } = { customRunId: null, name: null },
): Promise<Opened> {
  const { env, mode } = setup
  let api: NativeApi | null = null
  let object: ObjectWire | null = null
  let isNew = mode !== 'read-only'
  if (setup.http) {
    const connected = await connectProject(setup.http, setup.project!)
    api = connected.api
    const obtained = await obtain(api, connected.project)
    object = obtained.object
    isNew = obtained.created
  }
  const behaviour = MODE_BEHAVIOUR[mode]
  let folder: { path: string; meta: ObjectFolderMeta } | null = null
  if (behaviour.logsToDisk) {
    const created = createObjectFolder(setup.dataDirectory, env, {
      kind: kind === 'notebook' ? 'run' : kind,
      mode: mode === 'offline' ? 'offline' : mode === 'sync' ? 'sync' : 'async',
      project: setup.project ?? null,
      objectId: object?.id ?? null,
      shortId: object?.shortId ?? null,
      customRunId: offline.customRunId,
      name: offline.name,
      apiUrl: setup.http?.apiUrl ?? null,
    })
    folder = { path: created.folder, meta: created.meta }
    lockFolder(env.fs, folder.path, env)
  }
  const label =
    object?.shortId ??
    (mode === 'offline' && folder
      ? `offline run ${folder.meta.localId.slice(0, 8)}`
      : `${mode} ${kind}`)
  const writer = new ObjectWriter({
    mode,
    env,
    reporter: setup.reporter,
    label,
    folder,
    api,
    objectId: object?.id ?? null,
  })
  seedKnownFields(writer)
  if (api && object && !isNew) {
    // Resuming: learn the fields the object has, so conflicting writes fail here and now.
    const reader = new ObjectReader(api, object.id)
    writer.registry.reset(
      (await reader.listFields()).map((field) => ({ path: field.path, type: field.type })),
    )
  }
  const context = new ObjectContext({
    kind,
    mode,
    env,
    writer,
    api,
    reader: api && object ? new ObjectReader(api, object.id) : null,
    label,
    objectId: object?.id ?? null,
    shortId: object?.shortId ?? null,
  })
  return { context, api, isNew }
}

/** Starts pings and makes sure the object is stopped when the program ends. */
function finish(object: MetadataObject, opened: Opened, setup: Setup): void {
  const context = opened.context
  if (
    opened.api &&
    context.objectId &&
    MODE_BEHAVIOUR[setup.mode].sends &&
    object.kind !== 'project'
  ) {
    object.onStop(startPings(opened.api, context.objectId, setup.env))
  }
  if (MODE_BEHAVIOUR[setup.mode].logsToDisk) {
    const live = {
      stop: () => object.stop(),
      persistNow: () => void context.writer.persistNow({ release: true }),
    }
    registerLiveObject(live)
    object.onStop(() => unregisterLiveObject(live))
  }
}

function seedKnownFields(writer: ObjectWriter): void {
  writer.registry.reset(
    Object.entries(SYS_FIELD_TYPES).map(([path, type]) => ({ path, type: type as FieldType })),
  )
}

async function getObject(api: NativeApi, ref: string, kind: ObjectKind): Promise<ObjectWire> {
  const object = await api.getObject(ref)
  if (object.kind !== kind) {
    throw new NereidError('OBJECT_NOT_FOUND', `${ref} is a ${object.kind}, not a ${kind}`, {
      object: ref,
      kind: object.kind,
    })
  }
  return object
}

async function findByCustomRunId(api: NativeApi, customRunId: string): Promise<ObjectWire> {
  const result = await api.search({
    kinds: ['run'],
    query: `\`sys/custom_run_id\`:string = ${JSON.stringify(customRunId)}`,
    columns: ['sys/id'],
    limit: 1,
  })
  const row = result.rows[0]
  if (!row) {
    throw new NereidError(
      'OBJECT_NOT_FOUND',
      `no run with custom run id "${customRunId}" in ${api.qualifiedProject}`,
      { customRunId },
    )
  }
  return row.object
}

function readOnlyNeedsId(what: string): NereidError {
  return new NereidError(
    'VALIDATION_FAILED',
    `read-only mode opens an existing ${what}: pass withId${what === 'run' ? ' or customRunId' : ''}`,
    { field: 'withId' },
  )
}

function refuseOffline(mode: Mode, what: string): void {
  if (mode === 'offline') {
    throw new NereidError(
      'MODE_UNSUPPORTED',
      `${what} cannot be created offline (only runs can); use async mode`,
      { mode },
    )
  }
}
