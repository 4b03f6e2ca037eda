import { formatQuery, type NqlExpr, type NqlFieldType } from '@nereid/core'
import type { GroupWire } from '../../api/wire-types.js'

/** What the groups of one grouping say about its field. */
export interface GroupingContext {
  path: string
  /** The field is a string set (tags): an object sits in the group of each value. */
  isSet: boolean
  /** For a string set: every value some group has. */
  setValues: readonly string[]
}

/** Describes a grouping from its groups, as the server answered them. */
export function groupingContext(path: string, groups: readonly GroupWire[]): GroupingContext {
  const isSet = groups.some((group) => group.type === 'stringSet')
  return {
    path,
    isSet,
    setValues: isSet
      ? groups.flatMap((group) => (typeof group.value === 'string' ? [group.value] : []))
      : [],
  }
}

const condition = (
  path: string,
  type: NqlFieldType | undefined,
  rest: Pick<Extract<NqlExpr, { kind: 'condition' }>, 'operator' | 'value'>,
): NqlExpr => ({
  kind: 'condition',
  field: type ? { path, type } : { path },
  ...rest,
  position: 0,
})

/**
 * The NQL condition that selects one group's objects, so its rows are read with the ordinary
 * search: the group's value with the field's type. The group without a value is the objects
 * lacking the field, or, for a string set, holding none of the other groups' values. Null
 * when the group is every object (no condition needed).
 */
export function groupCondition(
  context: GroupingContext,
  group: Pick<GroupWire, 'value' | 'type'>,
): NqlExpr | null {
  const { path } = context
  if (group.value === null || group.type === null) {
    if (!context.isSet) return condition(path, undefined, { operator: 'NOT EXISTS' })
    if (context.setValues.length === 0) return null
    return {
      kind: 'not',
      expr: {
        kind: 'or',
        items: context.setValues.map((value) =>
          condition(path, 'stringSet', {
            operator: 'CONTAINS',
            value: { kind: 'string', value },
          }),
        ),
      },
    }
  }
  switch (group.type) {
    case 'stringSet':
      return condition(path, 'stringSet', {
        operator: 'CONTAINS',
        value: { kind: 'string', value: String(group.value) },
      })
    case 'bool':
      return condition(path, 'bool', {
        operator: '=',
        value: { kind: 'bool', value: group.value === true },
      })
    case 'int':
    case 'float':
      return condition(path, group.type, {
        operator: '=',
        value: { kind: 'number', value: Number(group.value), raw: String(group.value) },
      })
    case 'runState':
      return condition(path, 'runState', {
        operator: '=',
        value: { kind: 'string', value: String(group.value) },
      })
    default:
      return condition(path, 'string', {
        operator: '=',
        value: { kind: 'string', value: String(group.value) },
      })
  }
}

/** The user's filter and a group's condition as one NQL query. */
export function queryForGroup(userQuery: NqlExpr | null, group: NqlExpr | null): string {
  const parts = [userQuery, group].filter((part): part is NqlExpr => part !== null)
  if (parts.length === 0) return ''
  return formatQuery(parts.length === 1 ? parts[0]! : { kind: 'and', items: parts })
}
