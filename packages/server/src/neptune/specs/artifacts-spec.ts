import {
  arrayOf,
  body,
  boolean,
  header,
  int64,
  model,
  query,
  ref,
  string,
  swaggerDocument,
  type SwaggerOperation,
} from './swagger.js'

const common = [
  query('projectIdentifier', 'string', { required: true }),
  query('hash', 'string', { required: true }),
  header('X-Neptune-Artifact-Api-Version'),
]
const files = body('artifactFilesDTO', ref('ArtifactFilesDTO'))

/** Artifact metadata: the client hashes and lists files itself; the server keeps the lists. */
const operations: SwaggerOperation[] = [
  {
    operationId: 'createNewArtifact',
    method: 'put',
    path: '/api/artifacts/v1/artifact',
    parameters: [
      ...common,
      query('size', 'integer', { format: 'int64' }),
      query('parentIdentifier'),
    ],
    response: ref('ArtifactDTO'),
  },
  {
    operationId: 'uploadArtifactFilesMetadata',
    method: 'put',
    path: '/api/artifacts/v1/artifact/files',
    parameters: [...common, files],
    response: ref('ArtifactDTO'),
  },
  {
    operationId: 'createArtifactVersion',
    method: 'post',
    path: '/api/artifacts/v1/artifact',
    parameters: [...common, query('parentIdentifier'), files],
    response: ref('ArtifactDTO'),
  },
  {
    operationId: 'listArtifactFiles',
    method: 'get',
    path: '/api/artifacts/v1/artifact/files',
    parameters: common,
    response: ref('ArtifactFilesDTO'),
  },
]

export const ARTIFACTS_SPEC = swaggerDocument('Nereid: Neptune artifacts API', operations, {
  ArtifactDTO: model(
    { artifactHash: string, receivedMetadata: boolean, size: int64, projectId: string },
    ['artifactHash', 'receivedMetadata'],
  ),
  ArtifactFilesDTO: model({ files: arrayOf(ref('ArtifactFileDTO')) }, ['files']),
  ArtifactFileDTO: model(
    {
      filePath: string,
      fileHash: string,
      type: string,
      size: int64,
      metadata: arrayOf(ref('ArtifactFileMetadataDTO')),
    },
    ['filePath', 'fileHash', 'type'],
  ),
  ArtifactFileMetadataDTO: model({ key: string, value: string }),
})
