import { describe, expect, it } from 'vitest'
import type { Store } from '../../src/store.js'
import { createRun, seedProject, write, type ConformanceContext } from './conformance-context.js'

async function person(store: Store, username: string) {
  return store.accounts.createUser({ username, isAdmin: false, now: 1 })
}

export function defineAccessCases(context: ConformanceContext): void {
  describe('project roles', () => {
    it('makes the owner named at creation the project owner', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const members = await store.members.listProjectMembers(project.id)
      expect(members.map((m) => [m.user.username, m.role])).toEqual([['alice', 'owner']])
      await store.close()
    })

    it('reads the workspace role and the project role of a user at once', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const bob = await person(store, 'bob')
      expect(await store.members.access(project.id, bob.id)).toEqual({
        workspaceRole: null,
        projectRole: null,
      })
      await store.workspaces.addMember({
        workspaceId: project.workspaceId,
        userId: bob.id,
        role: 'member',
        now: 2,
      })
      await store.members.setProjectRole({
        projectId: project.id,
        userId: bob.id,
        role: 'viewer',
        now: 3,
      })
      expect(await store.members.access(project.id, bob.id)).toEqual({
        workspaceRole: 'member',
        projectRole: 'viewer',
      })
      await store.members.setProjectRole({
        projectId: project.id,
        userId: bob.id,
        role: 'contributor',
        now: 4,
      })
      expect((await store.members.access(project.id, bob.id)).projectRole).toBe('contributor')
      expect(await store.members.listProjectRoles(bob.id)).toEqual(
        new Map([[project.id, 'contributor']]),
      )
      expect(await store.members.removeProjectMember(project.id, bob.id)).toBe(true)
      expect(await store.members.removeProjectMember(project.id, bob.id)).toBe(false)
      await store.close()
    })

    it('takes a removed workspace member out of that workspace’s projects only', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const other = await store.workspaces.create({ name: 'other', now: 1 })
      const elsewhere = await store.projects.create({
        workspaceId: other.id,
        name: 'nlp',
        key: 'NLP',
        owner: 'alice',
        now: 1,
      })
      const bob = await person(store, 'bob')
      for (const [workspaceId, projectId] of [
        [project.workspaceId, project.id],
        [other.id, elsewhere.id],
      ] as const) {
        await store.workspaces.addMember({ workspaceId, userId: bob.id, role: 'member', now: 2 })
        await store.members.setProjectRole({ projectId, userId: bob.id, role: 'viewer', now: 2 })
      }
      expect(await store.members.removeWorkspaceMember(project.workspaceId, bob.id)).toBe(true)
      expect(await store.members.access(project.id, bob.id)).toEqual({
        workspaceRole: null,
        projectRole: null,
      })
      expect(await store.members.access(elsewhere.id, bob.id)).toEqual({
        workspaceRole: 'member',
        projectRole: 'viewer',
      })
      await store.close()
    })

    it('lists workspace members with their roles and counts owners', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const bob = await person(store, 'bob')
      await store.workspaces.addMember({
        workspaceId: project.workspaceId,
        userId: bob.id,
        role: 'admin',
        now: 5,
      })
      const members = await store.members.listWorkspaceMembers(project.workspaceId)
      expect(members.map((m) => [m.user.username, m.role, m.createdAt])).toEqual([
        ['alice', 'owner', Date.UTC(2026, 0, 1)],
        ['bob', 'admin', 5],
      ])
      expect(await store.members.countWorkspaceOwners(project.workspaceId)).toBe(1)
      await store.close()
    })
  })

  describe('service accounts', () => {
    it('names a service account name@workspace and gives it roles like a person', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const ci = await store.serviceAccounts.create({
        workspaceId: project.workspaceId,
        name: 'ci-bot',
        now: 2,
      })
      expect(ci).toMatchObject({
        username: 'ci-bot@team',
        displayName: 'ci-bot',
        kind: 'serviceAccount',
        workspaceId: project.workspaceId,
        isAdmin: false,
      })
      await expect(
        store.serviceAccounts.create({ workspaceId: project.workspaceId, name: 'ci-bot', now: 3 }),
      ).rejects.toMatchObject({ code: 'USER_EXISTS' })
      await expect(
        store.serviceAccounts.create({ workspaceId: project.workspaceId, name: 'CI Bot', now: 3 }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
      expect((await store.serviceAccounts.get(project.workspaceId, 'ci-bot'))?.id).toBe(ci.id)
      expect((await store.serviceAccounts.get(project.workspaceId, 'ci-bot@team'))?.id).toBe(ci.id)
      expect(await store.serviceAccounts.list(project.workspaceId)).toEqual([ci])
      expect(await store.accounts.listUsers()).not.toContainEqual(ci)
      await store.close()
    })

    it('deletes a service account with its tokens and roles', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const ci = await store.serviceAccounts.create({
        workspaceId: project.workspaceId,
        name: 'ci',
        now: 2,
      })
      const token = await store.accounts.createApiToken({
        userId: ci.id,
        name: 'pipeline',
        secretHash: 'h-ci',
        now: 3,
      })
      await store.members.setProjectRole({
        projectId: project.id,
        userId: ci.id,
        role: 'contributor',
        now: 3,
      })
      expect((await store.accounts.findApiToken('h-ci'))?.user.username).toBe('ci@team')
      expect(await store.serviceAccounts.delete(ci.id)).toBe(true)
      expect(await store.accounts.findApiToken('h-ci')).toBeNull()
      expect(await store.accounts.isApiTokenLive(token.id)).toBe(false)
      expect((await store.members.listProjectMembers(project.id)).map((m) => m.user.id)).toEqual([
        (await store.accounts.findUserByUsername('alice'))!.id,
      ])
      expect(await store.serviceAccounts.delete(ci.id)).toBe(false)
      await store.close()
    })
  })

  describe('invitations', () => {
    it('lets an invitation be used once, adding its role', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const bob = await person(store, 'bob')
      const carol = await person(store, 'carol')
      const invitation = await store.invitations.create({
        workspaceId: project.workspaceId,
        role: 'admin',
        tokenHash: 'i1',
        createdBy: null,
        now: 10,
        expiresAt: 100,
      })
      expect((await store.invitations.findByTokenHash('i1'))?.id).toBe(invitation.id)
      expect(await store.invitations.accept(invitation.id, bob.id, 20)).toBe(true)
      expect(await store.invitations.accept(invitation.id, carol.id, 21)).toBe(false)
      expect(await store.workspaces.memberRole(project.workspaceId, bob.id)).toBe('admin')
      expect(await store.workspaces.memberRole(project.workspaceId, carol.id)).toBeNull()
      expect(await store.invitations.get(invitation.id)).toMatchObject({
        acceptedAt: 20,
        acceptedBy: bob.id,
      })
      await store.close()
    })

    it('refuses expired and revoked invitations, and keeps a higher role', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const alice = (await store.accounts.findUserByUsername('alice'))!
      const base = {
        workspaceId: project.workspaceId,
        role: 'member' as const,
        createdBy: alice.id,
        now: 10,
        expiresAt: 100,
      }
      const expired = await store.invitations.create({ ...base, tokenHash: 'a' })
      expect(await store.invitations.accept(expired.id, alice.id, 100)).toBe(false)
      const revoked = await store.invitations.create({ ...base, tokenHash: 'b' })
      expect(await store.invitations.revoke(revoked.id, 20)).toBe(true)
      expect(await store.invitations.revoke(revoked.id, 21)).toBe(false)
      expect(await store.invitations.accept(revoked.id, alice.id, 30)).toBe(false)
      const fine = await store.invitations.create({ ...base, tokenHash: 'c' })
      expect(await store.invitations.accept(fine.id, alice.id, 30)).toBe(true)
      expect(await store.workspaces.memberRole(project.workspaceId, alice.id)).toBe('owner')
      expect((await store.invitations.list(project.workspaceId)).map((i) => i.id).sort()).toEqual(
        [expired.id, revoked.id, fine.id].sort(),
      )
      await store.close()
    })
  })

  describe('single sign-on domains', () => {
    it('maps an e-mail domain to a workspace and a default role', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      await store.members.setSsoDomain({
        domain: 'Example.COM',
        workspaceId: project.workspaceId,
        role: 'member',
        now: 5,
      })
      expect(await store.members.getSsoDomain('example.com')).toMatchObject({
        domain: 'example.com',
        workspaceName: 'team',
        role: 'member',
      })
      await store.members.setSsoDomain({
        domain: 'example.com',
        workspaceId: project.workspaceId,
        role: 'admin',
        now: 6,
      })
      expect((await store.members.listSsoDomains()).map((d) => d.role)).toEqual(['admin'])
      await expect(
        store.members.setSsoDomain({
          domain: 'not a domain',
          workspaceId: project.workspaceId,
          role: 'member',
          now: 7,
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
      expect(await store.members.removeSsoDomain('example.com')).toBe(true)
      expect(await store.members.getSsoDomain('example.com')).toBeNull()
      await store.close()
    })
  })

  describe('audit log', () => {
    it('lists a workspace’s events and its members’ account events, newest first', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const alice = (await store.accounts.findUserByUsername('alice'))!
      const stranger = await person(store, 'stranger')
      const event = {
        projectId: null,
        target: null,
        details: null,
        address: '127.0.0.1',
      }
      await store.audit.record({
        ...event,
        at: 1,
        workspaceId: null,
        actorId: alice.id,
        actorName: 'alice',
        action: 'auth.signIn',
      })
      await store.audit.record({
        ...event,
        at: 2,
        workspaceId: null,
        actorId: stranger.id,
        actorName: 'stranger',
        action: 'auth.signIn',
      })
      await store.audit.record({
        ...event,
        at: 3,
        workspaceId: project.workspaceId,
        actorId: alice.id,
        actorName: 'alice',
        action: 'token.created',
        details: { name: 'ci' },
      })
      const listed = await store.audit.list({ workspaceId: project.workspaceId, limit: 10 })
      expect(listed.map((e) => [e.action, e.actorName])).toEqual([
        ['token.created', 'alice'],
        ['auth.signIn', 'alice'],
      ])
      expect(listed[0]!.details).toEqual({ name: 'ci' })
      const all = await store.audit.list({ limit: 2 })
      expect(all.map((e) => e.at)).toEqual([3, 2])
      const next = await store.audit.list({ limit: 2, before: all[1]!.id })
      expect(next.map((e) => e.at)).toEqual([1])
      await store.close()
    })
  })

  describe('trash and usage', () => {
    it('finds trashed objects past a cutoff, leaving model versions to their model', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const run = await createRun(store, project.id, 1)
      const kept = await createRun(store, project.id, 1)
      const { object: model } = await store.objects.create({
        projectId: project.id,
        kind: 'model',
        owner: 'alice',
        now: 1,
        modelKey: 'MOD',
      })
      await store.objects.create({
        projectId: project.id,
        kind: 'modelVersion',
        owner: 'alice',
        now: 1,
        modelId: model.id,
      })
      await store.objects.trash(project.id, [run.id], 10)
      await store.objects.trash(project.id, [model.id], 20)
      await store.objects.trash(project.id, [kept.id], 30)
      const expired = await store.trash.expired({ projectId: project.id, before: 25, limit: 10 })
      expect(expired).toEqual([
        { projectId: project.id, id: run.id },
        { projectId: project.id, id: model.id },
      ])
      expect(await store.trash.expired({ before: 15, limit: 10 })).toEqual([
        { projectId: project.id, id: run.id },
      ])
      const listed = await store.trash.list(project.id, { limit: 2, offset: 0 })
      expect(listed.total).toBe(4)
      expect(listed.objects.map((o) => o.shortId)).toEqual([kept.shortId, 'CLS-MOD'])
      await store.close()
    })

    it('sums storage per workspace and per project, trash included', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const second = await store.projects.create({
        workspaceId: project.workspaceId,
        name: 'audio',
        key: 'AUD',
        owner: 'alice',
        now: 1,
      })
      const run = await createRun(store, project.id, 1)
      await write(
        store,
        run.id,
        [{ op: 'assignString', path: 'notes', value: 'x'.repeat(1000) }],
        2,
      )
      const other = await createRun(store, second.id, 1)
      await write(
        store,
        other.id,
        [{ op: 'assignString', path: 'notes', value: 'y'.repeat(500) }],
        2,
      )
      await store.objects.trash(second.id, [other.id], 3)
      const first = await store.usage.project(project.id)
      const trashed = await store.usage.project(second.id)
      const usage = await store.usage.workspace(project.workspaceId)
      expect(trashed.trash).toBeGreaterThanOrEqual(500)
      expect(usage.total).toBe(first.total + trashed.total)
      expect(usage.trash).toBe(trashed.trash)
      expect(usage.projects).toEqual([
        { projectId: second.id, ...trashed },
        { projectId: project.id, ...first },
      ])
      await store.close()
    })
  })
}
