import { fileURLToPath } from 'node:url';
import { dirname, resolve as resolvePath } from 'node:path';
import { encodePointerUriFragment, extractSourceFromRef, isLocalRef, pointerToPath } from '@stoplight/json';
import { defuseAliases } from './document';
import { MAX_FILE_BYTES, type FileSource } from './files';
import { isArrayIndex, type DataEdit } from './incrementalJson';
import { allowsFile, outsideMessage, remoteMessage, type RefPolicy } from './policy';
import { spectralRefResolver } from './spectral';

/** A `$ref` that could not be followed: reported as rule `ref` at the `$ref` value. */
export interface RefProblem {
  file: string;
  /** JSON path of the `$ref` value inside `file`. */
  path: (string | number)[];
  message: string;
  severity: 'error' | 'warn' | 'info';
  /** outside: refused by the policy's roots; remote: not fetched; unreadable: missing or not loadable; dangling: no such node; bomb: defused content; ambiguous: an anchor declared more than once. */
  kind: 'outside' | 'remote' | 'unreadable' | 'dangling' | 'bomb' | 'ambiguous';
}

/** A referenced file that failed to parse: reported as rule `parse` in that file. */
export interface ParseProblem {
  file: string;
  message: string;
}

interface ResolveOpts {
  baseUri?: string;
  parseResolveResult?: (o: { targetAuthority: { href(): string }; result: unknown }) => Promise<{ result: unknown }>;
  /** The data is an earlier parse's with one scalar replaced or one key renamed (the editor's incremental parse). */
  edit?: DataEdit;
}

/** The resolution of a document whose `$ref`s all point into itself: all it depends on is its data. */
interface SelfContained {
  file: string;
  refMap: Record<string, string>;
  refProblems: readonly RefProblem[];
  /** The decoded pointer of every `$ref` of the document, once each (undefined: not a pointer); those on cycles too, which `refMap` leaves out. */
  targets: readonly (readonly string[] | undefined)[];
}

/**
 * Self-contained resolutions by the document data they were made from. An edit the editor
 * re-parsed as one scalar replaced by another (incrementalJson.ts), other than a `$ref`'s own
 * value, leaves every `$ref` where it was, saying what it said, and every pointer reaching what it
 * reached (a pointer goes through keys, and a scalar has none before or after): the resolution is
 * the last one's. A key renamed where it stands moves the `$ref`s under it and changes nothing
 * else, unless a pointer goes through either name (renamedResolution). Not kept for a document
 * with plain-name `$ref`s (`#pet`): those depend on values. Walking GitHub's 10,460
 * `$ref`s was a quarter of a keystroke's lint. Parsed data is never mutated, so it can key this.
 */
const selfContained = new WeakMap<object, SelfContained>();

function knownResolution(data: unknown, file: string, edit: DataEdit | undefined): SelfContained | undefined {
  if (!isWeakKey(data)) return undefined;
  const own = selfContained.get(data);
  if (own !== undefined) return own.file === file ? own : undefined;
  const last = edit && isWeakKey(edit.from) ? selfContained.get(edit.from) : undefined;
  if (last?.file !== file) return undefined;
  if (edit!.key !== undefined) return renamedResolution(last, edit!.path, edit!.key);
  return edit!.path[edit!.path.length - 1] !== '$ref' ? last : undefined;
}

/**
 * The resolution after the key `key.from` of the object at `at` was renamed `key.to` where it
 * stands: the `$ref`s under it are listed under the new name, in the same order; undefined
 * (resolve again) when a `$ref` pointer goes through either name (it dangles now, or resolves),
 * when the key is `$ref` itself, or when a name is an array index (such keys come first in an
 * object, which reorders the `$ref`s).
 */
