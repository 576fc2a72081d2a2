// The dependency rules of functions/ (docs/architecture.md "Rules the code keeps"). Checked by
// test/architecture/dependency-rules.test.ts in `npm test`, and by hand with
//   npx depcruise functions --config .dependency-cruiser.cjs
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycle anywhere in functions/, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment:
        'functions/core is pure: it imports only core and pure libraries — no ports, adapters, use cases, handlers, pages, CLI or wiring; no SDK; no I/O modules.',
      from: { path: '^functions/core/' },
      to: {
        pathNot: ['^functions/core/', '^node_modules/', '^(node:)?(crypto|util|buffer|url|path)$'],
      },
    },
    {
      name: 'core-no-io',
      severity: 'error',
      comment: 'functions/core does no I/O and uses no AWS SDK.',
      from: { path: '^functions/core/' },
      to: {
        path: ['^node_modules/@aws-sdk/', '^node_modules/@smithy/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'core-no-node-io',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: {
        dependencyTypes: ['core'],
        path: ['^(node:)?(fs|fs/promises|http|https|net|child_process|dgram|dns|tls|worker_threads)$'],
      },
    },
    {
      name: 'ports-import-core-only',
      severity: 'error',
      comment: 'A port is an interface over core types.',
      from: { path: '^functions/ports/' },
      to: { pathNot: ['^functions/ports/', '^functions/core/'] },
    },
    {
      name: 'use-cases-need-ports-not-adapters',
      severity: 'error',
      comment: 'Use cases depend on core and ports; the composition root hands them adapters.',
      from: { path: '^functions/use-cases/' },
      to: {
        path: ['^functions/(adapters|handlers|cli|wiring|local)/', '^node_modules/@aws-sdk/'],
      },
    },
    {
      name: 'adapters-implement-ports',
      severity: 'error',
      comment: 'Adapters implement ports over core; they call no use case and know no process.',
      from: { path: '^functions/adapters/' },
      to: { path: '^functions/(use-cases|handlers|http|cli|wiring|local)/' },
    },
    {
      name: 'only-wiring-chooses-adapters',
      severity: 'error',
      comment:
        'Handlers, pages and CLI commands get the application from functions/wiring/; only the composition root (and the local runtime it starts) picks adapters.',
      from: { path: '^functions/(handlers|http|cli)/' },
      to: {
        path: '^functions/adapters/(aws|memory)/',
        pathNot: '^functions/adapters/aws/lambda-env\\.ts$',
      },
    },
    {
      name: 'pages-are-use-case-driven',
      severity: 'error',
      from: { path: '^functions/http/' },
      to: { path: '^functions/(handlers|cli|wiring|local)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
