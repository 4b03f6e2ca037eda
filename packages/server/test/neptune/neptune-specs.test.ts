import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../test-app.js'

/** Every operationId the neptune 1.x client calls, by the spec it looks it up in. */
const CLIENT_OPERATIONS = {
  '/api/backend/swagger.json': [
    'getClientConfig',
    'exchangeApiToken',
    'getProject',
    'listProjects',
    'listOrganizations',
    'createProject',
    'workspaceStatus',
    'listProjectMembers',
    'addProjectMember',
    'deleteProjectMember',
    'listOrganizationMembers',
    'listServiceAccounts',
    'listProjectServiceAccounts',
    'addProjectServiceAccount',
    'deleteProjectServiceAccount',
    'createOrganizationInvitations',
  ],
  '/api/leaderboard/swagger.json': [
    'createExperiment',
    'getExperiment',
    'ping',
    'createEmptyCheckpoint',
    'executeOperations',
    'fileAtomUpload',
    'fileAtomMultipartUploadStart',
    'fileAtomMultipartUploadPart',
    'fileAtomMultipartUploadFinish',
    'fileSetFileUpload',
    'fileSetFileMultipartUploadStart',
    'fileSetFileMultipartUploadPart',
    'fileSetFileMultipartUploadFinish',
    'uploadFileSetAttributeTar',
    'getExperimentAttributes',
    'getFloatAttribute',
    'getIntAttribute',
    'getBoolAttribute',
    'getStringAttribute',
    'getDatetimeAttribute',
    'getFileAttribute',
    'getFloatSeriesAttribute',
    'getStringSeriesAttribute',
    'getStringSetAttribute',
    'getArtifactAttribute',
    'getFloatSeriesValues',
    'getStringSeriesValues',
    'getImageSeriesValues',
    'getImageSeriesValue',
    'downloadAttribute',
    'lsFileSetAttribute',
    'prepareForDownloadFileSetAttributeZip',
    'getDownloadPrepareRequest',
    'searchLeaderboardEntries',
    'searchLeaderboardAttributes',
    'trashExperiments',
    'deleteExperiments',
    'deleteAllExperiments',
  ],
  '/api/artifacts/swagger.json': [
    'createNewArtifact',
    'uploadArtifactFilesMetadata',
    'createArtifactVersion',
    'listArtifactFiles',
  ],
}

type Spec = {
  swagger: string
  host?: string
  schemes?: string[]
  basePath: string
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string
        tags?: string[]
        responses: Record<string, { schema?: { $ref?: string } }>
      }
    >
  >
  definitions: Record<
    string,
    {
      properties?: Record<
        string,
        { type?: string; format?: string; $ref?: string; items?: { $ref?: string; type?: string } }
      >
    }
  >
}

describe('Neptune Swagger specs', () => {
  let t: TestApp
  const specs = new Map<string, Spec>()
  beforeAll(async () => {
    t = await createTestApp()
    for (const url of Object.keys(CLIENT_OPERATIONS)) {
      const response = await t.app.inject({ method: 'GET', url })
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      specs.set(url, response.json() as Spec)
    }
  })
  afterAll(async () => {
    await t.close()
  })

  it('are served without credentials as Swagger 2.0 with no host, schemes or base path', () => {
    for (const spec of specs.values()) {
      expect(spec.swagger).toBe('2.0')
      expect(spec.host).toBeUndefined()
      expect(spec.schemes).toBeUndefined()
      expect(spec.basePath).toBe('/')
    }
  })

  it('declare each operation the client calls, untagged, under /api/, answering 200', () => {
    for (const [url, wanted] of Object.entries(CLIENT_OPERATIONS)) {
      const spec = specs.get(url)!
      const operations = new Map<string, { path: string; tags?: string[]; responses: object }>()
      for (const [path, methods] of Object.entries(spec.paths)) {
        for (const operation of Object.values(methods)) {
          operations.set(operation.operationId, { path, ...operation })
        }
      }
      for (const operationId of wanted) {
        const operation = operations.get(operationId)
        expect(operation, `${operationId} in ${url}`).toBeDefined()
        expect(operation!.path.startsWith('/api/')).toBe(true)
        expect(operation!.tags).toBeUndefined()
        expect(operation!.responses).toHaveProperty('200')
      }
    }
  })

  it('declare date-times with their format and nested response objects as named models', () => {
    const leaderboard = specs.get('/api/leaderboard/swagger.json')!
    expect(leaderboard.definitions.DatetimeAttributeDTO!.properties!.value!.format).toBe(
      'date-time',
    )
    expect(leaderboard.definitions.FileEntry!.properties!.mtime!.format).toBe('date-time')
    expect(leaderboard.definitions.FloatSeriesValuesDTO!.properties!.values!.items!.$ref).toBe(
      '#/definitions/FloatPointValueDTO',
    )
    const backend = specs.get('/api/backend/swagger.json')!
    expect(backend.definitions.ClientConfig!.properties!.multiPartUpload!.$ref).toBe(
      '#/definitions/MultiPartUploadConfigDTO',
    )
  })

  it('every $ref points at a declared model', () => {
    for (const spec of specs.values()) {
      const refs = JSON.stringify(spec).match(/#\/definitions\/[A-Za-z0-9]+/g) ?? []
      for (const ref of refs) {
        expect(spec.definitions, ref).toHaveProperty(ref.slice('#/definitions/'.length))
      }
    }
  })
})