function renamedResolution(last: SelfContained, at: readonly (string | number)[], key: { from: string; to: string }): SelfContained | undefined {
  if (key.from === '$ref' || key.to === '$ref' || isArrayIndex(key.from) || isArrayIndex(key.to)) return undefined;
  const depth = at.length;
  const under = (path: readonly (string | number)[]) => path.length > depth && at.every((s, i) => String(path[i]) === String(s));
  for (const target of last.targets) {
    if (target === undefined) return undefined;
    if (under(target) && (target[depth] === key.from || target[depth] === key.to)) return undefined;
  }
  const pointer = (name: string) => '#' + [...at, name].map((s) => '/' + encodedSegment(s)).join('');
  const from = pointer(key.from);
  const to = pointer(key.to);
  const refMap: Record<string, string> = {};
  for (const [where, ref] of Object.entries(last.refMap)) refMap[where === from || where.startsWith(`${from}/`) ? to + where.slice(from.length) : where] = ref;
  const refProblems = last.refProblems.map((p) => (under(p.path) && p.path[depth] === key.from ? { ...p, path: [...p.path.slice(0, depth), key.to, ...p.path.slice(depth + 1)] } : p));
  return { file: last.file, refMap, refProblems, targets: last.targets };
}

/** Problems of their own for each lint (a finding takes its problem's path). */
function copies(problems: readonly RefProblem[]): RefProblem[] {
  return problems.map((p) => ({ ...p, path: [...p.path] }));
}

/** Can `v` key a WeakMap (any object, arrays included; unlike spec.ts's `isObject`)? */
function isWeakKey(v: unknown): v is object {
  return v !== null && typeof v === 'object';
}

export function isRemoteRef(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}

/** `decodeURI`, or the text as written when it holds a malformed escape (`./a%zz.yaml`). */
function safeDecodeURI(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

/** Absolute location a `$ref` string points at, seen from `fromFile`. */
export function refTarget(ref: string, fromFile: string): { file: string; pointer: string } {
  const hash = ref.indexOf('#');
  const filePart = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  if (filePart === '') return { file: fromFile, pointer };
  if (isRemoteRef(filePart)) return { file: filePart, pointer };
  // In a fetched document every reference is a URL reference (RFC 3986 §5.2): `/etc/hostname` or
  // `./local.yaml` name a resource on its server, never a file on this machine.
  if (isRemoteRef(fromFile)) return { file: remoteTarget(filePart, fromFile), pointer };
  return { file: localPath(filePart, fromFile), pointer };
}

/** A reference resolved against the URL of the fetched document holding it; a `file:` URL stays one (and is refused as outside the root). */
function remoteTarget(filePart: string, base: string): string {
  try {
    return new URL(filePart, base).href;
  } catch {
    return filePart;
  }
}

/**
 * The file a `$ref`'s file part names, as the reader would open it: percent-escapes decoded, a
 * `file:` URL turned into its path, a relative path resolved from the referring file.
 */
export function localPath(filePart: string, fromFile: string): string {
  if (/^file:/i.test(filePart)) {
    try {
      return fileURLToPath(filePart);
    } catch {
      return resolvePath(dirname(fromFile), safeDecodeURI(filePart.replace(/^file:(\/\/[^/]*)?/i, '')));
    }
  }
  return resolvePath(dirname(fromFile), safeDecodeURI(filePart));
}

/** Value at a JSON pointer (`/a/b`, URI-encoded or not), or undefined. */
export function getAtPointer(data: unknown, pointer: string): unknown {
  // `#` is the whole document; `#/` is its member named "" (RFC 6901), like any other pointer.
  if (pointer === '') return data;
  // A plain name (`#pet`) is no JSON pointer: it names the schema whose `$anchor` it is (OAS 3.1, JSON Schema 2020-12).
  if (isPlainName(pointer)) return anchorsOf(data).get(safeDecodeURI(pointer))?.node;
  const segments = segmentsOf(pointer);
  if (segments === undefined) return undefined;
  let node: any = data;
  for (const seg of segments) {
    if (!hasMember(node, seg)) return undefined;
    node = node[seg];
  }
  return node;
}

/** A step of a walk down a document: a key, and the step that led to its parent (paths are built only where needed). */
interface Step<K> {
  parent: Step<K> | undefined;
  key: K;
}

/** The path a walk's step stands at, from the root. */
function stepPath<K>(step: Step<K> | undefined): K[] {
  const path: K[] = [];
  for (let s = step; s !== undefined; s = s.parent) path.push(s.key);
  return path.reverse();
}

/**
 * Where an anchor is declared: the object, its path, and the paths of later objects that declare
 * the same name in the same schema resource (under the same `$id`, or none) and differ from it
 * (a YAML alias repeats one object: that is no second declaration).
 */
interface Anchor {
  node: unknown;
  path: string[];
  /** The path of the nearest object with its own `$id` around it ('' for none below the root). */
  resource: string;
  others: string[][];
}

const anchorIndex = new WeakMap<object, Map<string, Anchor>>();

/**
 * The objects of a document by their `$anchor` / `$dynamicAnchor`, with where each lies (the first
 * of each name in document order, and where the name is declared again; not inside an `example` /
 * `examples` value, which is data, not schema, unless that is a property's name), built once per
 * document.
 */
function anchorsOf(data: unknown): Map<string, Anchor> {
  if (data === null || typeof data !== 'object') return new Map();
  let anchors = anchorIndex.get(data);
  if (anchors) return anchors;
  anchors = new Map();
  const seen = new Set<object>();
  const stack: { node: unknown; step: Step<string> | undefined; resource: string }[] = [{ node: data, step: undefined, resource: '' }];
  while (stack.length > 0) {
    const { node, step, resource: around } = stack.pop()!;
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    const record = node as Record<string, unknown>;
    const resource = !Array.isArray(node) && step !== undefined && typeof record.$id === 'string' ? stepPath(step).join('/') : around;
    if (!Array.isArray(node)) {
      for (const key of ['$anchor', '$dynamicAnchor']) {
        const name = record[key];
        if (typeof name !== 'string') continue;
        const first = anchors.get(name);
        if (first === undefined) anchors.set(name, { node, path: stepPath(step), resource, others: [] });
        else if (first.node !== node && first.resource === resource && !sameValue(first.node, node)) first.others.push(stepPath(step));
      }
    }
    // Children pushed in reverse, so the first in document order is taken first.
    const keys = Object.keys(node);
    for (let i = keys.length - 1; i >= 0; i--) {
      if (!Array.isArray(node) && (keys[i] === 'example' || keys[i] === 'examples') && step?.key !== 'properties') continue;
      stack.push({ node: record[keys[i]], step: { parent: step, key: keys[i] }, resource });
    }
  }
  anchorIndex.set(data, anchors);
  return anchors;
}

/** Are two parsed values the same JSON (a YAML alias repeats its anchor's value as a copy)? */
function sameValue(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || depth > 64) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1));
}

