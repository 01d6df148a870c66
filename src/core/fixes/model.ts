/**
 * What fixes know about the document they edit: the parsed files (one parse each, shared by every
 * fix computed on them), the rules' own read-only view of the spec (src/openapi/spec.ts,
 * so a fix and the rule it answers agree on what an operation or a response is), and where a node
 * physically lives (file and path) once `$ref`s are followed.
 */
import { isObject, Spec, type Operation } from '../../openapi/spec';
import { detectFormat } from '../../openapi/document';
import { allowsFile, cliPolicy, type RefPolicy } from '../../openapi/policy';
import { getAtPointer, isRemoteRef, pointerPath, refTarget } from '../../openapi/refs';
import { JsonBackend } from './jsonDoc';
import type { Backend, JsonPath } from './types';
import { YamlBackend } from './yamlDoc';

/** A node where it lives: its file, its path inside that file, its value. */
export interface Place {
  file: string;
  path: JsonPath;
  value: unknown;
}

export interface FixWorkspaceOptions {
  /** The document that was linted (shared components go into it). */
  rootFile: string;
  /** Text of a file (editor buffers first), or why it cannot be read. */
  read: (file: string) => string | Error;
  /**
   * Which files the spec may pull in (the lint's policy): a `$ref` to any other file is neither
   * read nor edited by a fix. Default: the CLI's default for the root (src/openapi/policy.ts).
   */
  policy?: RefPolicy;
  /** The `functionOptions` a rule runs with in the ruleset in force (e.g. ratelimit-headers' style). */
  ruleOptions?: (rule: string) => Record<string, unknown> | undefined;
  /** Parsed files kept between workspaces (a parse is reused while the file's text is the same). */
  cache?: ParseCache;
}

/** Per file: the text last parsed and its parse. */
export type ParseCache = Map<string, { text: string; backend: Backend | undefined }>;

/** Parse a file's text for fixes; undefined when it does not parse. */
export function parseForFixes(file: string, text: string): Backend | undefined {
  const b = detectFormat(file, text) === 'json' ? new JsonBackend(text) : new YamlBackend(text);
  return b.ok ? b : undefined;
}

/** Parsed files and the spec view for one root document; build once, compute many fixes on it. */
export class FixWorkspace {
  readonly rootFile: string;
  private readonly backends = new Map<string, Backend | undefined>();
  private modelCache?: FixModel;

  private readonly policy: RefPolicy;

  constructor(readonly options: FixWorkspaceOptions) {
    this.rootFile = options.rootFile;
    this.policy = options.policy ?? cliPolicy(options.rootFile);
  }

  backend(file: string): Backend | undefined {
    if (!this.backends.has(file)) {
      const allowed = file === this.rootFile || (!isRemoteRef(file) && allowsFile(this.policy, file));
      const text = allowed ? this.options.read(file) : undefined;
      let backend: Backend | undefined;
      if (typeof text === 'string') {
        const cached = this.options.cache?.get(file);
        backend = cached && cached.text === text ? cached.backend : parseForFixes(file, text);
        this.options.cache?.set(file, { text, backend });
      }
      this.backends.set(file, backend);
    }
    return this.backends.get(file);
  }

  dataOf(file: string): unknown {
    return this.backend(file)?.data;
  }

  get model(): FixModel {
    this.modelCache ??= new FixModel(this);
    return this.modelCache;
  }

  ruleOptions(rule: string): Record<string, unknown> {
    return this.options.ruleOptions?.(rule) ?? {};
  }
}

export class FixModel {
  readonly spec: Spec;
  readonly rootFile: string;
  readonly isOas2: boolean;
  private opByNode?: Map<object, Operation>;
  private usesOfResponses?: Map<object, { op: Operation; code: string }[]>;

  constructor(private readonly ws: FixWorkspace) {
    this.rootFile = ws.rootFile;
    const root = ws.dataOf(ws.rootFile);
    // The rules' spec view reads referenced files through the inventory: serve them from the workspace.
    const referencedDocuments = new Proxy({}, { get: (_, file) => (typeof file === 'string' ? { data: ws.dataOf(file) } : undefined) });
    this.spec = new Spec({ document: { data: root, source: ws.rootFile }, documentInventory: { resolved: root, referencedDocuments } } as any);
    this.isOas2 = this.spec.isOas2;
  }

  /** The `$ref` target of a place holding `{$ref}` (chains followed), or the place itself. */
  deref(place: Place): Place | undefined {
    let cur = place;
    for (let hops = 0; isObject(cur.value) && typeof cur.value.$ref === 'string'; hops++) {
      if (hops > 32) return undefined;
      const target = refTarget(cur.value.$ref, cur.file);
      const data = this.ws.dataOf(target.file);
      const value = data === undefined ? undefined : getAtPointer(data, target.pointer);
      if (value === undefined) return undefined;
      cur = { file: target.file, path: pathOf(data, target.pointer), value };
    }
    return cur;
  }

  /** Where the node at `path` of `file` lives, following `$ref`s on the way (and at the end unless `followLast` is false). */
  physical(file: string, path: JsonPath, followLast = true): Place | undefined {
    let cur: Place | undefined = { file, path: [], value: this.ws.dataOf(file) };
    for (const seg of path) {
      cur = this.deref(cur!);
      if (!cur) return undefined;
      const v = cur.value as any;
      if (v === null || typeof v !== 'object') return undefined;
      const key = Array.isArray(v) ? Number(seg) : seg;
      if (v[key] === undefined) return undefined;
      cur = { file: cur.file, path: [...cur.path, key], value: v[key] };
    }
    return followLast ? this.deref(cur!) : cur;
  }

  /** Where a node the spec view reached (by its logical path from the root) lives. */
  placeOf(logicalPath: JsonPath): Place | undefined {
    return this.physical(this.rootFile, logicalPath);
  }

  /** Every (operation, status code) that reaches a response object, found in one pass. */
  responseUses(response: unknown): { op: Operation; code: string }[] {
    if (!this.usesOfResponses) {
      this.usesOfResponses = new Map();
      for (const op of this.spec.operations()) {
        for (const [code, r] of this.spec.responses(op)) {
          const list = this.usesOfResponses.get(r.value) ?? [];
          list.push({ op, code });
          this.usesOfResponses.set(r.value, list);
        }
      }
    }
    return (isObject(response) && this.usesOfResponses.get(response)) || [];
  }

  /** The operation a finding's path runs through, with the operation's place. */
  operationOn(file: string, path: JsonPath): { op: Operation; place: Place } | undefined {
    if (!this.opByNode) {
      this.opByNode = new Map();
      for (const op of this.spec.operations()) if (!this.opByNode.has(op.value)) this.opByNode.set(op.value, op);
    }
    let node: unknown = this.ws.dataOf(file);
    for (let i = 0; i < path.length; i++) {
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as any)[path[i]];
      const op = isObject(node) ? this.opByNode.get(node) : undefined;
      if (op) return { op, place: { file, path: path.slice(0, i + 1), value: node } };
    }
    return undefined;
  }
}

/** A JSON pointer as path segments (array indices as numbers). */
function pathOf(data: unknown, pointer: string): JsonPath {
  const segments = pointerPath(data, pointer) ?? [];
  const out: JsonPath = [];
  let node: any = data;
  for (const seg of segments) {
    const key = Array.isArray(node) ? Number(seg) : seg;
    out.push(key);
    node = node?.[key];
  }
  return out;
}
