import type { NqlFieldType, NqlOperator } from '@nereid/core'
import { useEffect, useState, type FormEvent } from 'react'
import { NereidApiError } from '../api/api-error.js'
import {
  buildQuery,
  conditionsFromQuery,
  needsValue,
  operatorsFor,
  querySyntaxError,
  type BuilderCondition,
} from './core/query-builder.js'
import type { PickerField } from './core/field-picker.js'

/**
 * The filter: a raw NQL box that marks syntax errors where they are as you type (and the
 * server's own refusals), and a builder that writes the same NQL from menus.
 */
export function QueryBar({
  query,
  onQuery,
  serverError,
  fields,
}: {
  query: string
  onQuery(query: string): void
  serverError: unknown
  fields: PickerField[]
}) {
  const [draft, setDraft] = useState(query)
  const [builder, setBuilder] = useState(false)
  useEffect(() => setDraft(query), [query])
  const localError = draft.trim() ? querySyntaxError(draft) : null
  const remote =
    serverError instanceof NereidApiError &&
    serverError.code === 'NQL_SYNTAX_ERROR' &&
    draft === query
      ? {
          position: Number(serverError.details?.position ?? 0),
          message: serverError.message,
        }
      : null
  const error = localError ?? remote

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!localError) onQuery(draft.trim())
  }

  return (
    <div className="query-box">
      <form className="row" onSubmit={submit} style={{ flexWrap: 'nowrap' }}>
        <input
          aria-label="NQL filter"
          aria-invalid={error !== null}
          className={error ? 'invalid' : ''}
          placeholder='Filter with NQL, e.g. `params/lr`:float > 0.01 AND `sys/tags`:stringSet CONTAINS "prod"'
          value={draft}
          spellCheck={false}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" disabled={localError !== null}>
          Apply
        </button>
        {query && (
          <button
            type="button"
            onClick={() => {
              setDraft('')
              onQuery('')
            }}
          >
            Clear
          </button>
        )}
        <button type="button" aria-pressed={builder} onClick={() => setBuilder(!builder)}>
          Builder
        </button>
      </form>
      {error && (
        <div className="query-error" role="alert" data-position={error.position}>
          {`${draft}\n${' '.repeat(Math.max(0, Math.min(error.position, draft.length)))}^ ${error.message}`}
        </div>
      )}
      {builder && (
        <QueryBuilder
          query={draft}
          fields={fields}
          onQuery={(text) => {
            setDraft(text)
            onQuery(text)
          }}
        />
      )}
    </div>
  )
}

function QueryBuilder({
  query,
  fields,
  onQuery,
}: {
  query: string
  fields: PickerField[]
  onQuery(query: string): void
}) {
  const parsed = conditionsFromQuery(query)
  const [conditions, setConditions] = useState<BuilderCondition[]>(parsed ?? [])
  const [problem, setProblem] = useState<{ index: number; message: string } | null>(null)
  if (parsed === null && conditions.length === 0 && query.trim()) {
    return (
      <div className="notice small">
        This filter uses OR, NOT or series aggregates: edit it as text, or clear it to build one.
      </div>
    )
  }
  const update = (index: number, patch: Partial<BuilderCondition>) =>
    setConditions(conditions.map((c, i) => (i === index ? { ...c, ...patch } : c)))
  const apply = () => {
    const result = buildQuery(conditions)
    if (result.ok) {
      setProblem(null)
      onQuery(result.query)
    } else {
      setProblem({ index: result.index, message: result.message })
    }
  }
  return (
    <div className="card card-body" style={{ marginTop: 6 }}>
      <datalist id="builder-fields">
        {fields.slice(0, 2000).map((field) => (
          <option key={field.path} value={field.path} />
        ))}
      </datalist>
      {conditions.map((condition, index) => (
        <div key={index} className="row" style={{ marginBottom: 6 }}>
          <span className="faint small" style={{ width: 32 }}>
            {index === 0 ? 'where' : 'and'}
          </span>
          <input
            list="builder-fields"
            aria-label="Field"
            value={condition.path}
            onChange={(event) => {
              const path = event.target.value
              const type = (fields.find((f) => f.path === path)?.types[0] ??
                null) as NqlFieldType | null
              update(index, { path, type, operator: operatorsFor(type)[0]! })
            }}
          />
          <select
            aria-label="Operator"
            value={condition.operator}
            onChange={(event) => update(index, { operator: event.target.value as NqlOperator })}
          >
            {operatorsFor(condition.type).map((operator) => (
              <option key={operator}>{operator}</option>
            ))}
          </select>
          {needsValue(condition.operator) && (
            <input
              aria-label="Value"
              value={condition.value}
              onChange={(event) => update(index, { value: event.target.value })}
            />
          )}
          <button
            className="icon"
            aria-label="Remove condition"
            onClick={() => setConditions(conditions.filter((_, i) => i !== index))}
          >
            ✕
          </button>
          {problem?.index === index && (
            <span className="small" style={{ color: 'var(--danger)' }}>
              {problem.message}
            </span>
          )}
        </div>
      ))}
      <div className="row">
        <button
          onClick={() =>
            setConditions([...conditions, { path: '', type: null, operator: '=', value: '' }])
          }
        >
          Add condition
        </button>
        <button className="primary" onClick={apply}>
          Apply filter
        </button>
      </div>
    </div>
  )
}
