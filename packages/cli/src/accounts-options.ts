import { Option, type Command } from 'commander'
import type { ServerConfig } from '@nereid/server'
import { CommandError } from './command-error.js'

/** Single sign-on and trash retention flags of `nereid server` (docs/security.md). */
export function addAccountOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--oidc-issuer <url>',
        'OpenID Connect issuer for single sign-on (its /.well-known/openid-configuration is read)',
      ).env('NEREID_OIDC_ISSUER'),
    )
    .addOption(
      new Option('--oidc-client-id <id>', 'client id registered at the issuer').env(
        'NEREID_OIDC_CLIENT_ID',
      ),
    )
    .addOption(
      new Option(
        '--oidc-client-secret <secret>',
        'client secret (prefer the variable: flags show in the process list)',
      ).env('NEREID_OIDC_CLIENT_SECRET'),
    )
    .addOption(
      new Option(
        '--oidc-allowed-domains <domains>',
        'comma-separated e-mail domains that may sign in (default: any verified address)',
      ).env('NEREID_OIDC_ALLOWED_DOMAINS'),
    )
    .addOption(
      new Option('--oidc-name <name>', 'label of the sign-in button')
        .env('NEREID_OIDC_NAME')
        .default('Single sign-on'),
    )
    .addOption(
      new Option(
        '--trash-retention-days <days>',
        'delete trashed objects for good after this many days; 0 keeps them (default 30)',
      ).env('NEREID_TRASH_RETENTION_DAYS'),
    )
}

export interface AccountFlags {
  oidcIssuer?: string
  oidcClientId?: string
  oidcClientSecret?: string
  oidcAllowedDomains?: string
  oidcName?: string
  trashRetentionDays?: string
}

export function accountSettings(options: AccountFlags): Partial<ServerConfig> {
  const settings: Partial<ServerConfig> = {}
  if (options.trashRetentionDays !== undefined) {
    const days = Number(options.trashRetentionDays)
    if (!(Number.isFinite(days) && days >= 0))
      throw new CommandError(
        `--trash-retention-days must be a number of days (0 keeps the trash), not "${options.trashRetentionDays}"`,
      )
    settings.trashRetentionMs = Math.round(days * 24 * 60 * 60 * 1000)
  }
  if (options.oidcIssuer !== undefined) {
    if (!URL.canParse(options.oidcIssuer))
      throw new CommandError(`--oidc-issuer must be a URL, not "${options.oidcIssuer}"`)
    if (!options.oidcClientId || !options.oidcClientSecret)
      throw new CommandError(
        'single sign-on needs --oidc-client-id and --oidc-client-secret (or NEREID_OIDC_CLIENT_ID and NEREID_OIDC_CLIENT_SECRET)',
      )
    settings.oidcProviders = [
      {
        id: 'oidc',
        name: options.oidcName ?? 'Single sign-on',
        issuer: options.oidcIssuer.replace(/\/+$/, ''),
        clientId: options.oidcClientId,
        clientSecret: options.oidcClientSecret,
        allowedDomains: (options.oidcAllowedDomains ?? '')
          .split(',')
          .map((domain) => domain.trim().toLowerCase())
          .filter(Boolean),
      },
    ]
  }
  return settings
}
