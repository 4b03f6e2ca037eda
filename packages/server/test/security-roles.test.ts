import type { Project } from '@nereid/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  addPerson,
  createClockedTestApp,
  signIn,
  type Clock,
  type Person,
} from './security-fixtures.js'
import { createTestApp, type TestApp } from './test-app.js'

const P = '/api/v1/projects/team/vision'

describe('roles and visibility', () => {
  let t: TestApp
  let vision: Project
  let owner: Person
  let contributor: Person
  let member: Person
  let wsAdmin: Person
  beforeEach(async () => {
    t = await createTestApp()
    vision = (await t.store.projects.get('team', 'vision'))!
    const team = { name: 'team', role: 'member' as const }
    owner = await addPerson(t, 'owner', {
      workspace: team,
      project: { project: vision, role: 'owner' },
    })
    contributor = await addPerson(t, 'contributor', {
      workspace: team,
      project: { project: vision, role: 'contributor' },
    })
    member = await addPerson(t, 'member', { workspace: team })
    wsAdmin = await addPerson(t, 'ws-admin', { workspace: { name: 'team', role: 'admin' } })
  })
  afterEach(async () => {
    await t.close()
  })

  it('does not let a contributor make themselves owner or change the project', async () => {
    const grab = await contributor.call({
      method: 'PUT',
      url: `${P}/members/contributor`,
      payload: { role: 'owner' },
    })
    expect(grab.statusCode).toBe(403)
    expect(grab.json().error.code).toBe('FORBIDDEN')
    for (const payload of [{ visibility: 'public' }, { storageLimitBytes: null }]) {
      const change = await contributor.call({ method: 'PATCH', url: P, payload })
      expect(change.statusCode).toBe(403)
    }
    expect((await t.store.members.access(vision.id, contributor.user.id)).projectRole).toBe(
      'contributor',
    )
    expect((await t.store.projects.getById(vision.id))!.visibility).toBe('private')
  })

  it('lets a project owner assign roles, including owner', async () => {
    const response = await owner.call({
      method: 'PUT',
      url: `${P}/members/member`,
      payload: { role: 'viewer' },
    })
    expect(response.json()).toMatchObject({ role: 'viewer', user: { username: 'member' } })
    expect((await member.call({ url: P })).statusCode).toBe(200)
    expect(
      (await member.call({ method: 'POST', url: `${P}/objects`, payload: { kind: 'run' } }))
        .statusCode,
    ).toBe(403)
    const listed = await owner.call({ url: `${P}/members` })
    expect(
      (listed.json().members as { user: { username: string }; role: string }[]).map((m) => [
        m.user.username,
        m.role,
      ]),
    ).toEqual([
      ['admin', 'owner'],
      ['contributor', 'contributor'],
      ['member', 'viewer'],
      ['owner', 'owner'],
    ])
    const removed = await owner.call({ method: 'DELETE', url: `${P}/members/member` })
    expect(removed.json()).toEqual({ removed: true })
    expect((await member.call({ url: P })).statusCode).toBe(404)
  })

  it('only gives project roles to members of the project’s workspace', async () => {
    await t.store.workspaces.create({ name: 'other', now: Date.now() })
    await addPerson(t, 'stranger', { workspace: { name: 'other', role: 'member' } })
    const response = await owner.call({
      method: 'PUT',
      url: `${P}/members/stranger`,
      payload: { role: 'viewer' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toMatch(/add them to the workspace first/)
  })

  it('answers a private project 404 to a workspace member without a role', async () => {
    const response = await member.call({ url: P })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.code).toBe('PROJECT_NOT_FOUND')
    const listed = await member.call({ url: '/api/v1/workspaces/team/projects' })
    expect(listed.json().projects).toEqual([])
    expect(
      (await contributor.call({ url: '/api/v1/workspaces/team/projects' })).json().projects,
    ).toEqual([expect.objectContaining({ name: 'vision' })])
  })

  it('opens a workspace-visibility project to members for reading only', async () => {
    await owner.call({ method: 'PATCH', url: P, payload: { visibility: 'workspace' } })
    expect((await member.call({ url: P })).statusCode).toBe(200)
    const write = await member.call({
      method: 'POST',
      url: `${P}/objects`,
      payload: { kind: 'run' },
    })
    expect(write.statusCode).toBe(403)
    expect(write.json().error.message).toMatch(/needs the contributor role; you are a viewer/)
  })

  it('lets anyone read a public project, and nobody anonymous write to it', async () => {
    await owner.call({ method: 'PATCH', url: P, payload: { visibility: 'public' } })
    const run = await contributor.call({
      method: 'POST',
      url: `${P}/objects`,
      payload: { kind: 'run' },
    })
    const runId = run.json().object.shortId as string
    expect((await t.app.inject({ url: `${P}/objects/${runId}/fields` })).statusCode).toBe(200)
    const write = await t.app.inject({
      method: 'POST',
      url: `${P}/objects/${runId}/operations`,
      payload: { operations: [{ op: 'assignString', path: 'x', value: 'y' }] },
    })
    expect(write.statusCode).toBe(401)
    await t.store.workspaces.create({ name: 'other', now: Date.now() })
    const stranger = await addPerson(t, 'stranger', {
      workspace: { name: 'other', role: 'member' },
    })
    expect((await stranger.call({ url: P })).statusCode).toBe(200)
    expect(
      (await stranger.call({ method: 'POST', url: `${P}/objects`, payload: { kind: 'run' } }))
        .statusCode,
    ).toBe(403)
  })

  it('keeps owners in charge of owners, and a workspace always has one', async () => {
    const selfPromotion = await wsAdmin.call({
      method: 'PUT',
      url: '/api/v1/workspaces/team/members/ws-admin',
      payload: { role: 'owner' },
    })
    expect(selfPromotion.statusCode).toBe(403)
    const demoteOwner = await wsAdmin.call({
      method: 'PUT',
      url: '/api/v1/workspaces/team/members/admin',
      payload: { role: 'member' },
    })
    expect(demoteOwner.statusCode).toBe(403)
    const removeOwner = await wsAdmin.call({
      method: 'DELETE',
      url: '/api/v1/workspaces/team/members/admin',
    })
    expect(removeOwner.statusCode).toBe(403)
    const promoteMember = await wsAdmin.call({
      method: 'PUT',
      url: '/api/v1/workspaces/team/members/member',
      payload: { role: 'admin' },
    })
    expect(promoteMember.json()).toMatchObject({ role: 'admin' })
    const lastOwner = await t.call({
      method: 'PUT',
      url: '/api/v1/workspaces/team/members/admin',
      payload: { role: 'admin' },
    })
    expect(lastOwner.statusCode).toBe(409)
    expect(lastOwner.json().error.code).toBe('LAST_OWNER')
    const memberTries = await member.call({
      method: 'PUT',
      url: '/api/v1/workspaces/team/members/member',
      payload: { role: 'owner' },
    })
    expect(memberTries.statusCode).toBe(403)
  })

  it('makes a member who creates a project its owner', async () => {
    const created = await member.call({
      method: 'POST',
      url: '/api/v1/workspaces/team/projects',
      payload: { name: 'mine' },
    })
    expect(created.statusCode).toBe(200)
    const members = await member.call({ url: '/api/v1/projects/team/mine/members' })
    expect(members.json().members).toEqual([
      expect.objectContaining({
        role: 'owner',
        user: expect.objectContaining({ username: 'member' }),
      }),
    ])
    expect((await contributor.call({ url: '/api/v1/projects/team/mine' })).statusCode).toBe(404)
  })

  it('removes a person from the workspace’s projects when they leave it', async () => {
    const removed = await wsAdmin.call({
      method: 'DELETE',
      url: '/api/v1/workspaces/team/members/contributor',
    })
    expect(removed.json()).toEqual({ removed: true })
    expect((await contributor.call({ url: P })).statusCode).toBe(404)
  })
})

describe('invitations', () => {
  let t: TestApp & { clock: Clock }
  let wsAdmin: Person
  beforeEach(async () => {
    t = await createClockedTestApp()
    wsAdmin = await addPerson(t, 'ws-admin', { workspace: { name: 'team', role: 'admin' } })
  })
  afterEach(async () => {
    await t.close()
  })

  async function invite(role: string, expiresInHours?: number) {
    const response = await wsAdmin.call({
      method: 'POST',
      url: '/api/v1/workspaces/team/invitations',
      payload: { role, ...(expiresInHours ? { expiresInHours } : {}) },
    })
    return response
  }

  it('creates a link with a role that makes a new account a member, once', async () => {
    const created = await invite('member', 48)
    expect(created.statusCode).toBe(200)
    const { token, url, invitation } = created.json()
    expect(url).toBe(`http://localhost:8080/invite#${token}`)
    expect(invitation).toMatchObject({ role: 'member', status: 'pending' })
    const lookup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/lookup',
      payload: { token },
    })
    expect(lookup.json()).toMatchObject({ workspace: { name: 'team' }, role: 'member' })
    const registered = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/register',
      payload: { token, username: 'newbie', password: 'newbie-password' },
    })
    expect(registered.statusCode).toBe(200)
    expect(registered.json().user.username).toBe('newbie')
    const newbie = (await t.store.accounts.findUserByUsername('newbie'))!
    const team = (await t.store.workspaces.getByName('team'))!
    expect(await t.store.workspaces.memberRole(team.id, newbie.id)).toBe('member')
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/register',
      payload: { token, username: 'second', password: 'second-password' },
    })
    expect(again.statusCode).toBe(410)
    expect(again.json().error.code).toBe('INVITATION_INVALID')
    expect(await t.store.accounts.findUserByUsername('second')).toBeNull()
    const listed = await wsAdmin.call({ url: '/api/v1/workspaces/team/invitations' })
    expect(listed.json().invitations).toEqual([expect.objectContaining({ status: 'accepted' })])
    expect(listed.body).not.toContain(token)
  })

  it('lets a signed-in person accept a link', async () => {
    const { token } = (await invite('admin')).json()
    const carol = await addPerson(t, 'carol')
    const session = await signIn(t.app, 'carol', carol.password)
    const accepted = await session.call({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token },
    })
    expect(accepted.json()).toMatchObject({ workspace: { name: 'team' }, role: 'admin' })
  })

  it('refuses expired and revoked links', async () => {
    const expiring = (await invite('member', 1)).json()
    const revoked = (await invite('member')).json()
    await wsAdmin.call({
      method: 'DELETE',
      url: `/api/v1/workspaces/team/invitations/${revoked.invitation.id}`,
    })
    t.clock.advance(60 * 60 * 1000)
    for (const token of [expiring.token, revoked.token, 'made-up-token']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/invitations/lookup',
        payload: { token },
      })
      expect(response.statusCode).toBe(410)
    }
  })

  it('lets only owners invite owners', async () => {
    const response = await invite('owner')
    expect(response.statusCode).toBe(403)
    expect(
      (
        await t.call({
          method: 'POST',
          url: '/api/v1/workspaces/team/invitations',
          payload: { role: 'owner' },
        })
      ).statusCode,
    ).toBe(200)
  })
})

