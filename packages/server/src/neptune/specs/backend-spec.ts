import {
  arrayOf,
  body,
  boolean,
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
  type SwaggerOperation,
} from './swagger.js'

/** Client configuration, authentication, projects, workspaces and management calls. */
const operations: SwaggerOperation[] = [
  {
    operationId: 'getClientConfig',
    method: 'get',
    path: '/api/backend/v1/clients/config',
    parameters: [header('X-Neptune-Api-Token'), query('alpha')],
    response: ref('ClientConfig'),
  },
  {
    operationId: 'exchangeApiToken',
    method: 'get',
    path: '/api/backend/v1/authorization/oauth-token',
    parameters: [header('X-Neptune-Api-Token', true)],
    response: ref('NeptuneOauthToken'),
  },
  {
    operationId: 'getProject',
    method: 'get',
    path: '/api/backend/v1/projects/get',
    parameters: [query('projectIdentifier', 'string', { required: true })],
    response: ref('ProjectWithRoleDTO'),
  },
  {
    operationId: 'listProjects',
    method: 'get',
    path: '/api/backend/v1/projects',
    parameters: [
      query('organizationIdentifier'),
      query('searchTerm'),
      query('userRelation'),
      queryArray('sortBy'),
      queryArray('sortDirection'),
      query('limit', 'integer', { format: 'int32' }),
      query('offset', 'integer', { format: 'int32' }),
      query('viewedUsername'),
      query('projectKey'),
    ],
    response: ref('ProjectListDTO'),
  },
  {
    operationId: 'createProject',
    method: 'post',
    path: '/api/backend/v1/projects',
    parameters: [body('projectToCreate', ref('NewProjectDTO'))],
    response: ref('ProjectWithRoleDTO'),
  },
  {
    operationId: 'listOrganizations',
    method: 'get',
    path: '/api/backend/v1/myOrganizations',
    response: arrayOf(ref('OrganizationWithRoleDTO')),
  },
  {
    operationId: 'workspaceStatus',
    method: 'get',
    path: '/api/backend/v1/payments/{organizationIdentifier}/status',
    parameters: [pathParam('organizationIdentifier')],
    response: ref('WorkspaceStatusDTO'),
  },
  {
    operationId: 'listOrganizationMembers',
    method: 'get',
    path: '/api/backend/v1/organizations2/{organizationIdentifier}/members',
    parameters: [pathParam('organizationIdentifier')],
    response: arrayOf(ref('OrganizationMemberDTO')),
  },
  {
    operationId: 'deleteProject',
    method: 'delete',
    path: '/api/backend/v1/projects',
    parameters: [query('projectIdentifier', 'string', { required: true })],
  },
  {
    operationId: 'listProjectMembers',
    method: 'get',
    path: '/api/backend/v1/projects/membersOf',
    parameters: [query('projectIdentifier', 'string', { required: true })],
    response: arrayOf(ref('ProjectMemberDTO')),
  },
  {
    operationId: 'addProjectMember',
    method: 'post',
    path: '/api/backend/v1/projects/members',
    parameters: [
      query('projectIdentifier', 'string', { required: true }),
      body('member', ref('NewProjectMemberDTO')),
    ],
    response: ref('ProjectMemberDTO'),
  },
  {
    operationId: 'deleteProjectMember',
    method: 'delete',
    path: '/api/backend/v1/projects/members/{userId}',
    parameters: [query('projectIdentifier', 'string', { required: true }), pathParam('userId')],
  },
  {
    operationId: 'listServiceAccounts',
    method: 'get',
    path: '/api/backend/v1/serviceAccounts',
    parameters: [query('organizationIdentifier'), query('deactivated', 'boolean')],
    response: arrayOf(ref('ServiceAccountDTO')),
  },
  {
    operationId: 'listProjectServiceAccounts',
    method: 'get',
    path: '/api/backend/v1/projects/service_accounts',
    parameters: [query('projectIdentifier', 'string', { required: true })],
    response: arrayOf(ref('ServiceAccountWithRoleDTO')),
  },
  {
    operationId: 'addProjectServiceAccount',
    method: 'post',
    path: '/api/backend/v1/projects/service_accounts',
    parameters: [
      query('projectIdentifier', 'string', { required: true }),
      body('account', ref('AddProjectServiceAccountDTO')),
    ],
    response: ref('ServiceAccountWithRoleDTO'),
  },
  {
    operationId: 'deleteProjectServiceAccount',
    method: 'delete',
    path: '/api/backend/v1/projects/service_accounts/{serviceAccountId}',
    parameters: [
      query('projectIdentifier', 'string', { required: true }),
      pathParam('serviceAccountId'),
    ],
  },
  {
    operationId: 'createOrganizationInvitations',
    method: 'post',
    path: '/api/backend/v1/invitations/organization',
    parameters: [body('newOrganizationInvitations', ref('NewOrganizationInvitationsDTO'))],
    response: ref('OrganizationInvitationsDTO'),
  },
]

