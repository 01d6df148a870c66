/**
 * Baselines: the findings an API had when it adopted Headroom, so a run fails only on new ones.
 *
 * A finding is recorded by what survives edits: its file relative to the baseline file, its rule,
 * its JSON path and its message with what changes as the spec grows taken out ("and 3 more
 * operations"); never by line. Matching consumes recorded entries one for one, in rounds from the
 * strictest to the loosest key, so inserted lines, reordered keys and moved operations keep their
 * findings known:
 *   1. file, rule, path, message
 *   2. file, rule, path with array indexes left out, message (an item inserted before it)
 *   3. file, rule, path (the same node, its message reworded: e.g. the operations sharing it)
 *   4. file, rule, a path one key apart, the message with that key renamed (a renamed component,
 *      a re-keyed path: `Slow` → `TooManyRequests`, `/pets/{id}` → `/animals/{id}`), when the old
 *      key is gone from the document (else the old node was fixed and a new one has the problem)
 *   5. rule, message, in another file, the one path ending the other (an operation or component
 *      moved into a `$ref`ed file, or back), only entries of files this run linted: a spec the run
 *      did not lint lends none of its findings
 * In every round a finding is known only if recorded at its severity or a higher one: a finding
 * grown more severe (a warning that a new DELETE made an error) is new.
 * Recorded entries left over in the files linted, of specs linted, are the fixed findings
 * ("absent"): a file two specs `$ref` holds findings of both.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { readTextFile } from '../openapi/files';
import { SEVERITY_ORDER, type Finding, type Severity } from '../shared/types';

/** The file is missing, unreadable, not JSON or not a Headroom baseline (one line, exit 2). */
export class BaselineError extends Error {}

export interface BaselineEntry {
  /** The finding's file, relative to the baseline file's folder, '/'-separated. */
  file: string;
  rule: string;
  /** JSON pointer of the node inside that file. */
  path: string;
  message: string;
  severity: Severity;
  /** The spec whose lint found it, when not `file` itself (a `$ref`ed file), relative like `file`. */
  spec?: string;
}

export type BaselineState = 'new' | 'unchanged';

export interface BaselineMatch {
  /** Each finding's state, in the order given. */
  states: BaselineState[];
  /** Recorded findings no longer found in the files linted (fixed). */
  absent: BaselineEntry[];
}

const FORMAT = 'headroom-baseline';
const SEVERITIES: readonly string[] = ['error', 'warn', 'info', 'hint'];

export class Baseline {
  private constructor(
    /** Absolute path of the baseline file. */
    readonly file: string,
    readonly entries: readonly BaselineEntry[],
  ) {}

  /** Read and check a baseline file. Throws BaselineError. */
  static read(file: string): Baseline {
    const abs = resolve(file);
    const text = readTextFile(abs);
    if (text instanceof Error) throw new BaselineError(`baseline ${text.message}`);
    return Baseline.parse(abs, text);
  }

