/** Ajv's errors turned into one issue per problem, in words, on the node it is about. */
import type { ErrorObject } from 'ajv';
import { getAtPointer } from '../../../../src/openapi/refs';
import { isObject, type JsonPath } from '../../../../src/openapi/spec';
import { schemaRootOf } from './schemas';
import type { Issue, Obj, SchemaVersion } from './types';
import { quoteList } from '../../../../src/openapi/text';
import { closest, QUOTE_IT, show } from './words';

/** One issue per problem, on the node it is about, from Ajv's errors for `data`. */
export function issuesFromErrors(errors: ErrorObject[], version: SchemaVersion): Issue[] {
  const schemaRoot = schemaRootOf(version);
  const located = errors
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames')
    .map((e) => ({ e, path: instancePathToPath(e.instancePath) }));
  const key = (p: JsonPath) => p.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  const keys = located.map(({ path }) => key(path));
  // Nodes with an error of some kind at or below them (one pass, so thousands of errors stay cheap).
  const covered = (accept: (e: ErrorObject) => boolean) => {
    const out = new Set<string>();
    located.forEach(({ e, path }) => {
      if (!accept(e)) return;
      for (let n = path.length; n >= 0; n--) {
        const k = key(path.slice(0, n));
        if (out.has(k)) break;
        out.add(k);
      }
    });
    return out;
  };
  const belowPlain = covered((e) => !isCombinator(e));
  const belowNotType = covered((e) => !isCombinator(e) && e.keyword !== 'type');
  const belowNotUnevaluated = covered((e) => e.keyword !== 'unevaluatedProperties');
  const combinatorAt = new Set(keys.filter((_, i) => isCombinator(located[i].e)));
  const enumAt = new Set(keys.filter((_, i) => located[i].e.keyword === 'enum' || located[i].e.keyword === 'const'));
  const kept = located.filter(({ e }, i) => {
    // The summary of a oneOf/anyOf whose branch errors are reported.
    if (isCombinator(e) && !customMessage(e)) return !belowPlain.has(keys[i]);
    // A property declared by a subschema that failed counts as unevaluated: that is an echo
    // of the failure, not an unknown property.
    if (e.keyword === 'unevaluatedProperties' && declared(e.parentSchema, schemaRoot).names.has(String((e.params as any).unevaluatedProperty))) {
      return !belowNotUnevaluated.has(keys[i]);
    }
    // `swagger: 2.0` (a number) breaks both `type: string` and `enum: ["2.0"]`: the enum says it all.
    if (e.keyword === 'type' && enumAt.has(keys[i])) return false;
    // A branch's type complaint where another branch's complaint is more specific.
    if (e.keyword === 'type' && combinatorAt.has(keys[i])) return !belowNotType.has(keys[i]);
    return true;
  });

  const issues: Issue[] = [];
  const required = new Map<string, { path: JsonPath; names: string[] }>();
  const enums = new Map<string, { path: JsonPath; values: unknown[]; e: ErrorObject }>();
  for (const { e, path } of kept) {
    const custom = customMessage(e);
    const badKey = (e as ErrorObject & { propertyName?: string }).propertyName;
    if (badKey !== undefined) {
      // A key that breaks `propertyNames` (3.1 component names): shown on the key.
      const rule = custom ?? (e.keyword === 'pattern' ? (KEY_PATTERNS[String((e.params as any).pattern)] ?? `must match the pattern ${(e.params as any).pattern}`) : describe(e, path, schemaRoot).message);
      issues.push({ path: [...path, badKey], subject: path, message: `the key '${badKey}' ${rule}` });
    } else if (custom) {
      issues.push({ ...describe(e, path, schemaRoot), message: custom });
    } else if (e.keyword === 'required') {
      const k = key(path);
      const entry = required.get(k) ?? { path, names: [] };
      const name = String((e.params as any).missingProperty);
      if (!entry.names.includes(name)) entry.names.push(name);
      required.set(k, entry);
    } else if (e.keyword === 'enum') {
      const k = key(path);
      const entry = enums.get(k) ?? { path, values: [], e };
      for (const v of (e.params as any).allowedValues ?? []) if (!entry.values.includes(v)) entry.values.push(v);
      enums.set(k, entry);
    } else {
      issues.push(describe(e, path, schemaRoot));
    }
  }
  for (const { path, names } of required.values()) {
    issues.push({
      path,
      message: names.length === 1 ? `must have required property '${names[0]}'` : `must have required properties ${quoteList(names, 'and')}`,
    });
  }
  for (const { path, values, e } of enums.values()) issues.push({ path, message: enumMessage(values, e.data) });
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = key(i.path) + '\0' + i.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function isCombinator(e: ErrorObject): boolean {
  return e.keyword === 'oneOf' || e.keyword === 'anyOf';
}

function customMessage(e: ErrorObject): string | undefined {
  const messages = (e.parentSchema as Obj | undefined)?.['x-messages'];
  return isObject(messages) && typeof messages[e.keyword] === 'string' ? messages[e.keyword] : undefined;
}

/** Ajv's `instancePath`: a plain JSON pointer (`~1` escapes, no URI encoding). */
function instancePathToPath(pointer: string): JsonPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describe(e: ErrorObject, path: JsonPath, schemaRoot: Obj): Issue {
  const p = e.params as Obj;
  const parent = (e.parentSchema ?? {}) as Obj;
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      return { path: [...path, name], subject: path, message: unknownPropertyMessage(name, declared(parent, schemaRoot)) };
    }
    case 'type': {
      const unquoted = String(p.type).split(',').includes('string') && (typeof e.data === 'number' || typeof e.data === 'boolean');
      return { path, message: `must be ${typeList(p.type)} (${unquoted ? QUOTE_IT.replace('number', typeof e.data) : `found ${kindOf(e.data)}`})` };
    }
    case 'const':
      return { path, message: `must be ${show(p.allowedValue)} (found ${show(e.data)})` };
    case 'pattern':
      return { path, message: `must match the pattern ${p.pattern} (found ${show(e.data)})` };
    case 'minProperties':
      return { path, message: `must have at least ${n(p.limit, 'property', 'properties')}` };
    case 'maxProperties':
      return { path, message: `must have at most ${n(p.limit, 'property', 'properties')}` };
    case 'minItems':
      return { path, message: `must have at least ${n(p.limit, 'item', 'items')}` };
    case 'maxItems':
      return { path, message: `must have at most ${n(p.limit, 'item', 'items')}` };
    case 'minLength':
      return { path, message: `must be at least ${n(p.limit, 'character', 'characters')} long` };
    case 'maxLength':
      return { path, message: `must be at most ${n(p.limit, 'character', 'characters')} long` };
    case 'uniqueItems':
      // On the list: the later item may be a `$ref`, and the problem is listing it twice.
      return { path, message: `items ${Math.min(p.i, p.j)} and ${Math.max(p.i, p.j)} are identical; items must be unique` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `must be ${p.comparison} ${p.limit} (found ${show(e.data)})` };
    case 'multipleOf':
      return { path, message: `must be a multiple of ${p.multipleOf}` };
    case 'not': {
      const req = isObject(e.schema) && Array.isArray(e.schema.required) ? (e.schema.required as string[]) : undefined;
      if (req && Object.keys(e.schema as Obj).length === 1) {
        return req.length === 1
          ? { path: [...path, req[0]], subject: path, message: `must not have '${req[0]}'` }
          : { path, message: `must not have both ${quoteList(req, 'and')}` };
      }
      return { path, message: 'must not match the schema it is excluded from' };
    }
    case 'oneOf':
      return { path, message: Array.isArray(p.passingSchemas) ? 'matches more than one of the allowed shapes' : 'matches none of the allowed shapes' };
    case 'anyOf':
      return { path, message: 'matches none of the allowed shapes' };
    default:
      return { path, message: (e.message ?? 'is invalid').replace(/NOT/g, 'not') };
  }
}

