import { useQuery } from '@tanstack/react-query'
import { useApi } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'

export interface WidgetRun {
  id: string
  shortId: string
  name: string
  createdAt: string
}

/** The runs a widget shows: the ones it names, or the newest ones its query matches. */
export function useWidgetRuns(
  ref: ProjectRef,
  config: { runs?: string[]; query?: string; maxRuns?: number },
) {
  const api = useApi()
  const named = config.runs?.filter(Boolean) ?? []
  return useQuery({
    queryKey: ['widget-runs', ref, named, config.query ?? '', config.maxRuns ?? 10],
    queryFn: async ({ signal }): Promise<WidgetRun[]> => {
      if (named.length > 0) {
        const objects = await Promise.all(named.map((id) => api.objects.get(ref, id)))
        return objects.map((object) => ({
          id: object.id,
          shortId: object.shortId,
          name: object.shortId,
          createdAt: object.createdAt,
        }))
      }
      const result = await api.search.query(
        ref,
        {
          kinds: ['run'],
          ...(config.query?.trim() ? { query: config.query } : {}),
          columns: ['sys/name'],
          limit: config.maxRuns ?? 10,
        },
        signal,
      )
      return result.rows.map((row) => ({
        id: row.object.id,
        shortId: row.object.shortId,
        name: String(row.fields.find((f) => f.path === 'sys/name')?.value.value ?? ''),
        createdAt: row.object.createdAt,
      }))
    },
  })
}