  /** Check a baseline's text. Throws BaselineError. */
  static parse(file: string, text: string): Baseline {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new BaselineError(`${file} is not a Headroom baseline: not JSON (${(e as Error).message.replace(/\s+/g, ' ')})`);
    }
    const d = data as { format?: unknown; version?: unknown; findings?: unknown };
    if (d === null || typeof d !== 'object' || d.format !== FORMAT) {
      throw new BaselineError(`${file} is not a Headroom baseline (no "format": "${FORMAT}"); write one with headroom lint --write-baseline ${file}`);
    }
    if (d.version !== 1) throw new BaselineError(`${file}: baseline version ${JSON.stringify(d.version)} is not supported (this Headroom reads version 1)`);
    if (!Array.isArray(d.findings)) throw new BaselineError(`${file}: "findings" must be an array`);
    const entries = d.findings.map((e: unknown, i: number): BaselineEntry => {
      const x = e as Record<string, unknown>;
      const ok =
        x !== null &&
        typeof x === 'object' &&
        ['file', 'rule', 'path', 'message'].every((k) => typeof x[k] === 'string') &&
        SEVERITIES.includes(x.severity as string) &&
        (x.spec === undefined || typeof x.spec === 'string');
      if (!ok) throw new BaselineError(`${file}: findings[${i}] must have string file, rule, path, message, a severity (error, warn, info, hint) and, if any, a string spec`);
      const entry: BaselineEntry = { file: x.file as string, rule: x.rule as string, path: x.path as string, message: x.message as string, severity: x.severity as Severity };
      if (typeof x.spec === 'string') entry.spec = x.spec;
      return entry;
    });
    return new Baseline(file, entries);
  }

  /**
   * The text of a baseline file recording `findings` (sorted, so a regenerated baseline diffs
   * cleanly); `specOf` names the spec (absolute path) whose lint found each.
   */
  static text(file: string, findings: readonly Finding[], specOf?: (f: Finding) => string | undefined): string {
    const abs = resolve(file);
    const entries = findings.map((f) => {
      const entry = entryOf(f, dirname(abs));
      const spec = specOf?.(f);
      if (spec !== undefined && resolve(spec) !== resolve(f.file)) entry.spec = relativeFile(spec, dirname(abs));
      return entry;
    });
    entries.sort((a, b) => cmp(a.file, b.file) || cmp(a.path, b.path) || cmp(a.rule, b.rule) || cmp(a.message, b.message));
    return JSON.stringify({ format: FORMAT, version: 1, findings: entries }, null, 2) + '\n';
  }

  /**
   * Which findings are new and which were recorded; recorded findings of `lintedFiles` (absolute
   * paths: the specs linted and the files they `$ref`) that were not found are absent, unless
   * recorded as found by a spec not among `specs` (absolute; default: any). Findings of files the run did
   * not lint are neither absent nor matched across files.
   */
  match(findings: readonly Finding[], lintedFiles: Iterable<string>, specs?: Iterable<string>, dataOf?: (file: string) => unknown): BaselineMatch {
    const base = dirname(this.file);
    const linted = new Set([...lintedFiles].map((f) => relativeFile(f, base)));
    const specsLinted = specs === undefined ? undefined : new Set([...specs].map((f) => relativeFile(f, base)));
    const mine = findings.map((f) => entryOf(f, base));
    const states: BaselineState[] = findings.map(() => 'new');
    const used = new Array<boolean>(this.entries.length).fill(false);
    /** Is the node at these segments of a linted file still in it? Unknown (no data given): taken as gone. */
    const present = (file: string, segments: string[]): boolean => {
      if (dataOf === undefined) return false;
      let node: unknown = dataOf(resolve(base, file));
      for (const s of segments) {
        if (node === null || typeof node !== 'object' || !Object.hasOwn(node, s)) return false;
        node = (node as Record<string, unknown>)[s];
      }
      return true;
    };
    /** Does the baseline record a finding under this key (a path's first segments) of this file? Built when first asked. */
    let recorded: Set<string> | undefined;
    const recordedKey = (file: string, segments: string[]) => {
      if (recorded === undefined) {
        recorded = new Set();
        for (const e of this.entries) {
          const all = segmentsOf(e.path);
          for (let i = 1; i <= all.length; i++) recorded.add(key(e.file, ...all.slice(0, i)));
        }
      }
      return recorded.has(key(file, ...segments));
    };
    type Round = { keyOf: (e: BaselineEntry) => string | undefined; acrossFiles?: true; pairs?: (recorded: BaselineEntry, found: BaselineEntry) => boolean };
    const rounds: Round[] = [
      { keyOf: (e) => key(e.file, e.rule, e.path, stableMessage(e.message)) },
      { keyOf: (e) => key(e.file, e.rule, e.path.replace(/\/\d+(?=\/|$)/g, '/*'), stableMessage(e.message)) },
      { keyOf: (e) => key(e.file, e.rule, e.path) },
    ];
    // Round 4, one pass per position of the renamed key: keyed by the path and the message with
    // that key left out, so each finding meets only the entries it could be a rename of.
    const depth = this.entries.reduce((n, e, i) => (used[i] ? n : Math.max(n, segmentsOf(e.path).length)), 0);
    for (let at = 0; at < depth; at++) rounds.push({ keyOf: (e) => renameKey(e, at), pairs: (r, f) => renamed(r, f, present, recordedKey) });
    rounds.push({ keyOf: (e) => key(e.rule, stableMessage(e.message)), acrossFiles: true, pairs: (r, f) => moved(r, f) && !present(r.file, segmentsOf(r.path)) });
    for (const { keyOf, acrossFiles, pairs } of rounds) {
      const open = new Map<string, number[]>();
      this.entries.forEach((e, i) => {
        if (used[i] || (acrossFiles && !linted.has(e.file))) return;
        const k = keyOf(e);
        if (k === undefined) return;
        const list = open.get(k);
        if (list) list.push(i);
        else open.set(k, [i]);
      });
      mine.forEach((e, i) => {
        if (states[i] === 'unchanged') return;
        const k = keyOf(e);
        const list = k === undefined ? undefined : open.get(k);
        if (list === undefined) return;
        const at = list.findIndex((r) => SEVERITY_ORDER[this.entries[r].severity] <= SEVERITY_ORDER[e.severity] && (pairs === undefined || pairs(this.entries[r], e)));
        if (at < 0) return;
        used[list.splice(at, 1)[0]] = true;
        states[i] = 'unchanged';
      });
    }
    const absent = this.entries.filter((e, i) => !used[i] && linted.has(e.file) && (e.spec === undefined || specsLinted === undefined || specsLinted.has(e.spec)));
    return { states, absent };
  }
}