/** Property names and name patterns a schema declares for its node, through `$ref`s and subschemas. */
const declaredCache = new WeakMap<object, { names: Set<string>; patterns: Set<string> }>();

function declared(schema: unknown, root: Obj): { names: Set<string>; patterns: Set<string> } {
  const cached = isObject(schema) ? declaredCache.get(schema) : undefined;
  if (cached) return cached;
  const out = { names: new Set<string>(), patterns: new Set<string>() };
  if (isObject(schema)) declaredCache.set(schema, out);
  const seen = new Set<unknown>();
  const visit = (s: unknown) => {
    if (!isObject(s) || seen.has(s)) return;
    seen.add(s);
    if (isObject(s.properties)) Object.keys(s.properties).forEach((k) => out.names.add(k));
    if (isObject(s.patternProperties)) Object.keys(s.patternProperties).forEach((k) => out.patterns.add(k));
    if (typeof s.$ref === 'string' && s.$ref.startsWith('#/')) visit(getAtPointer(root, s.$ref.slice(1)));
    for (const kw of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[kw])) s[kw].forEach(visit);
    for (const kw of ['if', 'then', 'else']) visit(s[kw]);
    if (isObject(s.dependentSchemas)) Object.values(s.dependentSchemas).forEach(visit);
  };
  visit(schema);
  return out;
}

