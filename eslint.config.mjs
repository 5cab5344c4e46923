// Lint rules: typescript-eslint's recommended set, and the core (shared/) may not import either door's framework.
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
);