const project = {
  id: string,
  name: string,
  organizationName: string,
  organizationId: string,
  projectKey: string,
  version: int32,
  visibility: string,
  description: string,
  userAccessLevel: string,
}

const definitions = {
  ClientConfig: model(
    {
      apiUrl: string,
      applicationUrl: string,
      pyLibVersions: ref('PyLibVersionsDTO'),
      multiPartUpload: ref('MultiPartUploadConfigDTO'),
      artifacts: ref('ArtifactsConfigDTO'),
      sysNameSetByBackend: boolean,
    },
    ['apiUrl', 'applicationUrl', 'pyLibVersions'],
  ),
  PyLibVersionsDTO: model({
    minRecommendedVersion: string,
    minCompatibleVersion: string,
    maxCompatibleVersion: string,
  }),
  MultiPartUploadConfigDTO: model({
    enabled: boolean,
    minChunkSize: int64,
    maxChunkSize: int64,
    maxChunkCount: int64,
    maxSinglePartSize: int64,
  }),
  ArtifactsConfigDTO: model({ enabled: boolean, apiVersion: int32 }),
  NeptuneOauthToken: model({ accessToken: string, refreshToken: string, username: string }, [
    'accessToken',
    'refreshToken',
  ]),
  ProjectWithRoleDTO: model(project, ['id', 'name', 'organizationName', 'projectKey', 'version']),
  ProjectListDTO: model(
    {
      entries: arrayOf(ref('ProjectWithRoleDTO')),
      matchingItemCount: int32,
      totalItemCount: int32,
    },
    ['entries'],
  ),
  NewProjectDTO: model({
    name: string,
    description: string,
    projectKey: string,
    organizationId: string,
    visibility: string,
  }),
  OrganizationWithRoleDTO: model(
    { id: string, name: string, userRole: string, organizationType: string },
    ['id', 'name'],
  ),
  WorkspaceStatusDTO: model({
    storageBytesAvailable: int64,
    storageBytesLimit: int64,
    activeProjectsUsage: int32,
  }),
  RegisteredMemberInfoDTO: model({ username: string, firstName: string, lastName: string }),
  ProjectMemberDTO: model({ role: string, registeredMemberInfo: ref('RegisteredMemberInfoDTO') }),
  OrganizationMemberDTO: model({
    role: string,
    registeredMemberInfo: ref('RegisteredMemberInfoDTO'),
  }),
  NewProjectMemberDTO: model({ userId: string, role: string }),
  ServiceAccountDTO: model({ id: string, displayName: string, deactivated: boolean }),
  ServiceAccountWithRoleDTO: model({
    role: string,
    serviceAccountInfo: ref('ServiceAccountDTO'),
  }),
  AddProjectServiceAccountDTO: model({ serviceAccountId: string, role: string }),
  NewOrganizationInvitationsDTO: model({
    organizationIdentifier: string,
    invitationsEntries: arrayOf(
      model({
        invitee: string,
        invitationType: string,
        roleGrant: string,
        addToAllProjects: boolean,
      }),
    ),
  }),
  OrganizationInvitationsDTO: model({ invitations: arrayOf(ref('OrganizationInvitationDTO')) }),
  OrganizationInvitationDTO: model({ id: string, invitee: string }),
}

export const BACKEND_SPEC = swaggerDocument('Nereid: Neptune backend API', operations, definitions)
