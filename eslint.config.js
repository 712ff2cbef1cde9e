import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins,
// and activities or services only as types.
const WORKFLOW_FILES = [
  'orchestrator/src/workflows/**/*.ts',
  'orchestrator/src/plan/shardLayout.ts',
  'orchestrator/src/runTypes.ts',
  'orchestrator/src/spec/resolvedSpec.ts',
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'proto/src/gen/**', '.evalshard/**', '.cache/**', 'test/.generated/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: WORKFLOW_FILES,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)].map((name) => ({
            name,
            message: 'workflow code is deterministic: no Node built-ins (move this to an activity)',
          })),
          patterns: [
            {
              group: ['**/activities/*', '@evalshard/*', '@grpc/*', '@temporalio/worker', '@temporalio/client'],
              allowTypeImports: true,
              message: 'workflow code may import activities and services only as types',
            },
          ],
        },
      ],
    },
  },
);
