/**
 * Load an OpenAPI document for export: parse it and the files it `$ref`s (under the lint's `$ref`
 * policy), and offer the rules' read-only `Spec` view over them. Locations of logical paths
 * (through `$ref`s) resolve to the file and node where they lie.
 *
 * Parsed as the lint's lean engine parses (`JSON.parse`, or Spectral's YAML parser without a
 * Spectral `Document`): ranges are found only for the findings, in one pass per file, when the
 * export is done (`locateFindings`). A set the lean parser cannot take cleanly (syntax errors,
 * duplicate keys, alias bombs…) is loaded with the engine's full parser instead, which says why.
 */
import type { Document } from '@stoplight/spectral-core';
import { resolve } from 'node:path';
import { isObject, Spec, type JsonPath } from '../openapi/spec';
import { detectOpenApiVersion, parseDocument } from '../openapi/document';
import { FileSource } from '../openapi/files';
import { parseLean } from '../openapi/leanDocument';
import { narrowRange, splitLines } from '../openapi/ranges';
import { loadDocumentSet, type DocumentSet } from '../openapi/documentSet';
import { cliPolicy, type RefPolicy } from '../openapi/policy';
import { physicalLocation } from '../openapi/refs';
import type { YamlParseCache } from '../openapi/incrementalYaml';
import type { JsonParseCache } from '../openapi/incrementalJson';
import type { Finding, OpenApiVersion, Range, Severity } from '../shared/types';

export interface LoadOptions {
  /** Where documents are read from (the editor passes one with its unsaved buffers). */
  files?: FileSource;
  /**
   * Which files and URLs the spec may pull in (the lint's policy: src/openapi/policy.ts). A `$ref`
   * the policy refuses stops the export. Default: the CLI's default for the spec.
   */
  policy?: RefPolicy;
  /** Parses to share with a lint of the same files (the CLI's export lints what it ships): each text is parsed once. */
  yamlCache?: YamlParseCache;
  jsonCache?: JsonParseCache;
}

/** The file could not be read at all (missing, a directory, no permission). */
export class ExportInputError extends Error {}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

interface Parsed {
  data: unknown;
  text: string;
  lines?: string[];
  /** Ranges of these paths (closest existing ancestor); undefined when the lean parse turns out ineligible. */
  ranges(paths: JsonPath[]): (Range | undefined)[] | undefined;
  /** The engine's full parse of the same text (when the lean one cannot give ranges). */
  full?: Document;
}

function fullParsed(doc: Document, text: string): Parsed {
  return { data: doc.data, text, full: doc, ranges: (paths) => paths.map((p) => doc.getRangeForJsonPath(p, true)) };
}

export class LoadedSpec {
  readonly spec: Spec;
  /** Findings made so far, located by `locateFindings`. */
  private readonly unlocated: { finding: Finding; file: string; path: JsonPath }[] = [];

  constructor(
    readonly file: string,
    readonly root: Record<string, any>,
    readonly version: OpenApiVersion,
    private readonly documents: Map<string, Parsed>,
  ) {
    // The rules' Spec view reads only these fields of a Spectral function context.
    const referencedDocuments: Record<string, { data: unknown }> = {};
    for (const [f, p] of documents) if (f !== file) referencedDocuments[f] = { data: p.data };
    this.spec = new Spec({
      document: { data: root, source: file },
      documentInventory: { resolved: root, referencedDocuments },
    } as any);
  }

  /** The files loaded: the spec first, then the files it `$ref`s. */
  get files(): string[] {
    return [this.file, ...[...this.documents.keys()].filter((f) => f !== this.file)];
  }

  /** The file and in-file path of the node at a logical path (following `$ref`s on the way). */
  physical(path: JsonPath): { file: string; path: JsonPath } {
    const at = physicalLocation(path, this.root, this.file, (f) => this.documents.get(f)?.data, false);
    return { file: at.file, path: at.path };
  }

