import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

// Boundary rules: dependencies point one way (core <- store <- server <- cli; core <- client <- cli).
const forbid = (patterns, message) => ({
  'no-restricted-imports': [
    'error',
    { patterns: patterns.map((group) => ({ group: [group], message })) },
  ],
})

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'compat/**',
      'packages/web/**',
      '**/*.d.ts',
      '**/.venv/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "Identifier[name='TODO']", message: 'No TODO paths.' },
      ],
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: forbid(
      ['node:*', 'fs', 'path', 'http', '@nereid/*', 'better-sqlite3', 'kysely', 'fastify'],
      'The domain core has no I/O and depends on nothing.',
    ),
  },
  {
    files: ['packages/store/src/**/*.ts'],
    rules: forbid(
      ['fastify', '@fastify/*', '@nereid/server', '@nereid/client', '@nereid/cli'],
      'The store knows nothing of HTTP.',
    ),
  },
  {
    files: ['packages/client/src/**/*.ts'],
    rules: forbid(
      ['@nereid/store', '@nereid/server', '@nereid/cli', 'better-sqlite3', 'kysely'],
      'The SDK talks to the server over HTTP only.',
    ),
  },
  {
    files: ['packages/server/src/**/*.ts'],
    rules: forbid(
      ['@nereid/cli', '@nereid/client', 'kysely', 'better-sqlite3'],
      'The server calls Store methods; it contains no SQL.',
    ),
  },
  {
    files: ['packages/transfer/src/**/*.ts'],
    rules: forbid(
      [
        '@nereid/store',
        '@nereid/server',
        '@nereid/cli',
        '@nereid/client',
        'better-sqlite3',
        'kysely',
      ],
      'Import and export talk to a server over the native API only.',
    ),
  },
)
