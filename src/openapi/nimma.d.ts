/** The parts of Nimma (Spectral's JSONPath engine, a dependency of @stoplight/spectral-core) Headroom calls. */
declare module 'nimma/legacy' {
  export default class Nimma {
    constructor(expressions: string[], options: { fallback: unknown; unsafe: boolean; output: 'auto'; customShorthands: Record<string, unknown> });
    query(input: unknown, callbacks: Record<string, (scope: unknown) => void>): void;
  }
}
declare module 'nimma/fallbacks' {
  export const jsonPathPlus: unknown;
}
