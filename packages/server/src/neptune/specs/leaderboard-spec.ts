import {
  arrayOf,
  body,
  boolean,
  dateTime,
  double,
  header,
  int32,
  int64,
  model,
  pathParam,
  query,
  queryArray,
  ref,
  string,
  swaggerDocument,
  type Schema,
  type SwaggerOperation,
} from './swagger.js'

const experimentId = query('experimentId', 'string', { required: true })
const attribute = query('attribute', 'string', { required: true })
const uploadTarget = [query('experimentIdentifier'), query('attribute')]
const raw = { consumes: ['application/octet-stream'] }

/** A getter of one attribute: `GET /api/leaderboard/v1/attributes/<suffix>`. */
const getter = (operationId: string, suffix: string, response: string): SwaggerOperation => ({
  operationId,
  method: 'get',
  path: `/api/leaderboard/v1/attributes/${suffix}`,
  parameters: [experimentId, attribute],
  response: ref(response),
})

const seriesValues = (operationId: string, kind: string, response: string): SwaggerOperation => ({
  operationId,
  method: 'get',
  path: `/api/leaderboard/v1/attributes/series/${kind}`,
  parameters: [
    experimentId,
    attribute,
    query('limit', 'integer', { format: 'int32' }),
    query('offset', 'integer', { format: 'int32' }),
  ],
  response: ref(response),
})

const bulk = (operationId: string, suffix: string, withIds: boolean): SwaggerOperation => ({
  operationId,
  method: 'post',
  path: `/api/leaderboard/v1/experiments/trash${suffix}`,
  parameters: [
    query('projectIdentifier', 'string', { required: true }),
    ...(withIds ? [body('experimentIdentifiers', arrayOf(string))] : []),
  ],
  response: ref('BulkOpResultDTO'),
})

