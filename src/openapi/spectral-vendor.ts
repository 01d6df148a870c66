/**
 * Everything of Spectral's that Headroom loads only on demand (src/core/spectral.ts). The build
 * bundles this file on its own (dist/spectral-vendor.js, ≈ 6 MB with Spectral's rulesets), so the
 * CLI and the language server do not read, parse or hold it unless a lint needs Spectral.
 */
export * as core from '@stoplight/spectral-core';
export * as refResolver from '@stoplight/spectral-ref-resolver';
export * as rulesets from '@stoplight/spectral-rulesets';
export * as functions from '@stoplight/spectral-functions';
export { default as Nimma } from 'nimma/legacy';
export { jsonPathPlus } from 'nimma/fallbacks';
