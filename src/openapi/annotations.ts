/**
 * Headroom's `x-gateway-*` annotations: validation against schemas/x-gateway.schema.json
 * with exact node paths and human messages, and the rate-limit policy in force for an operation.
 * Shared by the lint rules and the gateway export, so both say the same thing about a bad value.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../schemas/x-gateway.schema.json';
import { editDistance, listText } from './text';
import { isObject, type JsonPath, type Located, type Operation, type Spec } from './spec';

export const RATE_LIMIT = 'x-gateway-rate-limit';

/** Names of every `x-gateway-*` annotation the schema defines. */
export const ANNOTATIONS: readonly string[] = Object.keys(schema.properties);

export interface AnnotationProblem {
  /** Path of the offending node, relative to the annotation's value (`[]` = the value itself). */
  path: JsonPath;
  message: string;
}

/** The largest age in seconds an HTTP cache counts (2^31 - 1; RFC 9111 §1.2.2). */
const MAX_DELTA_SECONDS = 2147483647;

const validators = new Map<string, ValidateFunction>();
let ajv: Ajv | undefined;

function validatorFor(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (validate === undefined) {
    if (ajv === undefined) {
      // `verbose` keeps each error's parentSchema, whose `x-expected` phrase the messages use.
      ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
      ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
      // What the export can parse as an upstream: the pattern lets `http://[::1` through.
      ajv.addFormat('http-url', isHttpUrl);
      // A duration HTTP caches can count (RFC 9111 §1.2.2: ages past 2^31 seconds are taken as 2^31).
      ajv.addFormat('delta-seconds', (text: string) => (durationSeconds(text) ?? Infinity) <= MAX_DELTA_SECONDS);
      // An Origin as browsers send it (gateways compare it as text): `*`, or what the URL parser
      // gives back as the origin (lower case, no default port, a port that exists).
      ajv.addFormat('web-origin', isWebOrigin);
      ajv.addSchema(schema);
    }
    validate = ajv.getSchema(`${schema.$id}#/definitions/${name}`);
    if (validate === undefined) throw new Error(`x-gateway schema has no definition for ${name}`);
    validators.set(name, validate);
  }
  return validate;
}

function isWebOrigin(text: string): boolean {
  if (text === '*') return true;
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

/** An absolute http(s) URL the WHATWG URL parser accepts, with a host a gateway can use (the export reads upstream targets with it). */
function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isHostName(u.hostname);
  } catch {
    return false;
  }
}

/**
 * A host as a URL parser gives it that a gateway can use: a DNS name (labels of letters, digits
 * and hyphens; underscores too, as some resolvers allow), an IPv4 address, or a bracketed IPv6 one.
 * Not a server variable left unfilled (`{accountName}.example.com`), nor quotes or other text that
 * would mean more than a name in a gateway's config.
 */
export function isHostName(hostname: string): boolean {
  return /^(\[[0-9a-f:.]+\]|[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?(\.[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?)*\.?)$/.test(hostname);
}

/** Keywords whose failure only says "no branch fitted"; the branches' own errors say why. */
const UNION_KEYWORDS = new Set(['if', 'anyOf', 'oneOf']);

/**
 * Problems with the value of annotation `name` (e.g. `x-gateway-rate-limit`), one per offending
 * node: a wrong value is reported at that value, an unknown property at its key, a missing
 * property at the object that lacks it. `[]` when the value is well-formed.
 */
export function validateAnnotation(name: string, value: unknown): AnnotationProblem[] {
  if (!ANNOTATIONS.includes(name)) {
    const meant = closestAnnotation(name);
    return [{ path: [], message: `Unknown annotation ${name}${meant ? `: did you mean ${meant}?` : ''} (known: ${ANNOTATIONS.join(', ')}).` }];
  }
  // An annotation is read as written, where it stands: a `$ref` in its place is not followed (the
  // export reads no other file for it), so it is that one problem, not a policy missing its fields.
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, unknown>).$ref === 'string') {
    return [{ path: ['$ref'], message: `${name} cannot be a $ref: annotations are read where they stand; write the value here.` }];
  }
  const validate = validatorFor(name);
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  const problems: AnnotationProblem[] = [];
  const valueErrors = new Map<string, ErrorObject[]>();
  const missingByNode = new Map<string, { path: JsonPath; names: string[] }>();
  for (const e of errors) {
    const path = instancePath(value, e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
      problems.push({
        path: [...path, key],
        message: `Unknown property "${key}" in ${fullLabel(name, path)} (allowed: ${allowed.join(', ')}).`,
      });
    } else if (e.keyword === 'required') {
      const missing = missingByNode.get(e.instancePath);
      if (missing) missing.names.push(String(e.params.missingProperty));
      else missingByNode.set(e.instancePath, { path, names: [String(e.params.missingProperty)] });
    } else {
      const group = valueErrors.get(e.instancePath);
      if (group) group.push(e);
      else valueErrors.set(e.instancePath, [e]);
    }
  }
  // One finding per object that lacks properties, naming all of them.
  for (const { path, names } of missingByNode.values()) {
    const properties = `propert${names.length === 1 ? 'y' : 'ies'} ${listText(names.map((n) => `"${n}"`))}`;
    problems.push({ path, message: `${fullLabel(name, path)} is missing the required ${properties}.` });
  }
  for (const [pointer, group] of valueErrors) {
    // A node whose only failures are "no branch of the union fitted" failed in its children.
    if (group.every((e) => UNION_KEYWORDS.has(e.keyword))) continue;
    const path = instancePath(value, pointer);
    const expected = group.map((e) => e.parentSchema?.['x-expected']).find((x) => typeof x === 'string');
    const subject = [shortLabel(name, path), shown(group[0].data)].filter(Boolean).join(' ');
    problems.push({
      path,
      message: `${subject} must be ${expected ?? group.find((e) => !UNION_KEYWORDS.has(e.keyword))!.message}.`,
    });
  }
  return problems.sort((a, b) => comparePaths(a.path, b.path));
}

