/**
 * A read-only view of an OpenAPI 2.0 / 3.x document for Headroom's rule functions: it walks
 * operations and responses, follows `$ref`s on demand (also into other files), and reports
 * logical JSON paths from the root, which Spectral maps to the file and node where they lie.
 */
import type { RulesetFunctionContext } from '@stoplight/spectral-core';
import { getAtPointer, refTarget } from './refs';

export type JsonPath = (string | number)[];
type Obj = Record<string, any>;

/** The Path Item fields that hold an operation, in the specification's order (`query`: OpenAPI 3.2 on). */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query'] as const;

/**
 * Methods that do not change state (RFC 9110 §9.2.1: GET, HEAD, OPTIONS, TRACE; QUERY,
 * draft-ietf-httpbis-safe-method-w-body). Every other method, `additionalOperations` ones
 * included (PURGE, COPY, LOCK, ...), is taken to be a write.
 */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'QUERY']);

export interface Located<T = Obj> {
  value: T;
  /** Logical path from the root (through `$ref`s). */
  path: JsonPath;
  /** File the value lives in (for resolving relative `$ref`s inside it). */
  file: string;
  /** A `$ref` that leads nowhere (reported by the engine as rule `ref`): present, but its content is unknown. */
  broken?: boolean;
}

export interface Operation extends Located {
  /**
   * The Path Item field (`get`, ..., `query`), or for an OpenAPI 3.2 `additionalOperations` entry
   * its key as written (`PURGE`): HTTP methods are case-sensitive and those keys are the method.
   */
  method: string;
  /** Listed under `additionalOperations` (OpenAPI 3.2). */
  additional?: boolean;
  pathKey: string;
  pathItem: Located;
}

export function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const views = new WeakMap<object, Spec>();

/** The view for this run's document (shared by every rule of the run). */
export function specOf(ctx: RulesetFunctionContext): Spec {
  const key = ctx.documentInventory as unknown as object;
  let view = views.get(key);
  if (view === undefined) {
    view = new Spec(ctx);
    views.set(key, view);
  }
  return view;
}

export class Spec {
  readonly root: Obj;
  readonly rootFile: string;
  readonly isOas2: boolean;
  /** OpenAPI 3.2 or later: `query` and `additionalOperations` hold operations. */
  readonly isOas32: boolean;
  private opsCache?: Operation[];
  private nodesCache?: { op: Operation; others: Operation[] }[];

  constructor(private readonly ctx: RulesetFunctionContext) {
    this.root = ((ctx.documentInventory as any).resolved ?? ctx.document.data) as Obj;
    this.rootFile = ctx.document.source ?? '';
    this.isOas2 = isObject(this.root) && this.root.swagger !== undefined;
    this.isOas32 = isObject(this.root) && typeof this.root.openapi === 'string' && /^3\.([2-9]|\d\d)(\.|$)/.test(this.root.openapi);
  }

  private dataOf(file: string): unknown {
    if (file === this.rootFile) return this.root;
    const docs = (this.ctx.documentInventory as any).referencedDocuments as Record<string, { data: unknown }> | undefined;
    return docs?.[file]?.data;
  }

