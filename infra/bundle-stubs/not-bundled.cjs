// Stands in, inside the Lambda bundles, for a package that a dependency imports but tidings never calls
// (see BUNDLE_STUBS in infra/constructs/bundling.ts). Importing it is harmless; using it throws one clear
// line instead of a `TypeError` deep inside a dependency.
'use strict';
const fail = (name) => {
  throw new Error(
    `tidings: ${String(name)} of a package left out of this Lambda bundle was used (infra/constructs/bundling.ts, BUNDLE_STUBS)`,
  );
};
module.exports = new Proxy(
  {},
  {
    get(_target, key) {
      // Interop helpers probe these; answering them keeps `import * as x` and default imports quiet.
      if (key === '__esModule' || key === 'default' || typeof key === 'symbol') return undefined;
      return () => fail(key);
    },
    ownKeys: () => [],
    getOwnPropertyDescriptor: () => undefined,
  },
);