/** Patterns that `propertyNames` applies to keys, in words. */
const KEY_PATTERNS: Record<string, string> = {
  '^[a-zA-Z0-9._-]+$': "may only contain letters, digits, '.', '-' and '_'",
  // RFC 9110 token (3.2 `additionalOperations` methods).
  "^[0-9A-Za-z!#$%&'*+.^_`|~-]+$": "must be an HTTP method name (a token: letters, digits and !#$%&'*+.^_`|~- only)",
};

/** What the official schemas' key patterns mean, in words. */
const NAME_PATTERNS: Record<string, string> = {
  '^/': 'a path starting with /',
  '^\\/': 'a path starting with /',
  '^([0-9]{3})$|^(default)$': "a three-digit status code or 'default'",
  '^[1-5](?:\\d{2}|XX)$': 'a status code from 100 to 599 or a range such as 4XX',
  '^[1-5][0-9X]{2}$': 'a status code from 100 to 599 or a range such as 4XX',
};

function unknownPropertyMessage(name: string, known: { names: Set<string>; patterns: Set<string> }): string {
  const names = new Set(known.names);
  const free: string[] = [];
  for (const pattern of known.patterns) {
    if (pattern === '^x-') continue;
    // `^(get|put|post)$` lists names.
    const alternatives = /^\^\(([\w-]+(?:\|[\w-]+)*)\)\$$/.exec(pattern);
    if (alternatives) alternatives[1].split('|').forEach((n) => names.add(n));
    else free.push(pattern);
  }
  const guess = closest(name, [...names]);
  if (free.length > 0 && !guess) {
    const rules = [...[...names].map((n) => `'${n}'`), ...free.map((r) => NAME_PATTERNS[r] ?? `a name matching ${r}`)];
    return `property '${name}' is not allowed here: keys must be ${rules.join(' or ')} (or start with x-)`;
  }
  return `unknown property '${name}'${guess ? ` (did you mean '${guess}'?)` : name.startsWith('x-') ? '' : ' (extensions must start with x-)'}`;
}

function enumMessage(values: unknown[], found: unknown): string {
  const list = values.map(show);
  const head = values.length === 1 ? `must be ${list[0]}` : `must be one of ${list.join(', ')}`;
  if ((typeof found === 'number' || typeof found === 'boolean') && values.every((v) => typeof v === 'string')) {
    return `${head} (${QUOTE_IT.replace('number', typeof found)})`;
  }
  const guess = typeof found === 'string' ? closest(found, values.filter((v): v is string => typeof v === 'string')) : undefined;
  return `${head} (found ${show(found)}${guess ? `; did you mean ${show(guess)}?` : ''})`;
}

function typeList(type: unknown): string {
  const types = (Array.isArray(type) ? type : String(type).split(',')).map(String);
  const article = (t: string) => (t === 'null' ? 'null' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  return types.map(article).join(' or ');
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'number' ? (Number.isInteger(v) ? 'the integer' : 'the number') : typeof v === 'boolean' ? 'the boolean' : 'the string'} ${show(v)}`;
}