/** Is a `$ref` fragment a plain name (`pet` of `#pet`), which names an `$anchor`, rather than a JSON pointer? */
export function isPlainName(pointer: string): boolean {
  return pointer !== '' && !pointer.startsWith('/');
}

/**
 * Where a `$ref` fragment leads in `data`, as path segments: a JSON pointer's own segments, or for a
 * plain name the path of the object whose `$anchor` it is. Undefined: it leads nowhere.
 */
export function pointerPath(data: unknown, pointer: string): readonly string[] | undefined {
  if (isPlainName(pointer)) return anchorsOf(data).get(safeDecodeURI(pointer))?.path;
  return pointerSegments(pointer);
}

/**
 * Does a JSON pointer segment name a member of `node` (RFC 6901): an own key of an object, an
 * index of an array. Not what objects inherit (`constructor`, `toString`) or an array's `length`:
 * a `$ref` to `#/components/schemas/constructor` in a document without that schema dangles.
 */
function hasMember(node: unknown, seg: string): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return /^(0|[1-9]\d*)$/.test(seg) && Number(seg) < node.length;
  return Object.hasOwn(node, seg);
}

/**
 * `compute` with its results remembered: a large spec follows the same few thousand `$ref`s tens
 * of thousands of times per lint, and decoding them was a tenth of loading GitHub's. The memory
 * is dropped whole when it grows past its bound.
 */
function remembered<K, V>(compute: (key: K) => V, max = 50_000): (key: K) => V {
  const memory = new Map<K, V>();
  return (key) => {
    if (memory.has(key)) return memory.get(key) as V;
    const value = compute(key);
    if (memory.size >= max) memory.clear();
    memory.set(key, value);
    return value;
  };
}

/** The path a pointer leads to from its document's root, as `getAtPointer` follows it (`''`: the root); undefined: not a valid pointer. */
export function pointerSegments(pointer: string): readonly string[] | undefined {
  return pointer === '' ? [] : segmentsOf(pointer);
}