/** The rule that reports a malformed annotation: the rate limit has its own, the others share one. */
export function annotationRule(name: string): 'ratelimit-policy-valid' | 'gateway-annotation-valid' {
  return name === RATE_LIMIT ? 'ratelimit-policy-valid' : 'gateway-annotation-valid';
}

export interface OwnedAnnotationProblem extends AnnotationProblem {
  /** The annotation's key on its object (`x-gateway-cache`, or an unknown `x-gateway-ratelimit`). */
  name: string;
  rule: ReturnType<typeof annotationRule>;
}

/**
 * Every problem with the `x-gateway-*` annotations on one object (the document root, a path item
 * or an operation), paths relative to that object. The lint rules and the gateway export both
 * report exactly these, so lint says everything export would refuse.
 */
export function annotationProblemsOn(owner: unknown): OwnedAnnotationProblem[] {
  if (!isObject(owner)) return [];
  const out: OwnedAnnotationProblem[] = [];
  for (const [name, value] of Object.entries(owner)) {
    // Any case: `x-Gateway-Rate-Limit` is a typo the export would pass over in silence.
    if (!/^x-gateway-/i.test(name)) continue;
    for (const p of validateAnnotation(name, value)) out.push({ name, rule: annotationRule(name), path: [name, ...p.path], message: p.message });
  }
  return out;
}

/** The objects annotations live on: the root, then each operation's path item and the operation, each once (`$ref`s followed). */
export function annotationOwners(spec: Spec): Located[] {
  const seen = new Set<unknown>();
  const out: Located[] = [];
  for (const loc of [{ value: spec.root, path: [], file: spec.rootFile } as Located, ...spec.operations().flatMap((op) => [op.pathItem, op as Located])]) {
    if (!isObject(loc.value) || seen.has(loc.value)) continue;
    seen.add(loc.value);
    out.push(loc);
  }
  return out;
}

/**
 * `x-gateway-*` keys where Headroom never reads them, and so no gateway enforces them: on `info`,
 * a server, a parameter, a request body, a response, a component or a webhook (each object as
 * written: a `$ref`'s target is visited where it is defined). Only the root, path items and
 * operations carry annotations.
 */
export function misplacedAnnotations(spec: Spec): { key: string; path: JsonPath }[] {
  const out: { key: string; path: JsonPath }[] = [];
  const visit = (value: unknown, path: JsonPath) => {
    if (!isObject(value)) return;
    for (const key of Object.keys(value)) if (key.startsWith('x-gateway-')) out.push({ key, path: [...path, key] });
  };
  const each = (value: unknown, path: JsonPath) => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  const root = spec.root;
  if (!isObject(root)) return out;
  visit(root.info, ['info']);
  each(root.servers, ['servers']);
  for (const section of ['components', 'webhooks'] as const) {
    const holder = root[section];
    if (section === 'webhooks') {
      each(holder, ['webhooks']);
      if (isObject(holder)) for (const [name, item] of Object.entries(holder)) if (isObject(item)) each(Object.fromEntries(Object.entries(item).filter(([k]) => !k.startsWith('x-'))), ['webhooks', name]);
    } else if (isObject(holder)) {
      for (const [kind, entries] of Object.entries(holder)) if (!kind.startsWith('x-')) each(entries, ['components', kind]);
    }
  }
  for (const kind of ['definitions', 'parameters', 'responses', 'securityDefinitions']) if (spec.isOas2) each(root[kind], [kind]);
  const items = new Set<unknown>();
  for (const op of spec.operations()) {
    if (op.pathItem.file === spec.rootFile && !items.has(op.pathItem.value)) {
      items.add(op.pathItem.value);
      each(op.pathItem.value.parameters, [...op.pathItem.path, 'parameters']);
      each(op.pathItem.value.servers, [...op.pathItem.path, 'servers']);
    }
    if (op.file !== spec.rootFile) continue;
    each(op.value.parameters, [...op.path, 'parameters']);
    each(op.value.servers, [...op.path, 'servers']);
    visit(op.value.requestBody, [...op.path, 'requestBody']);
    each(op.value.responses, [...op.path, 'responses']);
  }
  return out;
}

