import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['build/', 'node_modules/', 'data/', 'coverage/', '.react-router/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  jsxA11y.flatConfigs.recommended,
  {
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Layers point one way (routes → domain → email, calendar, auth → db): a cycle means one doesn't.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
    },
  },
  {
    // The email worker is told what it needs from the domain when it starts.
    files: ['app/email/**', 'app/calendar/**', 'app/auth/**', 'db/*.ts', 'db/reference/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/domain/**', '~/domain/*', '**/routes/**', '~/routes/*'],
              message: 'Layers point one way: routes → domain → email, calendar, auth → db.',
            },
          ],
        },
      ],
    },
  },
  {
    // Time conversion is the foundation every layer stands on: it imports none of them.
    files: ['app/time/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/domain/**', '**/routes/**', '**/email/**', '**/calendar/**', '**/auth/**', '~/*', '**/db/**'],
              message: 'app/time is below every other layer: it must not import them.',
            },
          ],
        },
      ],
    },
  },
  {
    // Migrations are frozen in time: they must not change when app code or the live schema does.
    files: ['db/migrations/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/**', '~/*', '../index', '../schema', '../migrate', '../reference/*'],
              message: 'A migration must not import app code or the live schema: copy what it needs into it.',
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      // A wide table that scrolls on its own is a focusable region, so keyboard users can scroll it.
      'jsx-a11y/no-noninteractive-tabindex': ['error', { roles: ['region'] }],
    },
  },
  // Plain JavaScript run by Node (scripts/run.js): TypeScript's checker does not supply its globals.
  { files: ['**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
)