/** The decoded segments of a pointer; undefined: not a valid pointer. */
const segmentsOf = remembered((pointer: string): readonly string[] | undefined => {
  try {
    return pointerToPath(pointer.startsWith('#') ? pointer : `#${pointer}`) as string[];
  } catch {
    return undefined;
  }
});

/** A path segment as it stands in a refMap key (`~1` for `/`, percent-encoded). */
const encodedSegment = remembered((segment: string | number) => String(encodePointerUriFragment(segment)));

/**
 * Spectral resolver that does NOT inline `$ref`s. It loads every file the root references
 * (relative paths, through `FileSource` so unsaved buffers count), records each file's refMap so
 * Spectral can map a finding's path through `$ref`s into the file where the node lives, and
 * collects dangling refs. Rules follow `$ref`s themselves, on demand.
 *
 * Measured on GitHub's 13 MB spec: Spectral's default resolver costs 1.8–2.3 s per run; this one
 * costs a walk over the data.
 */
export class LeanResolver {
  /** Spectral keys its referenced-document cache by this object. */
  readonly uriCache = new Map<string, unknown>();
  refProblems: RefProblem[] = [];
  parseProblems: ParseProblem[] = [];
  /** Files the last resolve loaded besides the root. */
  dependencies: string[] = [];
  /** Text of each file loaded besides the root (to locate problems found in them). */
  readonly texts = new Map<string, string>();
  /** Parsed data of each file loaded besides the root. */
  readonly data = new Map<string, unknown>();

  constructor(
    private readonly files: FileSource,
    /** Which files and URLs may be read (src/openapi/policy.ts). */
    private readonly policy: RefPolicy,
  ) {}