  /** Follow `$ref` chains (cycle-safe). The logical path stays where the value was reached. */
  deref<T = Obj>(value: unknown, path: JsonPath, file: string): Located<T> | undefined {
    let current: unknown = value;
    let currentFile = file;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
      if (hops > 32) return undefined;
      const target = refTarget(current.$ref, currentFile);
      const data = this.dataOf(target.file);
      if (data === undefined) return undefined;
      current = getAtPointer(data, target.pointer);
      currentFile = target.file;
    }
    if (current === undefined) return undefined;
    return { value: current as T, path, file: currentFile };
  }

  /** Child `key` of a located object, dereferenced. */
  child<T = Obj>(parent: Located, key: string | number): Located<T> | undefined {
    if (!isObject(parent.value) && !Array.isArray(parent.value)) return undefined;
    const v = (parent.value as any)[key];
    if (v === undefined) return undefined;
    return this.deref<T>(v, [...parent.path, key], parent.file);
  }

  /**
   * Every operation under `paths` (path items may be `$ref`s), in each path item the fixed fields
   * first, then (OpenAPI 3.2) `query` and the `additionalOperations`. Webhooks are not the API's
   * own endpoints and are skipped.
   */
  operations(): Operation[] {
    if (this.opsCache) return this.opsCache;
    const ops: Operation[] = [];
    const paths = isObject(this.root) ? this.deref(this.root.paths, ['paths'], this.rootFile) : undefined;
    if (paths && isObject(paths.value)) {
      for (const pathKey of Object.keys(paths.value)) {
        if (!pathKey.startsWith('/')) continue;
        const item = this.child(paths, pathKey);
        if (!item || !isObject(item.value)) continue;
        ops.push(...this.operationsIn(item, pathKey));
      }
    }
    this.opsCache = ops;
    return ops;
  }

  /**
   * Each operation node once, with the operations of the other paths that `$ref` the same path
   * item (`/a` and `/b` both `$ref: '#/components/pathItems/Shared'`): a rule reporting per
   * operation reports a shared one once, naming the others (`sharedOpLabel`).
   */
  operationNodes(): { op: Operation; others: Operation[] }[] {
    if (this.nodesCache) return this.nodesCache;
    const byNode = new Map<object, { op: Operation; others: Operation[] }>();
    for (const op of this.operations()) {
      const node = byNode.get(op.value);
      if (node === undefined) byNode.set(op.value, { op, others: [] });
      else node.others.push(op);
    }
    return (this.nodesCache = [...byNode.values()]);
  }

  /**
   * The operations of one path item (under `paths`, or a webhook's): the fixed fields in the
   * specification's order, then (OpenAPI 3.2) `query` and each `additionalOperations` method.
   */
  operationsIn(item: Located, pathKey: string): Operation[] {
    const ops: Operation[] = [];
    if (!isObject(item.value)) return ops;
    for (const method of HTTP_METHODS) {
      if (method === 'query' && !this.isOas32) continue;
      const op = this.child(item, method);
      if (op && isObject(op.value)) ops.push({ ...op, method, pathKey, pathItem: item });
    }
    const more = this.isOas32 ? this.child(item, 'additionalOperations') : undefined;
    if (more && isObject(more.value)) {
      for (const method of Object.keys(more.value)) {
        // A fixed method written here is invalid (the validate rule says so), and its field wins.
        if ((HTTP_METHODS as readonly string[]).includes(method.toLowerCase())) continue;
        const op = this.child(more, method);
        if (op && isObject(op.value)) ops.push({ ...op, method, additional: true, pathKey, pathItem: item });
      }
    }
    return ops;
  }

  /** Responses of an operation as [status code, located response]. */
  responses(op: Located): [string, Located][] {
    const responses = this.child(op, 'responses');
    if (!responses || !isObject(responses.value)) return [];
    const out: [string, Located][] = [];
    for (const code of Object.keys(responses.value)) {
      if (code.startsWith('x-')) continue;
      const r = this.child(responses, code);
      if (r && isObject(r.value)) out.push([code, r]);
      else if (r === undefined) out.push([code, { value: {}, path: [...responses.path, code], file: responses.file, broken: true }]);
    }
    return out;
  }

  response(op: Located, code: string): Located | undefined {
    return this.responses(op).find(([c]) => c === code)?.[1];
  }

  /** Response headers by lower-cased name. */
  headers(response: Located): Map<string, Located> {
    const out = new Map<string, Located>();
    const headers = this.child(response, 'headers');
    if (!headers || !isObject(headers.value)) return out;
    for (const name of Object.keys(headers.value)) {
      const h = this.child(headers, name);
      out.set(name.toLowerCase(), h ?? { value: {}, path: [...headers.path, name], file: headers.file });
    }
    return out;
  }

  /** Effective parameters of an operation (path-item level overridden by operation level). */
  parameters(op: Operation): Located[] {
    const byKey = new Map<string, Located>();
    for (const owner of [op.pathItem, op as Located]) {
      const list = this.child<unknown[]>(owner, 'parameters');
      if (!list || !Array.isArray(list.value)) continue;
      list.value.forEach((_, i) => {
        const p = this.child(list as Located, i);
        if (p && isObject(p.value) && typeof p.value.name === 'string') {
          byKey.set(`${p.value.in}:${p.value.name}`, p);
        }
      });
    }
    // OpenAPI 3.2 `in: querystring` describes the whole query string by a schema: its properties
    // are the query parameters (`limit`, `cursor`, `access_token`), located at their schemas.
    // (Entries added while iterating are visited too; they are `in: query`, and skipped.)
    for (const p of byKey.values()) {
      if (p.value.in !== 'querystring') continue;
      for (const q of this.querystringParameters(p)) if (!byKey.has(`query:${q.value.name}`)) byKey.set(`query:${q.value.name}`, q);
    }
    return [...byKey.values()];
  }

  /** The query parameters an OpenAPI 3.2 `in: querystring` parameter's schema declares, as parameters `in: query`. */
  private querystringParameters(p: Located): Located[] {
    const content = this.child(p, 'content');
    if (!content || !isObject(content.value)) return [];
    const types = Object.keys(content.value);
    const chosen = types.find((t) => /x-www-form-urlencoded/i.test(t)) ?? types[0];
    const media = chosen === undefined ? undefined : this.child(content, chosen);
    const schema = media && this.child(media, 'schema');
    const props = schema && this.child(schema, 'properties');
    if (!schema || !props || !isObject(props.value)) return [];
    const required = Array.isArray(schema.value.required) ? schema.value.required : [];
    const out: Located[] = [];
    for (const name of Object.keys(props.value)) {
      const prop = this.child(props, name);
      if (!prop || !isObject(prop.value)) continue;
      const param: Obj = { name, in: 'query', schema: prop.value, ...(required.includes(name) ? { required: true } : {}) };
      if (typeof prop.value.description === 'string') param.description = prop.value.description;
      out.push({ value: param, path: prop.path, file: prop.file });
    }
    return out;
  }

  /** Security schemes by name (OAS 3 `components.securitySchemes`, OAS 2 `securityDefinitions`). */
  securitySchemes(): Map<string, Located> {
    const out = new Map<string, Located>();
    const container = this.isOas2
      ? this.deref(this.root.securityDefinitions, ['securityDefinitions'], this.rootFile)
      : this.child({ value: this.root, path: [], file: this.rootFile }, 'components') &&
        this.child(this.child({ value: this.root, path: [], file: this.rootFile }, 'components')!, 'securitySchemes');
    if (!container || !isObject(container.value)) return out;
    for (const name of Object.keys(container.value)) {
      const s = this.child(container, name);
      if (s && isObject(s.value)) out.set(name, s);
    }
    return out;
  }

  /**
   * The security requirements in force for an operation and where they come from: the operation's
   * own `security` (even `[]`), else the root's.
   */
  effectiveSecurity(op: Located): { requirements: Obj[]; source: 'operation' | 'root' | 'none'; path: JsonPath } {
    if (Array.isArray(op.value.security)) {
      return { requirements: op.value.security.filter(isObject), source: 'operation', path: [...op.path, 'security'] };
    }
    if (isObject(this.root) && Array.isArray(this.root.security)) {
      return { requirements: this.root.security.filter(isObject), source: 'root', path: ['security'] };
    }
    return { requirements: [], source: 'none', path: op.path };
  }

  /** Is the operation protected by at least one non-empty requirement? (`{}` in the list = optional auth.) */
  isSecured(op: Located): boolean {
    const { requirements } = this.effectiveSecurity(op);
    return requirements.length > 0 && requirements.every((r) => Object.keys(r).length > 0);
  }

  /**
   * The schema of a response body: OAS 2 `schema`; OAS 3 the JSON media type's schema (or the
   * first media type's).
   */
  responseSchema(response: Located): Located | undefined {
    if (this.isOas2) return this.child(response, 'schema');
    const content = this.child(response, 'content');
    if (!content || !isObject(content.value)) return undefined;
    const types = Object.keys(content.value);
    const chosen = types.find((t) => /json/i.test(t)) ?? types[0];
    if (chosen === undefined) return undefined;
    const media = this.child(content, chosen);
    return media ? this.child(media, 'schema') : undefined;
  }
}