describe('audit log', () => {
  it('records security events for workspace admins to read', async () => {
    const t = await createTestApp()
    const wsAdmin = await addPerson(t, 'ws-admin', { workspace: { name: 'team', role: 'admin' } })
    const member = await addPerson(t, 'member', { workspace: { name: 'team', role: 'member' } })
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'member', password: 'wrong-password' },
    })
    await signIn(t.app, 'member', member.password)
    const { record } = (
      await member.call({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci' } })
    ).json()
    await member.call({ method: 'POST', url: `/api/v1/tokens/${record.id}/rotate` })
    await wsAdmin.call({
      method: 'PUT',
      url: '/api/v1/workspaces/team/members/member',
      payload: { role: 'admin' },
    })
    await t.call({ method: 'PATCH', url: P, payload: { visibility: 'workspace' } })
    await wsAdmin.call({
      method: 'POST',
      url: '/api/v1/workspaces/team/invitations',
      payload: { role: 'member' },
    })
    const run = (
      await t.call({ method: 'POST', url: `${P}/objects`, payload: { kind: 'run' } })
    ).json().object.shortId
    await t.call({ method: 'POST', url: `${P}/trash`, payload: { objects: [run] } })
    await t.call({ method: 'POST', url: `${P}/trash/delete`, payload: { objects: [run] } })

    const response = await wsAdmin.call({ url: '/api/v1/workspaces/team/audit' })
    expect(response.statusCode).toBe(200)
    const events = response.json().events as { action: string; actor: string; target: string }[]
    expect(events.map((e) => e.action).reverse()).toEqual([
      'auth.signInFailed',
      'auth.signIn',
      'token.created',
      'token.rotated',
      'workspace.memberRoleChanged',
      'project.visibilityChanged',
      'invitation.created',
      'objects.deletedPermanently',
    ])
    expect(events.find((e) => e.action === 'token.rotated')).toMatchObject({
      actor: 'member',
      target: 'member',
    })
    expect(response.body).not.toContain(member.password)
    const plain = await addPerson(t, 'plain', { workspace: { name: 'team', role: 'member' } })
    const denied = await plain.call({ url: '/api/v1/workspaces/team/audit' })
    expect(denied.statusCode).toBe(403)
    await t.close()
  })
})
