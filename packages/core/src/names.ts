import { ValidationError } from './errors.js'

/** Naming rules for workspaces, projects, keys and ids; they keep names safe in URLs and ids. */

const WORKSPACE_NAME = /^[a-z0-9][a-z0-9-]{0,49}$/
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/
const PROJECT_KEY = /^[A-Z][A-Z0-9]{0,9}$/
const MODEL_KEY = /^[A-Z0-9]{1,10}$/

export function validateWorkspaceName(name: string): string {
  if (!WORKSPACE_NAME.test(name)) {
    throw new ValidationError(
      `workspace name "${name.slice(0, 60)}" must be 1-50 lowercase letters, digits or "-", starting with a letter or digit`,
      { field: 'workspace' },
    )
  }
  return name
}

export function validateProjectName(name: string): string {
  if (!PROJECT_NAME.test(name)) {
    throw new ValidationError(
      `project name "${name.slice(0, 60)}" must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      { field: 'name' },
    )
  }
  return name
}

export function validateProjectKey(key: string): string {
  if (!PROJECT_KEY.test(key)) {
    throw new ValidationError(
      `project key "${key.slice(0, 20)}" must be 1-10 uppercase letters or digits, starting with a letter (e.g. "CLS")`,
      { field: 'key' },
    )
  }
  return key
}

export function validateModelKey(key: string): string {
  if (!MODEL_KEY.test(key)) {
    throw new ValidationError(
      `model key "${key.slice(0, 20)}" must be 1-10 uppercase letters or digits (e.g. "MOD")`,
      {
        field: 'key',
      },
    )
  }
  return key
}

/** Derives a project key from a project name: "image-classifier" → "IMAGECLASS". */
export function suggestProjectKey(name: string): string {
  const letters = name.toUpperCase().replace(/[^A-Z0-9]/g, '')
  const key = /^[A-Z]/.test(letters) ? letters : `P${letters}`
  return key.slice(0, 10) || 'PRJ'
}

export function runShortId(projectKey: string, number: number): string {
  return `${projectKey}-${number}`
}

export function modelShortId(projectKey: string, modelKey: string): string {
  return `${projectKey}-${modelKey}`
}

export function modelVersionShortId(modelShortId: string, number: number): string {
  return `${modelShortId}-${number}`
}

/** Splits "workspace/project" into its parts, with a clear error when it is not that shape. */
export function parseProjectPath(qualified: string): { workspace: string; project: string } {
  const parts = qualified.split('/')
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new ValidationError(
      `"${qualified.slice(0, 120)}" is not a project path; write it as "workspace/project"`,
      {
        field: 'project',
      },
    )
  }
  return { workspace: parts[0], project: parts[1] }
}