function entryOf(f: Finding, base: string): BaselineEntry {
  return { file: relativeFile(f.file, base), rule: f.rule, path: pointer(f.path), message: f.message, severity: f.severity };
}

/** A file as a baseline names it: relative to `base` (the baseline's folder), '/'-separated. */
export function relativeFile(file: string, base: string): string {
  return relative(base, file).split(sep).join('/');
}

/** The segments of an RFC 6901 JSON pointer. */
function segmentsOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Round 4's key for the key at position `at` renamed: file, rule, the path with that key left out,
 * and the message with the key left out where it names it whole. None for an array index (round 2's).
 */
function renameKey(e: BaselineEntry, at: number): string | undefined {
  const segments = segmentsOf(e.path);
  if (at >= segments.length || /^\d+$/.test(segments[at])) return undefined;
  const rest = segments.map((s, i) => (i === at ? '\u0002' : s));
  return key(e.file, e.rule, ...rest, '\u0003', stableMessage(replaceWhole(e.message, segments[at], '\u0002')));
}

/**
 * `text` with `word` replaced by `by` where it stands whole (`Retry`, not the start of
 * `Retry-After`; `/pets`, not the start of `/pets/{id}`).
 */
function replaceWhole(text: string, word: string, by: string): string {
  if (word === '') return text;
  let out = '';
  let from = 0;
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    if (at < from) continue;
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + word.length] ?? '';
    if (/[\w/{-]/.test(before) || /[\w}/-]/.test(after)) continue;
    out += text.slice(from, at) + by;
    from = at + word.length;
  }
  return out + text.slice(from);
}

/**
 * Round 4: the recorded node's path and the found one's differ in one key, the messages are the
 * same once that key is renamed in the recorded one (where the message names it as a whole word),
 * the old key is gone from the document and the new one is new: the baseline records nothing
 * under it (else the old node was fixed, and an existing one has a new problem).
 */
function renamed(
  recorded: BaselineEntry,
  found: BaselineEntry,
  present: (file: string, segments: string[]) => boolean,
  recordedKey: (file: string, segments: string[]) => boolean,
): boolean {
  const a = segmentsOf(recorded.path);
  const b = segmentsOf(found.path);
  const differ = a.flatMap((s, i) => (s === b[i] ? [] : [i]));
  if (differ.length !== 1) return false;
  const i = differ[0];
  if (/^\d+$/.test(a[i]) && /^\d+$/.test(b[i])) return false; // an index: round 2's
  if (present(recorded.file, a.slice(0, i + 1)) || recordedKey(found.file, b.slice(0, i + 1))) return false;
  return stableMessage(replaceWhole(recorded.message, a[i], b[i])) === stableMessage(found.message);
}

/** Round 5: moved to another file (and gone from where it was), the node's own path kept (one path ends the other). */
function moved(recorded: BaselineEntry, found: BaselineEntry): boolean {
  if (recorded.file === found.file) return false;
  const a = segmentsOf(recorded.path);
  const b = segmentsOf(found.path);
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.every((s, i) => s === long[long.length - short.length + i]);
}

/** RFC 6901 JSON pointer. */
export function pointer(path: readonly (string | number)[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** The message without what changes as the spec grows: counts of the other operations sharing a node. */
export function stableMessage(message: string): string {
  return message
    .replace(/\band \d+ more( operations?)?\b/g, 'and more')
    .replace(/\s+/g, ' ')
    .trim();
}

function key(...parts: string[]): string {
  return parts.join('\u0000');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
