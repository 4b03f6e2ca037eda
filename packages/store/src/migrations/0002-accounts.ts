import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect-adapter.js'

/**
 * Accounts and access control: service accounts (rows of `users` with kind 'serviceAccount',
 * so every principal has a user id), project roles, browser sessions, sign-in throttling,
 * single sign-on state, invitations and the audit log.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { bigint, text } = adapter.columnTypes
  const t = (name: string) => sql.raw(name)

  await db.schema
    .alterTable('users')
    .addColumn('kind', t(text), (c) => c.notNull().defaultTo('user'))
    .execute()
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema
    .alterTable('users')
    .addColumn('workspace_id', t(text), (c) => c.references('workspaces.id').onDelete('cascade'))
    .execute()
  await db.schema.alterTable('users').addColumn('email', t(text)).execute()
  await db.schema.alterTable('users').addColumn('deactivated_at', t(bigint)).execute()
  await db.schema
    .createIndex('users_workspace')
    .on('users')
    .column('workspace_id')
    .where(sql.ref('workspace_id'), 'is not', null)
    .execute()
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute()
  await db.schema
    .createIndex('workspace_members_user')
    .on('workspace_members')
    .column('user_id')
    .execute()

  await db.schema
    .createTable('project_members')
    .addColumn('project_id', t(text), (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('user_id', t(text), (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('project_members_pk', ['project_id', 'user_id'])
    .execute()
  await db.schema
    .createIndex('project_members_user')
    .on('project_members')
    .column('user_id')
    .execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', t(text), (c) => c.primaryKey())
    .addColumn('user_id', t(text), (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addColumn('last_seen_at', t(bigint), (c) => c.notNull())
    .addColumn('expires_at', t(bigint), (c) => c.notNull())
    .addColumn('address', t(text))
    .addColumn('user_agent', t(text))
    .execute()
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute()
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute()

  // Kept in the database, not in memory, so that several server instances count together.
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('key', t(text), (c) => c.notNull())
    .addColumn('at', t(bigint), (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('sign_in_failures_key')
    .on('sign_in_failures')
    .columns(['key', 'at'])
    .execute()
  await db.schema.createIndex('sign_in_failures_at').on('sign_in_failures').column('at').execute()

  // An OpenID Connect sign-in between the redirect to the provider and its callback.
  await db.schema
    .createTable('sign_in_states')
    .addColumn('state_hash', t(text), (c) => c.primaryKey())
    .addColumn('provider', t(text), (c) => c.notNull())
    .addColumn('code_verifier', t(text), (c) => c.notNull())
    .addColumn('nonce', t(text), (c) => c.notNull())
    .addColumn('return_to', t(text), (c) => c.notNull())
    .addColumn('expires_at', t(bigint), (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('user_identities')
    .addColumn('issuer', t(text), (c) => c.notNull())
    .addColumn('subject', t(text), (c) => c.notNull())
    .addColumn('user_id', t(text), (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('user_identities_pk', ['issuer', 'subject'])
    .execute()

  await db.schema
    .createTable('sso_domains')
    .addColumn('domain', t(text), (c) => c.primaryKey())
    .addColumn('workspace_id', t(text), (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('role', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('invitations')
    .addColumn('id', t(text), (c) => c.primaryKey())
    .addColumn('token_hash', t(text), (c) => c.notNull().unique())
    .addColumn('workspace_id', t(text), (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('role', t(text), (c) => c.notNull())
    .addColumn('created_by', t(text))
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addColumn('expires_at', t(bigint), (c) => c.notNull())
    .addColumn('accepted_at', t(bigint))
    .addColumn('accepted_by', t(text))
    .addColumn('revoked_at', t(bigint))
    .execute()
  await db.schema
    .createIndex('invitations_workspace')
    .on('invitations')
    .columns(['workspace_id', 'created_at'])
    .execute()

  // Actors and targets are copied as names: the log outlives the users and projects it names.
  await db.schema
    .createTable('audit_events')
    .addColumn('id', t(adapter.identityType), (c) => adapter.identity(c))
    .addColumn('at', t(bigint), (c) => c.notNull())
    .addColumn('workspace_id', t(text))
    .addColumn('project_id', t(text))
    .addColumn('actor_id', t(text))
    .addColumn('actor_name', t(text))
    .addColumn('action', t(text), (c) => c.notNull())
    .addColumn('target', t(text))
    .addColumn('details', t(text))
    .addColumn('address', t(text))
    .execute()
  await db.schema
    .createIndex('audit_events_workspace')
    .on('audit_events')
    .columns(['workspace_id', 'id'])
    .execute()
  await db.schema
    .createIndex('audit_events_actor')
    .on('audit_events')
    .columns(['actor_id', 'id'])
    .execute()

  // The trash-retention job looks for objects trashed before a cutoff.
  await db.schema
    .createIndex('objects_trashed')
    .on('objects')
    .column('trashed_at')
    .where(sql.ref('trashed_at'), 'is not', null)
    .execute()
}