/** The HTTP method an operation answers, as sent on the wire: `GET`, `QUERY`, `PURGE`. */
export function httpMethod(op: { method: string; additional?: boolean }): string {
  return op.additional ? op.method : op.method.toUpperCase();
}

/** Does the operation's method change state? Every method but GET, HEAD, OPTIONS, TRACE and QUERY. */
export function isWriteMethod(op: { method: string; additional?: boolean }): boolean {
  return !SAFE_METHODS.has(httpMethod(op));
}

/** `GET /pets/{id}`: how messages name an operation. */
export function opLabel(op: { method: string; pathKey: string; additional?: boolean }): string {
  return `${httpMethod(op)} ${op.pathKey}`;
}

/** `GET /a`, or `GET /a (and 1 more path sharing its path item)` for an operation node several paths reach. */
export function sharedOpLabel(node: { op: Operation; others: readonly Operation[] }): string {
  const n = node.others.length;
  return n === 0 ? opLabel(node.op) : `${opLabel(node.op)} (and ${n} more path${n === 1 ? '' : 's'} sharing its path item)`;
}

export function lower(s: string): string {
  return s.toLowerCase();
}

export function isSuccess(code: string): boolean {
  return /^2(\d\d|XX)$/i.test(code);
}

/**
 * Where a finding about the whole document goes (a rule that reports once, at the document, when
 * its fix is one root-level key): the `paths` key, else the version key (`openapi` / `swagger`).
 */
export function documentFindingPath(spec: Spec): JsonPath {
  const root = isObject(spec.root) ? spec.root : {};
  if (root.paths !== undefined) return ['paths'];
  if (root.openapi !== undefined) return ['openapi'];
  if (root.swagger !== undefined) return ['swagger'];
  return [];
}
