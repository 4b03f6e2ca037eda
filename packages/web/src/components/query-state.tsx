import type { UseQueryResult } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { ErrorMessage } from './error-message.js'
import { Spinner } from './progress.js'

/** Loading, error or the data of a query, in one place. */
export function QueryState<T>({
  query,
  label,
  children,
}: {
  query: UseQueryResult<T>
  label?: string
  children: (data: T) => ReactNode
}) {
  if (query.isPending) return <Spinner label={label} />
  if (query.isError) return <ErrorMessage error={query.error} retry={() => void query.refetch()} />
  return <>{children(query.data)}</>
}
