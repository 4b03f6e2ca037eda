/**
 * A small builder for the Swagger 2.0 documents the Neptune client downloads at start-up. The
 * client (bravado) builds every request and parses every response from them, so they declare
 * exactly what it needs: each operationId it calls, each parameter it passes (with its
 * location and format) and a 200 response with the model it reads. No `host`, `schemes` or
 * operation `tags`, `basePath: "/"` and full paths: see docs/neptune.md for why.
 */

export type Schema = Record<string, unknown>

export interface Parameter {
  name: string
  in: 'query' | 'header' | 'path' | 'body'
  required?: boolean
  type?: string
  format?: string
  items?: Schema
  collectionFormat?: 'multi'
  schema?: Schema
}

export interface SwaggerOperation {
  operationId: string
  method: 'get' | 'post' | 'put' | 'delete'
  path: string
  parameters?: Parameter[]
  /** The 200 response model; absent when the client ignores the body. */
  response?: Schema
  /** Raw transfers (uploads, downloads) take or give bytes rather than JSON. */
  consumes?: string[]
  produces?: string[]
}

export const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` })
export const arrayOf = (items: Schema): Schema => ({ type: 'array', items })
export const string: Schema = { type: 'string' }
export const dateTime: Schema = { type: 'string', format: 'date-time' }
export const int32: Schema = { type: 'integer', format: 'int32' }
export const int64: Schema = { type: 'integer', format: 'int64' }
export const double: Schema = { type: 'number', format: 'double' }
export const boolean: Schema = { type: 'boolean' }

export function model(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) }
}

export function query(name: string, type = 'string', options: Partial<Parameter> = {}): Parameter {
  return { name, in: 'query', type, ...options }
}

export function queryArray(name: string): Parameter {
  return {
    name,
    in: 'query',
    type: 'array',
    items: { type: 'string' },
    collectionFormat: 'multi',
  }
}

export function header(name: string, required = false): Parameter {
  return { name, in: 'header', type: 'string', required }
}

export function pathParam(name: string): Parameter {
  return { name, in: 'path', type: 'string', required: true }
}

export function body(name: string, schema: Schema): Parameter {
  return { name, in: 'body', required: true, schema }
}

export function swaggerDocument(
  title: string,
  operations: SwaggerOperation[],
  definitions: Record<string, Schema>,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const operation of operations) {
    const responses: Record<string, unknown> = {
      200: operation.response
        ? { description: 'OK', schema: operation.response }
        : { description: 'OK' },
      default: { description: 'Error', schema: ref('Error') },
    }
    paths[operation.path] ??= {}
    paths[operation.path]![operation.method] = {
      operationId: operation.operationId,
      ...(operation.consumes ? { consumes: operation.consumes } : {}),
      ...(operation.produces ? { produces: operation.produces } : {}),
      parameters: operation.parameters ?? [],
      responses,
    }
  }
  return {
    swagger: '2.0',
    info: { title, version: '2.0' },
    basePath: '/',
    consumes: ['application/json'],
    produces: ['application/json'],
    paths,
    definitions: {
      Error: model({ code: int32, message: string, errorType: string, title: string }),
      ...definitions,
    },
  }
}
