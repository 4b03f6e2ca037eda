import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { TokenWire } from '../api/wire-types.js'
import { formatDateTime } from '../runs-table/core/format-value.js'
import { CopyButton } from './copy-button.js'
import { ErrorMessage } from './error-message.js'
import { QueryState } from './query-state.js'

/** API tokens: create one (shown once, to copy), see when each was used, revoke. */
export function TokenList({
  queryKey,
  list,
  create,
  revoke,
}: {
  queryKey: readonly unknown[]
  list(): Promise<{ tokens: TokenWire[] }>
  create(name: string): Promise<{ token: string; record: TokenWire }>
  revoke(id: string): Promise<unknown>
}) {
  const queryClient = useQueryClient()
  const tokens = useQuery({ queryKey, queryFn: list })
  const [name, setName] = useState('')
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null)
  const refresh = () => queryClient.invalidateQueries({ queryKey })
  const add = useMutation({
    mutationFn: () => create(name.trim()),
    onSuccess: async ({ token, record }) => {
      setFresh({ name: record.name, token })
      setName('')
      await refresh()
    },
  })
  const remove = useMutation({ mutationFn: revoke, onSuccess: refresh })
  return (
    <div>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault()
          if (name.trim()) add.mutate()
        }}
      >
        <input
          aria-label="Token name"
          placeholder="Token name, e.g. laptop"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" disabled={!name.trim() || add.isPending}>
          Create token
        </button>
      </form>
      {fresh && (
        <div className="notice" data-testid="new-token">
          Copy the token “{fresh.name}” now: it is not shown again.
          <pre className="mono small" style={{ margin: '6px 0' }}>
            {fresh.token}
          </pre>
          <CopyButton text={fresh.token} label="Copy token" />{' '}
          <button onClick={() => setFresh(null)}>Done</button>
        </div>
      )}
      {(add.isError || remove.isError) && <ErrorMessage error={add.error ?? remove.error} />}
      <QueryState query={tokens}>
        {(data) =>
          data.tokens.length === 0 ? (
            <p className="small muted">No tokens.</p>
          ) : (
            <table className="simple small" style={{ marginTop: 8 }}>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th>Status</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.tokens.map((token) => (
                  <tr key={token.id} data-token={token.name}>
                    <td>{token.name}</td>
                    <td>{formatDateTime(Date.parse(token.createdAt))}</td>
                    <td>
                      {token.lastUsedAt ? formatDateTime(Date.parse(token.lastUsedAt)) : 'never'}
                    </td>
                    <td>
                      {token.revokedAt
                        ? `revoked ${formatDateTime(Date.parse(token.revokedAt))}`
                        : 'active'}
                    </td>
                    <td>
                      {!token.revokedAt && (
                        <button
                          className="danger small"
                          onClick={() =>
                            window.confirm(
                              `Revoke “${token.name}”? Scripts using it stop working at once.`,
                            ) && remove.mutate(token.id)
                          }
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </div>
  )
}