/** Containers, operations, attribute reads, uploads, downloads, search and trash. */
const operations: SwaggerOperation[] = [
  {
    operationId: 'createExperiment',
    method: 'post',
    path: '/api/leaderboard/v1/experiments',
    parameters: [
      body('experimentCreationParams', ref('ExperimentCreationParams')),
      header('X-Neptune-CliVersion'),
    ],
    response: ref('Experiment'),
  },
  {
    operationId: 'getExperiment',
    method: 'get',
    path: '/api/leaderboard/v1/experiments',
    parameters: [experimentId],
    response: ref('Experiment'),
  },
  {
    operationId: 'ping',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/ping',
    parameters: [experimentId],
  },
  {
    operationId: 'createEmptyCheckpoint',
    method: 'post',
    path: '/api/leaderboard/v1/notebooks/{notebookId}/checkpoints2',
    parameters: [pathParam('notebookId'), body('checkpoint', model({ path: string }))],
    response: ref('CheckpointDTO'),
  },
  {
    operationId: 'executeOperations',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/operations',
    parameters: [experimentId, body('operations', arrayOf(ref('Operation')))],
    response: arrayOf(ref('OperationError')),
  },
  {
    operationId: 'fileAtomUpload',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/storage/file/upload',
    parameters: [...uploadTarget, query('ext')],
    ...raw,
  },
  {
    operationId: 'fileAtomMultipartUploadStart',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/storage/file/upload/start',
    parameters: [
      ...uploadTarget,
      query('ext'),
      query('totalLength', 'integer', { format: 'int64' }),
    ],
    response: ref('UploadMetadataDTO'),
  },
  {
    operationId: 'fileAtomMultipartUploadPart',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/storage/file/upload/part',
    parameters: [...uploadTarget, query('uploadId'), query('uploadPartIdx', 'integer')],
    ...raw,
  },
  {
    operationId: 'fileAtomMultipartUploadFinish',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/storage/file/upload/finish',
    parameters: [...uploadTarget, query('uploadId')],
    response: ref('OperationErrorsListDTO'),
  },
  {
    operationId: 'fileSetFileUpload',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/storage/fileset/upload',
    parameters: [...uploadTarget, query('subPath')],
    ...raw,
  },
  {
    operationId: 'fileSetFileMultipartUploadStart',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/storage/fileset/upload/start',
    parameters: [
      ...uploadTarget,
      query('subPath'),
      query('totalLength', 'integer', { format: 'int64' }),
    ],
    response: ref('UploadMetadataDTO'),
  },
  {
    operationId: 'fileSetFileMultipartUploadPart',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/storage/fileset/upload/part',
    parameters: [
      ...uploadTarget,
      query('subPath'),
      query('uploadId'),
      query('uploadPartIdx', 'integer'),
    ],
    ...raw,
  },
  {
    operationId: 'fileSetFileMultipartUploadFinish',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/storage/fileset/upload/finish',
    parameters: [...uploadTarget, query('subPath'), query('uploadId')],
    response: ref('OperationErrorsListDTO'),
  },
  {
    operationId: 'uploadFileSetAttributeTar',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/uploadFileSetTar',
    parameters: [query('experimentId'), query('attribute'), query('reset')],
    ...raw,
  },
  {
    operationId: 'getExperimentAttributes',
    method: 'get',
    path: '/api/leaderboard/v1/attributes',
    parameters: [experimentId],
    response: ref('ExperimentAttributesDTO'),
  },
  getter('getFloatAttribute', 'floats', 'FloatAttributeDTO'),
  getter('getIntAttribute', 'integers', 'IntAttributeDTO'),
  getter('getBoolAttribute', 'booleans', 'BoolAttributeDTO'),
  getter('getStringAttribute', 'strings', 'StringAttributeDTO'),
  getter('getDatetimeAttribute', 'datetimes', 'DatetimeAttributeDTO'),
  getter('getFileAttribute', 'files', 'FileAttributeDTO'),
  getter('getFloatSeriesAttribute', 'floatSeries', 'FloatSeriesAttributeDTO'),
  getter('getStringSeriesAttribute', 'stringSeries', 'StringSeriesAttributeDTO'),
  getter('getStringSetAttribute', 'stringSets', 'StringSetAttributeDTO'),
  {
    ...getter('getArtifactAttribute', 'artifacts', 'ArtifactAttributeDTO'),
    parameters: [experimentId, attribute, header('X-Neptune-Artifact-Api-Version')],
  },
  seriesValues('getFloatSeriesValues', 'float', 'FloatSeriesValuesDTO'),
  seriesValues('getStringSeriesValues', 'string', 'StringSeriesValuesDTO'),
  seriesValues('getImageSeriesValues', 'image', 'ImageSeriesValuesDTO'),
  {
    operationId: 'getImageSeriesValue',
    method: 'get',
    path: '/api/leaderboard/v1/attributes/series/image/single',
    parameters: [experimentId, attribute, query('index', 'integer')],
    produces: ['application/octet-stream'],
  },
  {
    operationId: 'downloadAttribute',
    method: 'get',
    path: '/api/leaderboard/v1/attributes/download',
    parameters: [experimentId, attribute],
    produces: ['application/octet-stream'],
  },
  {
    operationId: 'lsFileSetAttribute',
    method: 'get',
    path: '/api/leaderboard/v1/attributes/ls',
    parameters: [experimentId, attribute, query('path')],
    response: arrayOf(ref('FileEntry')),
  },
  {
    operationId: 'prepareForDownloadFileSetAttributeZip',
    method: 'post',
    path: '/api/leaderboard/v1/attributes/downloadFileSetZipRequest',
    parameters: [experimentId, attribute],
    response: ref('DownloadPrepareRequest'),
  },
  {
    operationId: 'getDownloadPrepareRequest',
    method: 'get',
    path: '/api/leaderboard/v1/download/downloadRequest',
    parameters: [query('id', 'string', { required: true })],
    response: ref('DownloadPrepareRequest'),
  },
  {
    operationId: 'searchLeaderboardEntries',
    method: 'post',
    path: '/api/leaderboard/v1/leaderboard/entries/search',
    parameters: [
      query('projectIdentifier', 'string', { required: true }),
      queryArray('type'),
      body('params', ref('SearchLeaderboardParamsDTO')),
    ],
    response: ref('LeaderboardEntriesSearchResultDTO'),
  },
  {
    operationId: 'searchLeaderboardAttributes',
    method: 'post',
    path: '/api/leaderboard/v1/leaderboard/attributes/search',
    parameters: [
      query('projectIdentifier', 'string', { required: true }),
      query('search'),
      queryArray('type'),
      body('params', model({})),
    ],
    response: ref('AttributesSearchResultDTO'),
  },
  bulk('trashExperiments', '', true),
  bulk('deleteExperiments', '/delete', true),
  bulk('deleteAllExperiments', '/deleteAll', false),
]

