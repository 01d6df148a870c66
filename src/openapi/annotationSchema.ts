/**
 * What schemas/x-gateway.schema.json says about a node inside an `x-gateway-*` annotation: the
 * properties an object there may have, the values it may take (enums, constants, booleans), and
 * its description. The editor's completion and hover read it; validation is in annotations.ts.
 */
import schema from '../../schemas/x-gateway.schema.json';
import { ANNOTATIONS } from './annotations';
import type { JsonPath } from './spec';

type SchemaNode = Record<string, any>;

export interface SchemaInfo {
  /** The description of the node (from the schema, `$ref`s followed). */
  description?: string;
  /** What the value must be, as the validation messages say it ("a positive integer"). */
  expected?: string;
}

export interface PropertyInfo extends SchemaInfo {
  name: string;
  required: boolean;
}

function resolve(node: unknown): SchemaNode | undefined {
  let cur = node as SchemaNode | undefined;
  for (let hops = 0; cur && typeof cur.$ref === 'string' && hops < 16; hops++) {
    const name = cur.$ref.replace(/^#\/definitions\//, '');
    const target = (schema.definitions as Record<string, SchemaNode>)[name];
    // A `$ref` with siblings (a description beside it): the siblings describe, the target validates.
    cur = target ? { ...target, ...withoutRef(cur) } : undefined;
  }
  return cur;
}

function withoutRef(node: SchemaNode): SchemaNode {
  const { $ref: _, ...rest } = node;
  return rest;
}

/** The schema branches a value may match (`if`/`then`/`else`, `anyOf`, `oneOf` unfolded). */
function branches(node: SchemaNode | undefined): SchemaNode[] {
  const n = resolve(node);
  if (!n) return [];
  const out: SchemaNode[] = [n];
  for (const key of ['then', 'else']) if (n[key]) out.push(...branches(n[key]));
  for (const key of ['anyOf', 'oneOf']) if (Array.isArray(n[key])) for (const b of n[key]) out.push(...branches(b));
  return out;
}

/** The schema nodes that describe the node at `path` inside annotation `name` (none when unknown). */
function nodesAt(name: string, path: JsonPath): SchemaNode[] {
  if (!ANNOTATIONS.includes(name)) return [];
  let nodes = branches((schema.definitions as Record<string, SchemaNode>)[name]);
  for (const seg of path) {
    const next: SchemaNode[] = [];
    for (const n of nodes) {
      if (typeof seg === 'number' || /^\d+$/.test(String(seg))) {
        if (n.items) next.push(...branches(n.items));
      } else if (n.properties?.[seg]) next.push(...branches(n.properties[seg]));
    }
    nodes = next;
  }
  return nodes;
}

/** Description and expected value of the node at `path` inside annotation `name`. */
export function annotationSchemaInfo(name: string, path: JsonPath): SchemaInfo | undefined {
  const nodes = nodesAt(name, path);
  if (nodes.length === 0) return undefined;
  const description = nodes.map((n) => n.description).find((d) => typeof d === 'string');
  const expected = nodes.map((n) => n['x-expected']).find((d) => typeof d === 'string');
  return { ...(description ? { description } : {}), ...(expected ? { expected } : {}) };
}

/** The properties an object at `path` inside annotation `name` may have (required ones first). */
export function annotationProperties(name: string, path: JsonPath): PropertyInfo[] {
  const out = new Map<string, PropertyInfo>();
  for (const n of nodesAt(name, path)) {
    const required: string[] = Array.isArray(n.required) ? n.required : [];
    for (const key of Object.keys(n.properties ?? {})) {
      if (out.has(key)) continue;
      out.set(key, { name: key, required: required.includes(key), ...annotationSchemaInfo(name, [...path, key]) });
    }
  }
  return [...out.values()].sort((a, b) => Number(b.required) - Number(a.required));
}

/** The values the node at `path` inside annotation `name` may take, when the schema lists them. */
export function annotationValues(name: string, path: JsonPath): (string | number | boolean)[] {
  const out = new Set<string | number | boolean>();
  for (const n of nodesAt(name, path)) {
    if (Array.isArray(n.enum)) for (const v of n.enum) out.add(v);
    if (n.const !== undefined) out.add(n.const);
    if (n.type === 'boolean') {
      out.add(true);
      out.add(false);
    }
    // `key: header:<Name>` and the like: the fixed words of a pattern of alternatives.
    const words = typeof n.pattern === 'string' ? /^\^\(([\w|:-]+)\[/.exec(n.pattern) : null;
    if (words) for (const w of words[1].split('|')) out.add(w);
  }
  return [...out];
}

/** The annotations an object may carry, with their descriptions. */
export function annotationNames(): PropertyInfo[] {
  return ANNOTATIONS.map((name) => ({ name, required: false, ...annotationSchemaInfo(name, []) }));
}