/** A known annotation an unknown one is probably a misspelling of (`x-gateway-ratelimit`, `x-gateway-caching`). */
function closestAnnotation(name: string): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const exact = ANNOTATIONS.find((a) => norm(a) === norm(name));
  if (exact) return exact;
  let best: { name: string; d: number } | undefined;
  for (const a of ANNOTATIONS) {
    const d = editDistance(norm(a), norm(name));
    if (d <= 3 && (!best || d < best.d)) best = { name: a, d };
  }
  return best?.name;
}

function comparePaths(a: JsonPath, b: JsonPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === 'number' && typeof b[i] === 'number') return (a[i] as number) - (b[i] as number);
    return String(a[i]) < String(b[i]) ? -1 : 1;
  }
  return a.length - b.length;
}

/** `/0/window` → `[0, 'window']`, array indices as numbers. */
function instancePath(value: unknown, pointer: string): JsonPath {
  const out: JsonPath = [];
  let node: any = value;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out.push(Number(seg));
      node = node[Number(seg)];
    } else {
      out.push(seg);
      node = node?.[seg];
    }
  }
  return out;
}

/** `x-gateway-upstream.targets[0]` */
function fullLabel(name: string, path: JsonPath): string {
  return path.reduce<string>((label, seg) => (typeof seg === 'number' ? `${label}[${seg}]` : `${label}.${seg}`), name);
}

/** The property that holds the node: `window`, `methods[1]`, or the annotation itself. */
function shortLabel(name: string, path: JsonPath): string {
  let i = path.length - 1;
  while (i >= 0 && typeof path[i] === 'number') i--;
  return fullLabel(i < 0 ? name : String(path[i]), path.slice(i + 1));
}

/** A scalar as written (quoted strings), nothing for objects and arrays. */
function shown(v: unknown): string {
  if (v !== null && typeof v === 'object') return '';
  const text = typeof v === 'number' && !Number.isFinite(v) ? String(v) : (JSON.stringify(v) ?? String(v));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export type AnnotationLevel = 'operation' | 'path' | 'root';

export interface Annotation<T = unknown> {
  value: T;
  /** Logical path of the annotation node. */
  path: JsonPath;
  level: AnnotationLevel;
}

/**
 * The annotation `name` in force for an operation: the operation's own, else its path item's,
 * else the document root's (`$ref`s followed). A `false` value is returned as is: it switches an
 * inherited policy off. The one place that says how `x-gateway-*` annotations inherit; the rules,
 * the fixes and the export all ask here.
 */
export function effectiveAnnotation(spec: Spec, op: Operation, name: string): Annotation | undefined {
  const own = spec.child<unknown>(op, name);
  if (own !== undefined) return { value: own.value, path: own.path, level: 'operation' };
  const item = spec.child<unknown>(op.pathItem, name);
  if (item !== undefined) return { value: item.value, path: item.path, level: 'path' };
  const root = spec.child<unknown>({ value: spec.root, path: [], file: spec.rootFile }, name);
  if (root !== undefined) return { value: root.value, path: root.path, level: 'root' };
  return undefined;
}

/** The `x-gateway-rate-limit` in force for an operation (see effectiveAnnotation). */
export function effectiveRateLimit(spec: Spec, op: Operation): Annotation | undefined {
  return effectiveAnnotation(spec, op, RATE_LIMIT);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `"90s"` → 90, `"1m"` → 60; undefined when not a valid duration. */
export function durationSeconds(duration: unknown): number | undefined {
  if (typeof duration !== 'string') return undefined;
  const m = /^([1-9][0-9]*)([smhd])$/.exec(duration);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]] : undefined;
}

export interface RateLimitWindow {
  requests: number;
  /** As written, e.g. `"1m"`. */
  window: string;
  seconds: number;
}

/**
 * The well-formed windows of an `x-gateway-rate-limit` value (an object or an array of them);
 * `[]` for `false` and for values with no usable window.
 */
export function rateLimitWindows(value: unknown): RateLimitWindow[] {
  const items = Array.isArray(value) ? value : [value];
  const out: RateLimitWindow[] = [];
  for (const item of items) {
    if (!isObject(item)) continue;
    const seconds = durationSeconds(item.window);
    if (Number.isInteger(item.requests) && item.requests > 0 && seconds !== undefined) {
      out.push({ requests: item.requests, window: item.window, seconds });
    }
  }
  return out;
}
