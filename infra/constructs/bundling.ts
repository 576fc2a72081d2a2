// The one description of how a handler is bundled. The TidingsFunction construct turns it into
// NodejsFunction bundling props, and test/bench/bundles.bench.ts hands the same values to esbuild's API,
// so the bench measures exactly what Lambda runs.

/** esbuild target: the oldest Node the functions may run on. */
export const BUNDLE_TARGET = 'node22';

/**
 * Prefer the ESM build of each package (smaller after tree-shaking), then CommonJS. Matches esbuild's
 * default for `platform: node` except that `module` comes first.
 */
export const BUNDLE_MAIN_FIELDS = ['module', 'main'];

/**
 * A CommonJS dependency bundled into an ESM file still calls `require` for Node built-ins; ESM has no
 * `require`, so one is made from `import.meta.url`. `__dirname`/`__filename` likewise, for packages that
 * locate files next to themselves.
 */
export const BUNDLE_BANNER = [
  "import { createRequire as __tidingsCreateRequire } from 'node:module';",
  "import { fileURLToPath as __tidingsFileURLToPath } from 'node:url';",
  "import { dirname as __tidingsDirname } from 'node:path';",
  'const require = __tidingsCreateRequire(import.meta.url);',
  'const __filename = __tidingsFileURLToPath(import.meta.url);',
  'const __dirname = __tidingsDirname(__filename);',
].join(' ');

/**
 * Packages left out of every bundle: only the credential providers that the SDK's default chain loads
 * with a dynamic `import()` when the environment holds no credentials (SSO, shared ini files, a
 * credential process, web identity, container/instance metadata, and the STS/SSO clients they use). On
 * Lambda the role's keys are in the environment, so `fromEnv` answers first and these are never
 * loaded; if they were, the runtime's copy of the SDK would serve them.
 *
 * Everything else of the AWS SDK v3 IS bundled (minified, tree-shaken), measured with
 * test/bench/bundles.bench.ts (fresh `node` child process, median of 5). The send function with the SDK
 * left external (loaded from node_modules, as from the runtime's copy on Lambda) was 207 KB but took
 * 411–681 ms to import on this loaded 2-core machine: resolving and evaluating hundreds of SDK files
 * dominated. Bundled, it is one file of ≈ 430 KB that imports in ≈ 100–170 ms on the same machine (budgets:
 * ≤ 500 KB, ≤ 150 ms). The price: the SDK version is package-lock's (updated with the project), not the
 * runtime's, and each function carries its own copy.
 */
export const BUNDLE_EXTERNALS: readonly string[] = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/nested-clients',
  '@aws-sdk/token-providers',
  '@smithy/credential-provider-imds',
];

/**
 * Packages a dependency imports but tidings never calls, replaced in every bundle by
 * `infra/bundle-stubs/not-bundled.cjs` (esbuild `alias`), which throws one line if it is ever used:
 * - `htmlnano` (and through it cosmiconfig and the **TypeScript compiler**, 3.5 MB): mjml-core imports it
 *   for its `minify` option, which tidings never sets (core/render/render-mjml.ts);
 * - `js-beautify`: mjml-core's `beautify` option, never set either;
 * - `typescript`: cosmiconfig's loader for `.ts` config files; stubbed too, so no other path brings it;
 * - `undici`, `encoding-sniffer`, `whatwg-mimetype`, `parse5-parser-stream`: cheerio's `fromURL`,
 *   `loadBuffer` and `decodeStream`; tidings (and juice, inside mjml) only call `load` on a string.
 * Together they made the rendering bundles 8.5–9.3 MB; `npm run bench -- bundles` measures the result and
 * checks that no bundle holds the TypeScript compiler. test/infra/lean-bundle-render.test.ts renders an
 * edition through a bundle built with these aliases and compares it with the unbundled renderer.
 */
export const BUNDLE_STUBS: readonly string[] = [
  'htmlnano',
  'js-beautify',
  'typescript',
  'undici',
  'encoding-sniffer',
  'whatwg-mimetype',
  'parse5-parser-stream',
];

/**
 * Optional packages a dependency works without, replaced by an empty module: Handlebars' compiler uses its
 * own SourceNode when `source-map` exports none (as in browsers); it never writes source maps for tidings.
 */
export const BUNDLE_EMPTY_STUBS: readonly string[] = ['source-map'];

/** The stub files, relative to the project root. */
export const BUNDLE_STUB_FILE = 'infra/bundle-stubs/not-bundled.cjs';
export const BUNDLE_EMPTY_STUB_FILE = 'infra/bundle-stubs/empty.cjs';

/** esbuild's `alias` map for the project at `projectRoot`: every stubbed package → its stub file. */
export function bundleAliases(projectRoot: string): Record<string, string> {
  const root = projectRoot.replace(/\/+$/, '');
  return {
    ...Object.fromEntries(BUNDLE_STUBS.map((name) => [name, `${root}/${BUNDLE_STUB_FILE}`])),
    ...Object.fromEntries(BUNDLE_EMPTY_STUBS.map((name) => [name, `${root}/${BUNDLE_EMPTY_STUB_FILE}`])),
  };
}

/** The file name the validated config is written to inside every bundle (read by `loadConfig`). */
export const BUNDLED_CONFIG_FILE = 'tidings.config.json';

/** The journey emails compiled at build time, inside the http function's bundle (infra/compile-journey.ts). */
export const BUNDLED_JOURNEY_FILE = 'journey.json';

/** The folder, inside every bundle, that holds a copy of the project's `templates/`. */
export const BUNDLED_TEMPLATES_DIR = 'templates';
