// Types and typed documents for every operation in src/operations, generated from the
// server's committed schema. `npm run codegen` rewrites src/generated/graphql.ts;
// `npm run codegen:check` fails when it is stale or an operation no longer validates.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: "src/operations/*.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript-operations", "typed-document-node"],
      config: {
        enumsAsTypes: true,
        scalars: { DateTime: "string", JSON: "unknown" },
        avoidOptionals: { field: true, inputValue: false, object: true },
        useTypeImports: true,
      },
    },
  },
};

export default config;