  /**
   * A finding at a logical path, in the file where the node lies; its range (the key that names
   * the node) is filled in by `locateFindings`.
   */
  finding(path: JsonPath, rule: string, severity: Severity, message: string): Finding {
    const where = this.physical(path);
    return this.findingIn(where.file, where.path, rule, severity, message);
  }

  /** A finding at a path inside one file (no `$ref` followed); located by `locateFindings`. */
  findingIn(file: string, path: JsonPath, rule: string, severity: Severity, message: string): Finding {
    const finding: Finding = { file, rule, severity, message, path, range: ZERO };
    this.unlocated.push({ finding, file, path });
    return finding;
  }

  /** Fill in the ranges of the findings made so far: one pass per file. */
  locateFindings(): void {
    const byFile = new Map<string, { finding: Finding; path: JsonPath }[]>();
    for (const u of this.unlocated.splice(0)) {
      const list = byFile.get(u.file) ?? [];
      list.push(u);
      byFile.set(u.file, list);
    }
    for (const [file, list] of byFile) {
      const parsed = this.documents.get(file);
      if (parsed === undefined) continue;
      let ranges = parsed.ranges(list.map((u) => u.path));
      if (ranges === undefined) {
        // The lean parse cannot place them (e.g. a duplicate key): the engine's parser can.
        const full = (parsed.full ??= parseDocument(parsed.text, file));
        ranges = list.map((u) => full.getRangeForJsonPath(u.path, true));
      }
      const lines = (parsed.lines ??= splitLines(parsed.text));
      list.forEach((u, i) => {
        const raw = ranges![i];
        if (raw) u.finding.range = narrowRange(lines, toRange(raw));
      });
    }
  }
}

function toRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

export type LoadResult = { ok: true; loaded: LoadedSpec } | { ok: false; findings: Finding[]; files: string[] };

/**
 * Parse the root and every file it `$ref`s. A root that does not parse or is not OpenAPI is an
 * error finding; `$ref`s that lead nowhere are left to `headroom lint` (the export skips what it
 * cannot reach).
 */
export async function loadSpec(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const files = options.files ?? new FileSource();
  const file = resolve(path);
  const text = files.read(file);
  if (text instanceof Error) throw new ExportInputError(text.message);
  const policy = options.policy ?? cliPolicy(file);
  // The lean way first (as `headroom lint` parses); the full parser when a file needs its diagnostics.
  const lean = await loadDocumentSet<Parsed>(file, text, {
    files,
    policy,
    parse: (t, source, isRoot) => parseLean(t, source, isRoot ? undefined : /\.json$/i.test(source) ? 'json' : 'yaml', options.yamlCache, options.jsonCache) as Parsed | undefined,
  });
  // A JSON file whose ranges the lean parse cannot give holds a duplicate key (JSON.parse kept
  // the last of them, silently): the full parser reports it, and the export stops, as for YAML.
  if (lean?.clean && [...lean.docs.values()].every((d) => d.ranges([[]]) !== undefined)) {
    const version = detectOpenApiVersion(lean.root.data);
    if (version !== null) return loaded(file, lean, version);
  }
  const root = parseDocument(text, file);
  const parseErrors = syntaxErrors(file, root);
  if (parseErrors.length > 0) return { ok: false, files: [file], findings: parseErrors };
  const version = detectOpenApiVersion(root.data);
  if (version === null) {
    const finding = unknownVersion(file, root.data);
    const range = finding.path.length > 0 ? root.getRangeForJsonPath(finding.path, true) : undefined;
    if (range) finding.range = narrowRange(splitLines(text), toRange(range));
    return { ok: false, files: [file], findings: [finding] };
  }
  // The root is parsed once above; its referenced files once here, under the lint's policy.
  const set = await loadDocumentSet<Parsed>(file, text, {
    files,
    policy,
    parse: (t, source, isRoot) => fullParsed(isRoot ? root : parseDocument(t, source), t),
  });
  // A syntax error in a `$ref`ed file stops the export as one in the root does: what the parser
  // skipped (an `x-gateway-rate-limit` after a stray `]]]`) would be missing from the gateway.
  const refErrors = [...set!.docs].flatMap(([f, p]) => (f === file || !p.full ? [] : syntaxErrors(f, p.full)));
  if (refErrors.length > 0) return { ok: false, files: [...set!.docs.keys()], findings: refErrors };
  return loaded(file, set!, version);
}

