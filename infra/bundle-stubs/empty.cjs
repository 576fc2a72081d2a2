// Stands in, inside the Lambda bundles, for an optional package a dependency falls back without (see
// BUNDLE_EMPTY_STUBS in infra/constructs/bundling.ts): Handlebars' compiler uses its own SourceNode
// when `source-map` exports none, as it does in browsers.
'use strict';
module.exports = {};
