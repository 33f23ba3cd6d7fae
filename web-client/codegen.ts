import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come from the Go server's schema files, never from a live URL, so CI can check the
// client against the backend without a server running.
const config: CodegenConfig = {
  schema: '../graph/schema/*.graphqls',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Time: 'string', Cursor: 'string' },
      },
      presetConfig: { fragmentMasking: { unmaskFunctionName: 'useFragment' } },
    },
  },
};

export default config;