/** A parsed file's syntax errors, as the `parse` findings that stop the export. */
function syntaxErrors(file: string, doc: Document): Finding[] {
  return doc.diagnostics.filter((d) => d.severity === 0).map((d) => ({ file, rule: 'parse', severity: 'error', message: d.message, path: [], range: toRange(d.range) }));
}

function loaded(file: string, set: DocumentSet<Parsed>, version: OpenApiVersion): LoadResult {
  const spec = new LoadedSpec(file, set.root.data as Record<string, any>, version, new Map(set.docs));
  // What the policy refused is not in the model: export nothing rather than a partial gateway. Nor
  // is a path item whose \$ref leads nowhere: its routes would be missing, silently (a 404 at the gateway).
  type RefProblem = (typeof set.refProblems)[number];
  /** A problem with a root path's own `$ref` (`paths./a.$ref`). */
  const onPathItemRef = (p: RefProblem) => p.file === file && p.path.length === 3 && p.path[0] === 'paths' && p.path[2] === '$ref';
  const lostPath = (p: RefProblem) => (p.kind === 'dangling' || p.kind === 'unreadable') && onPathItemRef(p);
  // A \$ref'd file read with its YAML aliases blanked (an alias bomb) lacks what they held (\`security: *authed\`).
  const refused = set.refProblems.filter((p) => p.kind === 'outside' || p.kind === 'remote' || p.kind === 'bomb' || lostPath(p));
  const findings = refused.map((p) => spec.findingIn(p.file, p.path, 'ref', 'error', lostPath(p) ? `${p.message.replace(/\.$/, '')}; the path ${String(p.path[1])} would be left out of the gateway.` : p.message));
  // Any other path whose item is no object (empty, `null`, a list, a `$ref` chain that breaks
  // further on) would be left out in silence too.
  const told = new Set(refused.filter(onPathItemRef).map((p) => String(p.path[1])));
  const paths = spec.root.paths;
  if (isObject(paths)) {
    for (const key of Object.keys(paths)) {
      if (told.has(key)) continue;
      const item = spec.spec.deref(paths[key], ['paths', key], file);
      if (item !== undefined && isObject(item.value)) continue;
      const what = item === undefined ? 'its `$ref` chain leads to nothing' : item.value === null ? 'it is empty' : Array.isArray(item.value) ? 'it is a list' : `it is ${JSON.stringify(item.value)}`;
      findings.push(spec.findingIn(file, ['paths', key], 'ref', 'error', `The path ${key} has no path item (${what}); it would be left out of the gateway.`));
    }
  }
  if (findings.length > 0) {
    spec.locateFindings();
    return { ok: false, findings, files: spec.files };
  }
  return { ok: true, loaded: spec };
}

/**
 * Why a document is no OpenAPI document the export reads: its `openapi` / `swagger` value names a
 * version Headroom does not know (`openapi: 3.9.9`, at that value), or it has neither.
 */
function unknownVersion(file: string, data: unknown): Finding {
  const root = isObject(data) ? data : {};
  const key = root.openapi !== undefined ? 'openapi' : root.swagger !== undefined ? 'swagger' : undefined;
  if (key === undefined) return { file, rule: 'unrecognized-format', severity: 'error', message: 'Not an OpenAPI document: no root "openapi: 3.x" or "swagger: \'2.0\'" found.', path: [], range: ZERO };
  return {
    file,
    rule: 'unrecognized-format',
    severity: 'error',
    message: `${key}: ${JSON.stringify(root[key])} is no OpenAPI version Headroom reads (openapi 3.0.x, 3.1.x or 3.2.x, or swagger "2.0").`,
    path: [key],
    range: ZERO,
  };
}
