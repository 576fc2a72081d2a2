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
 * Packages left out of every bundle: the AWS SDK v3, which the Node.js Lambda runtime ships. Bundling it
 * would add 400–500 KB per function (and its cold import); the runtime's copy is loaded from the image
 * that is already warm. The price is that the SDK version is the runtime's, not package-lock's: the
 * adapters use only long-stable commands (GetItem/Query/Put/Update, SendMessage, SendRawEmail,
 * GetSecretValue, GetObject). `@smithy/*` packages imported directly are still bundled.
 */
export const BUNDLE_EXTERNALS: readonly string[] = ['@aws-sdk/*'];

/** The file name the validated config is written to inside every bundle (read by `loadConfig`). */
export const BUNDLED_CONFIG_FILE = 'tidings.config.json';

/** The folder, inside every bundle, that holds a copy of the project's `templates/`. */
export const BUNDLED_TEMPLATES_DIR = 'templates';