  async resolve(data: unknown, opts: ResolveOpts) {
    const root = opts.baseUri ?? '';
    this.refProblems = [];
    this.parseProblems = [];
    this.dependencies = [];
    const known = knownResolution(data, root, opts.edit);
    if (known !== undefined) {
      selfContained.set(data as object, known);
      this.refProblems = copies(known.refProblems);
      const graph = { getNodeData: (source: string) => ({ refMap: source === root ? known.refMap : {} }) };
      return { result: data, graph, errors: [], refMap: known.refMap };
    }
    let inItself = true;
    const refMaps = new Map<string, Record<string, string>>();
    const loaded = new Map<string, unknown>([[root, data]]);
    const pending: { file: string; data: unknown }[] = [{ file: root, data }];
    const checks: { file: string; path: (string | number)[]; target: { file: string; pointer: string }; ref: string }[] = [];
    /** Why a file could not be read, as its first `$ref` was told. */
    const loadErrors = new Map<string, string>();
    /** Files of blanks and comments only: read once, each `$ref` to one is told it is empty. */
    const blank = new Set<string>();

    while (pending.length > 0) {
      const { file, data: fileData } = pending.pop()!;
      const refMap: Record<string, string> = {};
      refMaps.set(file, refMap);
      for (const { ref, path } of collectRefs(fileData)) {
        refMap['#' + path.map((s) => '/' + encodedSegment(s)).join('')] = ref;
        const target = refTarget(ref, file);
        if (target.file !== root) inItself = false;
        const refPath = [...path, '$ref'];
        if (isRemoteRef(target.file) && !this.policy.allowRemote) {
          this.refProblems.push({ file, path: refPath, severity: 'warn', kind: 'remote', message: remoteMessage(this.policy, ref) });
          continue;
        }
        if (isRemoteRef(file) && !isRemoteRef(target.file)) {
          // A fetched document names resources on its server (refTarget); a `file:` URL in one would read this machine.
          this.refProblems.push({ file, path: refPath, severity: 'error', kind: 'outside', message: `$ref "${ref}" in a fetched document names a file on this machine; it is not read` });
          continue;
        }
        if (!isRemoteRef(target.file) && target.file !== file && !allowsFile(this.policy, target.file)) {
          this.refProblems.push({ file, path: refPath, severity: 'error', kind: 'outside', message: outsideMessage(this.policy, ref) });
          continue;
        }
        if (!loaded.has(target.file)) {
          const text = isRemoteRef(target.file) ? await fetchText(target.file) : this.files.read(target.file);
          if (text instanceof Error) {
            loaded.set(target.file, undefined);
            loadErrors.set(target.file, text.message);
            this.refProblems.push({ file, path: refPath, severity: 'error', kind: 'unreadable', message: `$ref "${ref}" cannot be resolved: ${text.message.replace(target.file, ref.split('#')[0])}` });
            continue;
          }
          // A file of blanks and comments holds no value: each `$ref` to it is told so (below).
          if (isBlankText(text)) {
            blank.add(target.file);
            loaded.set(target.file, undefined);
            this.texts.set(target.file, text);
            this.dependencies.push(target.file);
            checks.push({ file, path: refPath, target, ref });
            continue;
          }
          const safe = defuseAliases(text, target.file);
          if (safe.bomb) this.refProblems.push({ file, path: refPath, severity: 'error', kind: 'bomb', message: `$ref "${ref}" leads to ${ref.split('#')[0]}, where ${safe.bomb.message.replace('YAML aliases here', 'YAML aliases')}` });
          const parsed = opts.parseResolveResult
            ? (await opts.parseResolveResult({ targetAuthority: { href: () => target.file }, result: safe.text })).result
            : undefined;
          loaded.set(target.file, parsed);
          this.texts.set(target.file, text);
          this.data.set(target.file, parsed);
          this.dependencies.push(target.file);
          pending.push({ file: target.file, data: parsed });
        } else if (loaded.get(target.file) === undefined && !blank.has(target.file)) {
          // The same reason as for the first `$ref` to it, named as this one names the file.
          const why = loadErrors.get(target.file);
          this.refProblems.push({ file, path: refPath, severity: 'error', kind: 'unreadable', message: `$ref "${ref}" cannot be resolved: ${why !== undefined ? why.replace(target.file, ref.split('#')[0]) : `${ref.split('#')[0]} could not be loaded.`}` });
          continue;
        }
        checks.push({ file, path: refPath, target, ref });
      }
    }
    /** The `$ref`s as written where the refMap holds them otherwise (plain names, as pointers). */
    const written = new Map<string, string>();
    for (const c of checks) {
      const targetData = loaded.get(c.target.file);
      // A plain-name fragment (`#pet`) is mapped as the JSON pointer of its `$anchor`, so findings
      // behind it are placed, and cycles through anchors are found, as through any pointer.
      if (isPlainName(c.target.pointer)) {
        const at = pointerPath(targetData, c.target.pointer);
        const refMap = refMaps.get(c.file);
        const key = '#' + c.path.slice(0, -1).map((seg) => '/' + encodedSegment(seg)).join('');
        if (at !== undefined && refMap) {
          refMap[key] = `${c.ref.slice(0, c.ref.indexOf('#'))}#${at.map((seg) => '/' + encodedSegment(seg)).join('')}`;
          written.set(`${c.file}\0${key}`, c.ref);
        }
        // JSON Schema makes a name declared twice an error; the `$ref` that names it could mean either.
        const others = at === undefined ? [] : anchorsOf(targetData).get(safeDecodeURI(c.target.pointer))!.others;
        if (others.length > 0) {
          // At most three places: a name declared thousands of times is not listed thousands of times per `$ref`.
          const places = [at!, ...others].map((p) => p.join('.'));
          const where = places.length > 3 ? `${places.slice(0, 3).join(', ')} and ${places.length - 3} more` : places.join(', ');
          const doc = c.target.file === c.file ? 'this document' : c.ref.split('#')[0];
          this.refProblems.push({ file: c.file, path: c.path, severity: 'error', kind: 'ambiguous', message: `$ref "${c.ref}" is ambiguous: ${others.length + 1} objects of ${doc} declare the anchor "${safeDecodeURI(c.target.pointer)}" (${where}); it is read as the first. Give each its own name.` });
        }
      }
      // A file with nothing in it but blanks and comments holds no value to point at.
      if (blank.has(c.target.file)) {
        this.refProblems.push({ file: c.file, path: c.path, severity: 'error', kind: 'dangling', message: `$ref "${c.ref}" points at nothing: ${c.ref.split('#')[0]} is empty.` });
        continue;
      }
      if (targetData !== undefined && getAtPointer(targetData, c.target.pointer) === undefined) {
        this.refProblems.push({
          file: c.file,
          path: c.path,
          severity: 'error',
          kind: 'dangling',
          message:
            c.target.pointer === '/'
              ? `$ref "${c.ref}" points at nothing: "#/" names the member "" of the root (RFC 6901), which ${c.target.file === c.file ? 'this document' : c.ref.split('#')[0]} does not have; "#" names the whole document.`
              : `$ref "${c.ref}" points at nothing: ${c.target.pointer ? `no "${c.target.pointer}" in` : 'empty'} ${c.target.file === c.file ? 'this document' : c.ref.split('#')[0]}.`,
        });
      }
    }
    // A `$ref` on a cycle names no value: every object on it is a `$ref` to the next.
    for (const { file, pointer, ref } of dropRefCycles(refMaps)) {
      this.refProblems.push({ file, path: [...(pointerSegments(pointer) ?? []), '$ref'], severity: 'error', kind: 'dangling', message: `$ref "${written.get(`${file}\0${pointer}`) ?? ref}" is circular: following it leads back to it, and to no value.` });
    }
    // A plain name reaches its object through values (`$anchor`, `$id`) and through whether two
    // objects declaring it differ: any edit may change that, so such a resolution is never reused.
    if (inItself && isWeakKey(data) && !checks.some((c) => isPlainName(c.target.pointer))) {
      const targets = [...new Set(checks.map((c) => c.target.pointer))].map((pointer) => pointerPath(data, pointer));
      selfContained.set(data, { file: root, refMap: refMaps.get(root) ?? {}, refProblems: copies(this.refProblems), targets });
    }
    const graph = { getNodeData: (source: string) => ({ refMap: refMaps.get(source) ?? {} }) };
    return { result: data, graph, errors: [], refMap: refMaps.get(root) ?? {} };
  }
}