const properties = (value: Schema): Schema =>
  model({ attributeName: string, attributeType: string, value }, ['attributeName', 'value'])

const gitInfo = model({
  commit: model({
    commitId: string,
    message: string,
    authorName: string,
    authorEmail: string,
    commitDate: dateTime,
  }),
  repositoryDirty: boolean,
  currentBranch: string,
  remotes: arrayOf(string),
})

const point = (value: Schema): Schema =>
  model({ step: double, timestampMilliseconds: int64, value }, ['value'])

const seriesPoint = (value: Schema): Schema =>
  model({ step: double, timestampMillis: int64, value }, ['step', 'timestampMillis', 'value'])

// Nested objects of responses are named definitions: bravado turns only those into models
// with attribute access, and the client reads them with getattr.
const definitions: Record<string, Schema> = {
  Experiment: model(
    {
      id: string,
      type: string,
      shortId: string,
      organizationName: string,
      projectName: string,
      organizationId: string,
      projectId: string,
      parentId: string,
      trashed: boolean,
    },
    ['id', 'type', 'shortId', 'organizationName', 'projectName', 'trashed'],
  ),
  ExperimentCreationParams: model({
    projectIdentifier: string,
    parentId: string,
    type: string,
    cliVersion: string,
    key: string,
    customId: string,
    notebookId: string,
    checkpointId: string,
    gitInfo: ref('GitInfoDTO'),
  }),
  GitInfoDTO: gitInfo,
  CheckpointDTO: model({ id: string, notebookId: string, path: string }, ['id']),
  Operation: model({
    path: string,
    assignFloat: model({ value: double }),
    assignInt: model({ value: int64 }),
    assignBool: model({ value: boolean }),
    assignString: model({ value: string }),
    assignDatetime: model({ valueMilliseconds: int64 }),
    assignArtifact: model({ hash: string }),
    logFloats: model({ entries: arrayOf(point(double)) }),
    logStrings: model({ entries: arrayOf(point(string)) }),
    logImages: model({
      entries: arrayOf(point(model({ data: string, name: string, description: string }))),
    }),
    clearFloatSeries: model({}),
    clearStringSeries: model({}),
    clearImageSeries: model({}),
    configFloatSeries: model({ min: double, max: double, unit: string }),
    insertStrings: model({ values: arrayOf(string) }),
    removeStrings: model({ values: arrayOf(string) }),
    clearStringSet: model({}),
    deleteFiles: model({ filePaths: arrayOf(string) }),
    deleteAttribute: model({}),
    clearArtifact: model({}),
  }),
  OperationError: model({ errorType: string, errorDescription: string }, ['errorDescription']),
  OperationErrorsListDTO: model({ errors: arrayOf(ref('OperationError')) }),
  UploadMetadataDTO: model({ uploadId: string, errors: arrayOf(ref('OperationError')) }, [
    'uploadId',
  ]),
  ExperimentAttributesDTO: model(
    {
      id: string,
      projectId: string,
      organizationId: string,
      projectName: string,
      organizationName: string,
      trashed: boolean,
      attributes: arrayOf(ref('AttributeDTO')),
      systemAttributes: ref('SystemAttributesDTO'),
    },
    ['attributes'],
  ),
  // Read by the legacy (0.x-style) API that still ships in the 1.x client.
  SystemAttributesDTO: model({
    id: ref('StringAttributeDTO'),
    shortId: ref('StringAttributeDTO'),
    name: ref('StringAttributeDTO'),
    creationTime: ref('DatetimeAttributeDTO'),
    runningTime: ref('FloatAttributeDTO'),
    owner: ref('StringAttributeDTO'),
    size: ref('FloatAttributeDTO'),
    tags: ref('StringSetAttributeDTO'),
    description: ref('StringAttributeDTO'),
    hostname: ref('StringAttributeDTO'),
    state: ref('ExperimentStateAttributeDTO'),
  }),
  AttributeDTO: model(
    {
      name: string,
      type: string,
      floatProperties: ref('FloatAttributeDTO'),
      intProperties: ref('IntAttributeDTO'),
      boolProperties: ref('BoolAttributeDTO'),
      stringProperties: ref('StringAttributeDTO'),
      datetimeProperties: ref('DatetimeAttributeDTO'),
      experimentStateProperties: ref('ExperimentStateAttributeDTO'),
      fileProperties: ref('FileAttributeDTO'),
      fileSetProperties: ref('FileSetAttributeDTO'),
      floatSeriesProperties: ref('FloatSeriesAttributeDTO'),
      stringSeriesProperties: ref('StringSeriesAttributeDTO'),
      imageSeriesProperties: ref('ImageSeriesAttributeDTO'),
      stringSetProperties: ref('StringSetAttributeDTO'),
      gitRefProperties: ref('GitRefAttributeDTO'),
      artifactProperties: ref('ArtifactAttributeDTO'),
    },
    ['name', 'type'],
  ),
  FloatAttributeDTO: properties(double),
  IntAttributeDTO: properties(int64),
  BoolAttributeDTO: properties(boolean),
  StringAttributeDTO: properties(string),
  DatetimeAttributeDTO: properties(dateTime),
  ExperimentStateAttributeDTO: properties(string),
  FileAttributeDTO: model({ attributeName: string, name: string, ext: string, size: int64 }, [
    'name',
    'ext',
    'size',
  ]),
  FileSetAttributeDTO: model({ attributeName: string, size: int64 }),
  FloatSeriesAttributeDTO: model({
    attributeName: string,
    attributeType: string,
    last: double,
    lastStep: double,
    min: double,
    max: double,
    average: double,
    variance: double,
    config: ref('FloatSeriesConfigDTO'),
  }),
  FloatSeriesConfigDTO: model({ min: double, max: double, unit: string }),
  StringSeriesAttributeDTO: model({
    attributeName: string,
    attributeType: string,
    last: string,
    lastStep: double,
  }),
  ImageSeriesAttributeDTO: model({ attributeName: string, lastStep: double, channelId: string }),
  StringSetAttributeDTO: model(
    { attributeName: string, attributeType: string, values: arrayOf(string) },
    ['values'],
  ),
  GitRefAttributeDTO: model({ attributeName: string, commit: ref('GitCommitDTO') }),
  GitCommitDTO: model({
    commitId: string,
    message: string,
    authorName: string,
    authorEmail: string,
    commitDate: dateTime,
  }),
  ArtifactAttributeDTO: model({ attributeName: string, hash: string }, ['hash']),
  FloatPointValueDTO: seriesPoint(double),
  StringPointValueDTO: seriesPoint(string),
  FloatSeriesValuesDTO: model(
    { totalItemCount: int32, values: arrayOf(ref('FloatPointValueDTO')) },
    ['totalItemCount', 'values'],
  ),
  StringSeriesValuesDTO: model(
    { totalItemCount: int32, values: arrayOf(ref('StringPointValueDTO')) },
    ['totalItemCount', 'values'],
  ),
  ImageSeriesValuesDTO: model({ totalItemCount: int32 }, ['totalItemCount']),
  FileEntry: model({ name: string, size: int64, mtime: dateTime, fileType: string }, [
    'name',
    'mtime',
    'fileType',
  ]),
  DownloadPrepareRequest: model({ id: string, downloadUrl: string }, ['id']),
  SearchLeaderboardParamsDTO: model({
    sorting: model({}),
    attributeFilters: arrayOf(model({ path: string })),
    query: model({ query: string }),
    pagination: model({ limit: int32, offset: int32 }),
  }),
  LeaderboardEntriesSearchResultDTO: model({
    matchingItemCount: int32,
    entries: arrayOf(model({})),
  }),
  AttributesSearchResultDTO: model({ entries: arrayOf(ref('AttributeNameTypeDTO')) }, ['entries']),
  AttributeNameTypeDTO: model({ name: string, type: string }, ['name', 'type']),
  BulkOpResultDTO: model(
    {
      updatedExperimentIdentifiers: arrayOf(string),
      errors: arrayOf(ref('BulkOpErrorDTO')),
    },
    ['updatedExperimentIdentifiers', 'errors'],
  ),
  BulkOpErrorDTO: model({ experimentIdentifier: string, reason: string, message: string }),
}

export const LEADERBOARD_SPEC = swaggerDocument(
  'Nereid: Neptune leaderboard API',
  operations,
  definitions,
)
