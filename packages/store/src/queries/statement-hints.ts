import type { CompiledQuery, RootOperationNode } from 'kysely'

/**
 * What the shared store code tells a dialect's driver about its prepared statements
 * (prepared-statement.ts), for the drivers that can use it (PostgreSQL, where every statement
 * costs a round trip and a parse; SQLite's driver needs neither hint).
 *
 * - A name: the statement's text never changes, so the database may parse and plan it once
 *   per connection and run it by name afterwards.
 * - Deferrable: no caller reads the statement's answer (writes without RETURNING whose row
 *   counts nobody checks, and savepoints). Inside a transaction the driver may hold it back
 *   and send it with the next statement whose answer is awaited, or with COMMIT. An error of a
 *   held-back statement then surfaces at that later statement, still inside the same
 *   transaction, which fails as a whole; a caller that attributes errors to a step of its own
 *   (the applier's savepoints) ends the step with a statement that is not deferrable.
 */
interface StatementHints {
  name: string
  deferrable: boolean
}

const hints = new WeakMap<RootOperationNode, StatementHints>()
let statements = 0

/** Registers a compiled prepared statement; its name is unique in this process. */
export function hintStatement(node: RootOperationNode, { deferrable }: { deferrable: boolean }) {
  hints.set(node, { name: `nereid_${++statements}`, deferrable })
}

export function statementHints(query: CompiledQuery): StatementHints | undefined {
  return hints.get(query.query)
}