/**
 * Leave out of the refMaps every `$ref` on a cycle (`#/a` → `#/b` → `#/a`, a root `$ref: "#"`, two
 * files referring to each other), followed the way Spectral's DocumentInventory follows them when
 * it maps a finding into the file that holds it: its `while (key in refMap)` has no visited set and
 * looped forever on one. A finding under such a `$ref` stays where the path reaches in its file.
 * What was left out, for the `ref` findings.
 */
function dropRefCycles(refMaps: Map<string, Record<string, string>>): { file: string; pointer: string; ref: string }[] {
  const onCycle: [Record<string, string>, string, string][] = [];
  // Each entry leads to at most one other, so one walk per entry that no walk has met yet finds
  // every cycle: an entry maps to its place in the walk under way, or to -1 once a walk is done
  // with it (linear in the number of entries; a chain of 3,000 `$ref`s was cubic before).
  const walked = new Map<string, number>();
  for (const [source, map] of refMaps) {
    for (const key of Object.keys(map)) {
      if (walked.has(`${source}\0${key}`)) continue;
      const entries: [Record<string, string>, string, string][] = [];
      let s = source;
      let k = key;
      for (let hops = 0; hops < 10_000; hops++) {
        const m = refMaps.get(s);
        if (m === undefined || !Object.hasOwn(m, k)) break;
        const id = `${s}\0${k}`;
        const at = walked.get(id);
        if (at !== undefined) {
          if (at >= 0) onCycle.push(...entries.slice(at));
          break;
        }
        walked.set(id, entries.length);
        entries.push([m, k, s]);
        const ref = m[k];
        if (isLocalRef(ref)) {
          k = ref;
          continue;
        }
        if (extractSourceFromRef(ref) === null) break;
        s = refTarget(ref, s).file;
        k = ref.includes('#') ? ref.slice(ref.indexOf('#')) : '#';
      }
      for (const [, k2, s2] of entries) walked.set(`${s2}\0${k2}`, -1);
    }
  }
  const found = onCycle.map(([m, k, file]) => ({ file, pointer: k, ref: m[k] }));
  for (const [m, k] of onCycle) delete m[k];
  return found;
}

/**
 * Every `$ref` string in a tree with the JSON path of the object holding it. Iterative (deep trees
 * cannot overflow the stack), and a node's path is only spelled out when it holds a `$ref`: the
 * walk visits every node of a spec on each lint.
 */
