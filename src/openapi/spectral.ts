/**
 * Spectral, loaded on first use. Loading spectral-core and its rulesets costs ≈ 0.2–0.4 s and
 * 30–50 MB per process; a lint with only Headroom's built-in rules runs on src/core/lean and never
 * needs them. In the built bundles `./spectral-vendor` is a separate file (see scripts/build.mjs).
 */
type Vendor = typeof import('./spectral-vendor');

let vendor: Vendor | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): Vendor => (vendor ??= require('./spectral-vendor') as Vendor);

export const spectralCore = (): Vendor['core'] => load().core;
export const spectralRefResolver = (): Vendor['refResolver'] => load().refResolver;
export const spectralRulesets = (): Record<string, unknown> => load().rulesets as unknown as Record<string, unknown>;
export const spectralFunctions = (): Record<string, unknown> => load().functions as unknown as Record<string, unknown>;
