/**
 * `oneOf` / `anyOf` rewritten into equivalent `if` / `then` chains, so Ajv reports the one branch
 * that applies instead of every branch's complaints.
 */
import { getAtPointer } from '../../../../src/openapi/refs';
import { isObject } from '../../../../src/openapi/spec';
import type { Obj } from './types';
import { quoteList } from '../../../../src/openapi/text';

/**
 * Replace each `oneOf`/`anyOf` that can be decided up front by an `if`/`then`/`else` chain with
 * the same meaning, so a failure reports the errors of the branch that applies:
 * - a Reference branch: taken when the value has `$ref`;
 * - branches told apart by an enum on a common key (`in`, `type`, `flow`): taken by that key;
 * - one branch with an enum on a key the others leave open: taken when the key has that value;
 * - branches that each require one different key (`schema` xor `content`): taken by which is present;
 * - branches of different JSON types: taken by the value's type.
 * `original` is an untouched copy used to look definitions up.
 */
export function rewriteCombinators(schema: Obj, original: Obj): void {
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    const obj = node as Obj;
    for (const kw of ['oneOf', 'anyOf'] as const) {
      if (!Array.isArray(obj[kw]) || obj['x-decided']) continue;
      const decided = decide(kw, obj[kw], original, new Set());
      if (decided === undefined) continue;
      delete obj[kw];
      obj.allOf = [...(Array.isArray(obj.allOf) ? obj.allOf : []), decided];
    }
    Object.values(obj).forEach(walk);
  };
  walk(schema);
}

function lookup(schema: unknown, original: Obj): Obj | undefined {
  let current = schema;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#/') && hops < 16; hops++) {
    current = getAtPointer(original, current.$ref.slice(1));
  }
  return isObject(current) ? current : undefined;
}

const REFERENCE_DEFS = new Set(['#/definitions/jsonReference', '#/definitions/Reference', '#/$defs/reference']);

