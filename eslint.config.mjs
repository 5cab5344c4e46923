// Lint rules: typescript-eslint's recommended set; the core (shared/) may not import either door's framework, and the
// code a command runs does not sort with localeCompare (its first call loads ICU's collator: 6-14 ms of a `check`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS configuration files (dependency-cruiser's) load each other with require.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'shared/ is the core: only extension/ may import vscode.' },
          { name: 'commander', message: 'shared/ is the core: only kubectl-plugin/ may import commander.' },
        ],
      }],
    },
  },
  {
    files: ['shared/**/*.ts', 'kubectl-plugin/**/*.ts', 'extension/**/*.ts'],
    ignores: ['shared/util/names.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='localeCompare']",
        message: 'localeCompare loads ICU on first use (6-14 ms of start-up): sort names with compareNames (shared/util/names.ts).',
      }],
    },
  },
);
