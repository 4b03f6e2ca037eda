import { describe, expect, it } from 'vitest'
import type { ConformanceContext } from './conformance-context.js'

export function defineAccountCases(context: ConformanceContext): void {
  describe('accounts', () => {
    it('finds a token by the hash of its secret, with its owner', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      const token = await store.accounts.createApiToken({
        userId: user.id,
        name: 'ci',
        secretHash: 'h1',
        now: 2,
      })
      const found = await store.accounts.findApiToken('h1')
      expect(found?.token.id).toBe(token.id)
      expect(found?.user.username).toBe('bob')
      await store.close()
    })

    it('stops finding a revoked token', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      const token = await store.accounts.createApiToken({
        userId: user.id,
        name: 'ci',
        secretHash: 'h1',
        now: 2,
      })
      await store.accounts.revokeApiToken(token.id, 3)
      expect(await store.accounts.findApiToken('h1')).toBeNull()
      expect((await store.accounts.listApiTokens(user.id))[0]?.revokedAt).toBe(3)
      await store.close()
    })

    it("reads a token, the project a request names and the owner's roles there at once", async () => {
      const store = await context.createStore()
      await store.accounts.createUser({ username: 'alice', isAdmin: false, now: 1 })
      const bob = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      const token = await store.accounts.createApiToken({
        userId: bob.id,
        name: 'ci',
        secretHash: 'h1',
        now: 2,
      })
      const team = await store.workspaces.create({ name: 'team', now: 3 })
      const project = await store.projects.create({
        workspaceId: team.id,
        name: 'vision',
        key: 'CLS',
        owner: 'alice',
        now: 4,
      })
      const found = await store.accounts.findApiTokenWithProject('h1', 'team', 'vision')
      expect(found.credential?.token.id).toBe(token.id)
      expect(found.credential?.user).toEqual(await store.accounts.getUser(bob.id))
      expect(found.project).toEqual(await store.projects.get('team', 'vision'))
      expect({ workspace: found.workspaceRole, project: found.projectRole }).toEqual({
        workspace: null,
        project: null,
      })

      await store.workspaces.addMember({
        workspaceId: team.id,
        userId: bob.id,
        role: 'member',
        now: 5,
      })
      await store.members.setProjectRole({
        projectId: project.id,
        userId: bob.id,
        role: 'contributor',
        now: 6,
      })
      const member = await store.accounts.findApiTokenWithProject('h1', 'team', 'vision')
      expect({ workspace: member.workspaceRole, project: member.projectRole }).toEqual(
        await store.members
          .access(project.id, bob.id)
          .then((access) => ({ workspace: access.workspaceRole, project: access.projectRole })),
      )
      expect(member.projectRole).toBe('contributor')

      // Each half is found without the other, and roles only with both.
      const noProject = await store.accounts.findApiTokenWithProject('h1', 'team', 'missing')
      expect(noProject).toMatchObject({ project: null, workspaceRole: null, projectRole: null })
      expect(noProject.credential?.token.id).toBe(token.id)
      const noToken = await store.accounts.findApiTokenWithProject('h2', 'team', 'vision')
      expect(noToken).toMatchObject({ credential: null, workspaceRole: null, projectRole: null })
      expect(noToken.project?.id).toBe(project.id)
      await store.accounts.revokeApiToken(token.id, 7)
      expect(
        (await store.accounts.findApiTokenWithProject('h1', 'team', 'vision')).credential,
      ).toBeNull()
      await store.close()
    })

    it('rejects a second user with the same name', async () => {
      const store = await context.createStore()
      await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      await expect(
        store.accounts.createUser({ username: 'bob', isAdmin: false, now: 2 }),
      ).rejects.toMatchObject({ code: 'USER_EXISTS', message: expect.stringMatching(/exists/) })
      expect(await store.accounts.countUsers()).toBe(1)
      await store.close()
    })

    it('stops finding the tokens of a deactivated user, and finds them again when reactivated', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      const token = await store.accounts.createApiToken({
        userId: user.id,
        name: 'ci',
        secretHash: 'h1',
        now: 2,
      })
      await store.accounts.updateUser(user.id, { deactivatedAt: 3 })
      expect(await store.accounts.findApiToken('h1')).toBeNull()
      expect(await store.accounts.isApiTokenLive(token.id)).toBe(false)
      await store.accounts.updateUser(user.id, { deactivatedAt: null })
      expect(await store.accounts.isApiTokenLive(token.id)).toBe(true)
      await store.close()
    })

    it('tells whether a token is live by its id', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      const token = await store.accounts.createApiToken({
        userId: user.id,
        name: 'ci',
        secretHash: 'h1',
        now: 2,
      })
      expect(await store.accounts.isApiTokenLive(token.id)).toBe(true)
      expect(await store.accounts.isApiTokenLive('00000000-0000-0000-0000-000000000000')).toBe(
        false,
      )
      await store.accounts.revokeApiToken(token.id, 3)
      expect(await store.accounts.isApiTokenLive(token.id)).toBe(false)
      await store.close()
    })

    it('replaces a token: the old one is revoked, the new one keeps its name', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      const old = await store.accounts.createApiToken({
        userId: user.id,
        name: 'ci',
        secretHash: 'h1',
        now: 2,
      })
      const replacement = await store.accounts.replaceApiToken(old.id, { secretHash: 'h2', now: 5 })
      expect(replacement).toMatchObject({ name: 'ci', userId: user.id, createdAt: 5 })
      expect(await store.accounts.findApiToken('h1')).toBeNull()
      expect((await store.accounts.findApiToken('h2'))?.token.id).toBe(replacement!.id)
      expect((await store.accounts.getApiToken(old.id))?.revokedAt).toBe(5)
      expect(await store.accounts.replaceApiToken(old.id, { secretHash: 'h3', now: 6 })).toBeNull()
      expect(await store.accounts.findApiToken('h3')).toBeNull()
      await store.close()
    })

    it('keeps a password hash apart from the user read model', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({
        username: 'bob',
        passwordHash: 'scrypt$a$b',
        isAdmin: false,
        now: 1,
      })
      expect(JSON.stringify(user)).not.toContain('scrypt')
      expect(await store.accounts.getPasswordHash(user.id)).toBe('scrypt$a$b')
      await store.accounts.setPasswordHash(user.id, 'scrypt$c$d')
      expect(await store.accounts.getPasswordHash(user.id)).toBe('scrypt$c$d')
      await store.close()
    })

    it('lists people, counts active administrators, and leaves service accounts out', async () => {
      const store = await context.createStore()
      const workspace = await store.workspaces.create({ name: 'team', now: 1 })
      const admin = await store.accounts.createUser({ username: 'root', isAdmin: true, now: 1 })
      await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      await store.serviceAccounts.create({ workspaceId: workspace.id, name: 'ci', now: 1 })
      expect((await store.accounts.listUsers()).map((u) => u.username)).toEqual(['bob', 'root'])
      expect(await store.accounts.countUsers()).toBe(2)
      expect(await store.accounts.countAdmins()).toBe(1)
      await store.accounts.updateUser(admin.id, { deactivatedAt: 2 })
      expect(await store.accounts.countAdmins()).toBe(0)
      await store.close()
    })

    it('links an external identity to one user', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      await store.accounts.linkIdentity({
        userId: user.id,
        issuer: 'https://idp',
        subject: 's1',
        now: 2,
      })
      await store.accounts.linkIdentity({
        userId: user.id,
        issuer: 'https://idp',
        subject: 's1',
        now: 3,
      })
      expect((await store.accounts.findUserByIdentity('https://idp', 's1'))?.id).toBe(user.id)
      expect(await store.accounts.findUserByIdentity('https://other', 's1')).toBeNull()
      await store.close()
    })
  })

  describe('sessions', () => {
    it('finds a session by the hash of its id until it expires', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      await store.sessions.create({
        idHash: 's1',
        userId: user.id,
        csrfToken: 'c1',
        now: 10,
        expiresAt: 100,
      })
      const found = await store.sessions.find('s1', 50)
      expect(found?.user.username).toBe('bob')
      expect(found?.session).toMatchObject({ csrfToken: 'c1', createdAt: 10, expiresAt: 100 })
      expect(await store.sessions.find('s1', 100)).toBeNull()
      await store.sessions.touch('s1', 60, 200)
      expect((await store.sessions.find('s1', 150))?.session.lastSeenAt).toBe(60)
      await store.close()
    })

    it('ends the sessions of a deactivated user', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      await store.sessions.create({
        idHash: 's1',
        userId: user.id,
        csrfToken: 'c',
        now: 1,
        expiresAt: 99,
      })
      await store.accounts.updateUser(user.id, { deactivatedAt: 2 })
      expect(await store.sessions.find('s1', 3)).toBeNull()
      await store.close()
    })

    it('signs a user out everywhere except the session kept', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      for (const idHash of ['a', 'b', 'c'])
        await store.sessions.create({
          idHash,
          userId: user.id,
          csrfToken: 'x',
          now: 1,
          expiresAt: 99,
        })
      expect(await store.sessions.deleteForUser(user.id, 'b')).toBe(2)
      expect(await store.sessions.find('a', 2)).toBeNull()
      expect(await store.sessions.find('b', 2)).not.toBeNull()
      await store.sessions.delete('b')
      expect(await store.sessions.find('b', 2)).toBeNull()
      await store.close()
    })

    it('counts sign-in failures per key inside a window and prunes old ones', async () => {
      const store = await context.createStore()
      for (let at = 1; at <= 5; at++)
        await store.sessions.recordSignInFailure(['account:bob', 'address:1.2.3.4'], at)
      await store.sessions.recordSignInFailure(['address:1.2.3.4'], 6)
      expect(await store.sessions.countSignInFailures(['account:bob'], 1)).toBe(5)
      expect(await store.sessions.countSignInFailures(['account:bob', 'address:1.2.3.4'], 1)).toBe(
        6,
      )
      expect(await store.sessions.countSignInFailures(['account:bob'], 4)).toBe(2)
      await store.sessions.clearSignInFailures('account:bob')
      expect(await store.sessions.countSignInFailures(['account:bob'], 0)).toBe(0)
      await store.sessions.prune(100, 6)
      expect(await store.sessions.countSignInFailures(['address:1.2.3.4'], 0)).toBe(1)
      await store.close()
    })

    it('hands out a single sign-on state once, and never after it expires', async () => {
      const store = await context.createStore()
      const state = {
        provider: 'idp',
        codeVerifier: 'v',
        nonce: 'n',
        returnTo: '/x',
        expiresAt: 50,
      }
      await store.sessions.saveSignInState('h1', state)
      await store.sessions.saveSignInState('h2', state)
      expect(await store.sessions.takeSignInState('h1', 10)).toEqual(state)
      expect(await store.sessions.takeSignInState('h1', 10)).toBeNull()
      expect(await store.sessions.takeSignInState('h2', 50)).toBeNull()
      await store.close()
    })
  })

  describe('accounts: validation', () => {
    it('rejects an invalid username', async () => {
      const store = await context.createStore()
      await expect(
        store.accounts.createUser({ username: 'Bob Smith', isAdmin: false, now: 1 }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      })
      await store.close()
    })
  })
}