function decide(kw: 'oneOf' | 'anyOf', branches: unknown[], original: Obj, usedKeys: Set<string>): Obj | undefined {
  if (branches.length < 2) return undefined;
  // Combinators built here are final: the walk must not decide them again.
  const keep = (list: unknown[]): Obj => ({ [kw]: list, 'x-decided': true });
  const rest = (list: unknown[]): Obj => (list.length === 1 ? (list[0] as Obj) : (decide(kw, list, original, usedKeys) ?? keep(list)));

  // A Reference branch.
  const refIndex = branches.findIndex((b) => isObject(b) && REFERENCE_DEFS.has(b.$ref));
  if (refIndex !== -1) {
    return {
      if: { type: 'object', required: ['$ref'] },
      then: branches[refIndex],
      else: rest(branches.filter((_, i) => i !== refIndex)),
    };
  }

  const resolved = branches.map((b) => lookup(b, original));
  if (resolved.some((b) => b === undefined)) return undefined;
  const defs = resolved as Obj[];

  // Branches that each require one different key.
  const keys = defs.map((d) => (Array.isArray(d.required) && d.required.length === 1 ? String(d.required[0]) : undefined));
  if (keys.every((k) => k !== undefined) && new Set(keys).size === keys.length) {
    const names = keys as string[];
    const list = quoteList(names, 'or');
    const pure = defs.every((d) => Object.keys(d).every((k) => k === 'required' || k === 'description'));
    if (kw === 'oneOf') {
      let chain: Obj = { not: {}, 'x-messages': { not: names.length === 2 ? `must have either ${list}` : `must have one of ${list}` } };
      for (let i = names.length - 1; i >= 0; i--) {
        const others = names.filter((_, j) => j !== i);
        const exclusive = {
          not: { anyOf: others.map((k) => ({ required: [k] })), 'x-decided': true },
          'x-messages': { not: names.length === 2 ? `must not have both ${quoteList(names, 'and')}` : `must have only one of ${list}` },
        };
        chain = { if: { required: [names[i]] }, then: { allOf: [branches[i], exclusive] }, else: chain };
      }
      return chain;
    }
    // Ajv drops the errors inside `if`: only the message is left.
    if (pure) return { if: keep(branches), else: { not: {}, 'x-messages': { not: `must have at least one of ${list}` } } };
  }

  // Branches told apart by an enum on a common key.
  const candidates = new Set<string>();
  for (const d of defs) for (const k of Object.keys(isObject(d.properties) ? d.properties : {})) candidates.add(k);
  const open = [...candidates].filter((k) => !usedKeys.has(k));
  for (const key of open) {
    const sets = defs.map((d) => enumOf(d, key, original));
    if (sets.some((s) => s === undefined)) continue;
    const groups: { values: unknown[]; members: number[] }[] = [];
    let disjoint = true;
    sets.forEach((s, i) => {
      const values = [...s!];
      const same = groups.find((g) => sameSet(g.values, values));
      if (same) same.members.push(i);
      else if (groups.some((g) => g.values.some((v) => values.includes(v)))) disjoint = false;
      else groups.push({ values, members: [i] });
    });
    if (!disjoint || groups.length < 2) continue;
    const all = groups.flatMap((g) => g.values);
    let chain: Obj = { required: [key], properties: { [key]: { enum: all } } };
    const used = new Set([...usedKeys, key]);
    for (let g = groups.length - 1; g >= 0; g--) {
      const members = groups[g].members.map((i) => branches[i]);
      const then = members.length === 1 ? members[0] : (decide(kw, members, original, used) ?? keep(members));
      chain = { if: { required: [key], properties: { [key]: { enum: groups[g].values } } }, then, else: chain };
    }
    return chain;
  }

  // One branch with an enum on a key whose values every other branch rules out.
  for (const key of open) {
    const sets = defs.map((d) => enumOf(d, key, original));
    const withEnum = sets.flatMap((s, i) => (s === undefined ? [] : [i]));
    if (withEnum.length !== 1) continue;
    const i = withEnum[0];
    const values = [...sets[i]!];
    if (!defs.every((d, j) => j === i || rulesOut(d, key, values))) continue;
    return {
      if: { required: [key], properties: { [key]: { enum: values } } },
      then: branches[i],
      else: rest(branches.filter((_, j) => j !== i)),
    };
  }

  // Branches of different JSON types.
  const types = defs.map((d) => (typeof d.type === 'string' ? d.type : undefined));
  if (types.every((t) => t !== undefined) && new Set(types).size === types.length) {
    let chain: Obj = { type: types };
    for (let i = types.length - 1; i >= 0; i--) chain = { if: { type: types[i] }, then: branches[i], else: chain };
    return chain;
  }
  return undefined;
}

const JSON_TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

/** Does a schema reject every one of `values` for `key`? (`not: {enum}`, or a JSON Schema `type` facing a non-JSON type name such as `file`.) */
function rulesOut(schema: Obj, key: string, values: unknown[]): boolean {
  const prop = isObject(schema.properties) ? schema.properties[key] : undefined;
  if (!isObject(prop)) return false;
  if (isObject(prop.not) && Array.isArray(prop.not.enum)) return values.every((v) => prop.not.enum.includes(v));
  if (key === 'type' && typeof prop.$ref === 'string' && /json-schema\.org\/draft-04\/schema#\/properties\/type$/.test(prop.$ref)) {
    return values.every((v) => typeof v === 'string' && !JSON_TYPES.has(v));
  }
  return false;
}

/** Values a schema allows for `key` at the same node (through `$ref`s and nested combinators). */
function enumOf(schema: Obj, key: string, original: Obj, depth = 0): Set<unknown> | undefined {
  if (depth > 8) return undefined;
  const prop = isObject(schema.properties) ? lookup(schema.properties[key], original) : undefined;
  if (prop && Array.isArray(prop.enum)) return new Set(prop.enum);
  if (prop && 'const' in prop) return new Set([prop.const]);
  for (const kw of ['oneOf', 'anyOf']) {
    if (!Array.isArray(schema[kw])) continue;
    const union = new Set<unknown>();
    for (const b of schema[kw]) {
      const d = lookup(b, original);
      const s = d && enumOf(d, key, original, depth + 1);
      if (!s) return undefined;
      s.forEach((v) => union.add(v));
    }
    return union;
  }
  return undefined;
}

function sameSet(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((v) => b.includes(v));
}
