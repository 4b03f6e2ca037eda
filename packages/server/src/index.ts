export { buildApp, type BuildAppOptions } from './app.js'
export {
  startServer,
  openStore,
  openBlobStore,
  dataPaths,
  type StartOptions,
  type RunningServer,
  type StorageSettings,
} from './main.js'
export { bootstrap, type BootstrapResult } from './services/bootstrap.js'
export {
  checkNewPassword,
  hashPassword,
  randomPassword,
  verifyPassword,
} from './services/password-hasher.js'
export { createPerson, type NewPerson } from './services/user-accounts.js'
export type { Principal, TokenPrincipal } from './services/token-service.js'
export { authorizeWorkspace, projectRole, visibleProjects } from './services/project-access.js'
export { TokenService } from './services/token-service.js'
export { DEFAULT_CONFIG, type ServerConfig } from './config.js'
export type { Permission, CredentialResolver, AuthRegistry } from './plugins/auth.js'
export { authorizeProject } from './services/project-access.js'
