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

/**
 * Why Spectral cannot query `given` (a JSONPath expression) over `input`, or undefined when it can:
 * the same Nimma, with the same fallback to jsonpath-plus, that Spectral's runner builds for a
 * lint (a filter the fallback cannot parse fails only once it meets a node to filter).
 */
export function jsonPathProblem(given: string, input: unknown): string | undefined {
  const { Nimma, jsonPathPlus } = load();
  try {
    new Nimma([given], { fallback: jsonPathPlus, unsafe: false, output: 'auto', customShorthands: {} }).query(input, { [given]: () => {} });
    return undefined;
  } catch (e) {
    return (e as Error)?.message ?? String(e);
  }
}