export function collectRefs(data: unknown): { ref: string; path: (string | number)[] }[] {
  const out: { ref: string; path: (string | number)[] }[] = [];
  const nodes: unknown[] = [data];
  const steps: (Step<string | number> | undefined)[] = [undefined];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const step = steps.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) {
        const child: unknown = node[i];
        if (child !== null && typeof child === 'object') {
          nodes.push(child);
          steps.push({ parent: step, key: i });
        }
      }
      continue;
    }
    const obj = node as Record<string, unknown>;
    if (typeof obj.$ref === 'string') out.push({ ref: obj.$ref, path: stepPath(step) });
    for (const key of Object.keys(obj)) {
      const child = obj[key];
      if (child !== null && typeof child === 'object') {
        nodes.push(child);
        steps.push({ parent: step, key });
      }
    }
  }
  return out;
}

/** A remote `$ref`ed document: at most MAX_FILE_BYTES (as a file on disk), within 15 s. */
async function fetchText(url: string): Promise<string | Error> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(15000) });
    if (!res.ok) return new Error(`HTTP ${res.status} fetching ${url}`);
    const tooLarge = () => new Error(`too large: ${url} is over the ${MAX_FILE_BYTES / 2 ** 20} MiB Headroom reads`);
    if (Number(res.headers.get('content-length') ?? 0) > MAX_FILE_BYTES) {
      await res.body?.cancel();
      return tooLarge();
    }
    // Counted as it arrives: an endless body stops at the limit, not when memory runs out.
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for await (const chunk of res.body ?? []) {
      bytes += chunk.byteLength;
      if (bytes > MAX_FILE_BYTES) {
        await res.body?.cancel().catch(() => {});
        return tooLarge();
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    return new Error(`cannot fetch ${url}: ${(e as Error).message}`);
  }
}

/**
 * Spectral's own resolver (inlines every `$ref`), for rulesets whose rules expect resolved data
 * (e.g. `spectral:oas`). Files are read through `FileSource`; remote refs only when allowed.
 */
export function createFullResolver(files: FileSource, policy: RefPolicy) {
  const remote = {
    resolve: async (uri: { href(): string }) => {
      if (!policy.allowRemote) throw new Error(remoteMessage(policy, uri.href()));
      const text = await fetchText(uri.href());
      if (text instanceof Error) throw text;
      return text;
    },
  };
  return new (spectralRefResolver().Resolver)({
    resolvers: {
      file: {
        resolve: async (uri: { href(): string; path?(): string }) => {
          const path = localPath(uri.href(), '/');
          if (!allowsFile(policy, path)) throw new Error(outsideMessage(policy, uri.href()));
          const text = files.read(path);
          if (text instanceof Error) throw text;
          return defuseAliases(text, path).text;
        },
      },
      http: remote,
      https: remote,
    },
  } as any);
}

/**
 * File and path (inside that file) of the node a logical path reaches, following `$ref`s, and
 * whether the way there meets a `$ref` that cannot be followed (dangling, or remote and not loaded).
 */
export function physicalLocation(
  path: (string | number)[],
  root: unknown,
  rootFile: string,
  dataOf: (file: string) => unknown,
  /** Also follow a `$ref` standing at the end of the path (to the node it points at). */
  followLast = true,
): { file: string; path: (string | number)[]; dangling: boolean } {
  let node = root;
  let file = rootFile;
  let at: (string | number)[] = [];
  let dangling = false;
  const follow = () => {
    for (let hops = 0; isRefObject(node) && hops < 32; hops++) {
      const target = refTarget(node.$ref, file);
      const data = dataOf(target.file);
      const value = data === undefined ? undefined : getAtPointer(data, target.pointer);
      if (value === undefined) {
        dangling = true;
        return;
      }
      node = value;
      file = target.file;
      at = [...(pointerPath(data, target.pointer) ?? [])];
    }
  };
  for (const seg of path) {
    // A path into a `$ref` key names the reference itself, not what it leads to.
    if (!(seg === '$ref' && isRefObject(node))) follow();
    node = node !== null && typeof node === 'object' ? (node as any)[seg] : undefined;
    at = [...at, seg];
  }
  if (followLast) follow();
  return { file, path: at, dangling };
}

function isRefObject(v: unknown): v is { $ref: string } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { $ref?: unknown }).$ref === 'string';
}

/** Text with nothing but white space and `#` comment lines (a JSON or YAML file that holds no value). */
function isBlankText(text: string | undefined): boolean {
  return text !== undefined && text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).every((line) => /^\s*(#.*)?$/.test(line));
}
