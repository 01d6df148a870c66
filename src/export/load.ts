/**
 * Load an OpenAPI document for export: parse it with the engine's parser (so every node has a
 * range), load the files it `$ref`s the same way, and offer the rules' read-only `Spec` view over
 * them. Locations of logical paths (through `$ref`s) resolve to the file and node where they lie.
 */
import type { Document } from '@stoplight/spectral-core';
import { resolve } from 'node:path';
import { Spec, type JsonPath } from '../openapi/spec';
import { detectOpenApiVersion, parseDocument } from '../openapi/document';
import { FileSource } from '../openapi/files';
import { narrowRange, splitLines } from '../openapi/ranges';
import { loadDocumentSet } from '../openapi/documentSet';
import { cliPolicy, type RefPolicy } from '../openapi/policy';
import { physicalLocation } from '../openapi/refs';
import type { Finding, OpenApiVersion, Range, Severity } from '../shared/types';

export interface LoadOptions {
  /** Where documents are read from (the editor passes one with its unsaved buffers). */
  files?: FileSource;
  /**
   * Which files and URLs the spec may pull in (the lint's policy: src/openapi/policy.ts). A `$ref`
   * the policy refuses stops the export. Default: the CLI's default for the spec.
   */
  policy?: RefPolicy;
}

/** The file could not be read at all (missing, a directory, no permission). */
export class ExportInputError extends Error {}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

interface Parsed {
  doc: Document;
  text: string;
  lines?: string[];
}

export class LoadedSpec {
  readonly spec: Spec;

  constructor(
    readonly file: string,
    readonly root: Record<string, any>,
    readonly version: OpenApiVersion,
    private readonly documents: Map<string, Parsed>,
  ) {
    // The rules' Spec view reads only these fields of a Spectral function context.
    const referencedDocuments: Record<string, { data: unknown }> = {};
    for (const [f, p] of documents) if (f !== file) referencedDocuments[f] = { data: p.doc.data };
    this.spec = new Spec({
      document: { data: root, source: file },
      documentInventory: { resolved: root, referencedDocuments },
    } as any);
  }

  /** The file and in-file path of the node at a logical path (following `$ref`s on the way). */
  physical(path: JsonPath): { file: string; path: JsonPath } {
    const at = physicalLocation(path, this.root, this.file, (f) => this.documents.get(f)?.doc.data, false);
    return { file: at.file, path: at.path };
  }

  /** A finding at a logical path, located in its file on the key that names the node. */
  finding(path: JsonPath, rule: string, severity: Severity, message: string): Finding {
    const where = this.physical(path);
    const parsed = this.documents.get(where.file);
    const raw = parsed?.doc.getRangeForJsonPath(where.path, true);
    let range = ZERO;
    if (parsed && raw) {
      parsed.lines ??= splitLines(parsed.text);
      range = narrowRange(parsed.lines, toRange(raw));
    }
    return { file: where.file, rule, severity, message, path: where.path, range };
  }
}

/** A finding's file, path and range at a path inside one parsed file (no `$ref` followed). */
function locateIn(parsed: Parsed | undefined, file: string, path: JsonPath): Pick<Finding, 'file' | 'path' | 'range'> {
  const raw = parsed?.doc.getRangeForJsonPath(path, true);
  const range = parsed && raw ? narrowRange((parsed.lines ??= splitLines(parsed.text)), toRange(raw)) : ZERO;
  return { file, path, range };
}

function toRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

export type LoadResult = { ok: true; loaded: LoadedSpec } | { ok: false; findings: Finding[] };

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
  const root = parseDocument(text, file);
  const parseErrors = root.diagnostics.filter((d) => d.severity === 0);
  if (parseErrors.length > 0) {
    return {
      ok: false,
      findings: parseErrors.map((d) => ({ file, rule: 'parse', severity: 'error', message: d.message, path: [], range: toRange(d.range) })),
    };
  }
  const version = detectOpenApiVersion(root.data);
  if (version === null) {
    return {
      ok: false,
      findings: [{ file, rule: 'unrecognized-format', severity: 'error', message: 'Not an OpenAPI document: no root "openapi: 3.x" or "swagger: \'2.0\'" found.', path: [], range: ZERO }],
    };
  }
  // The root is parsed once above; its referenced files once here, under the lint's policy.
  const set = await loadDocumentSet<Parsed & { data: unknown }>(file, text, {
    files,
    policy: options.policy ?? cliPolicy(file),
    parse: (t, source, isRoot) => {
      const doc = isRoot ? root : parseDocument(t, source);
      return { doc, text: t, data: doc.data };
    },
  });
  const documents = new Map<string, Parsed>(set!.docs);
  // What the policy refused is not in the model: export nothing rather than a partial gateway.
  const refused = set!.refProblems.filter((p) => p.kind === 'outside' || p.kind === 'remote');
  if (refused.length > 0) {
    return { ok: false, findings: refused.map((p) => ({ rule: 'ref', severity: 'error', message: p.message, ...locateIn(documents.get(p.file), p.file, p.path) })) };
  }
  return { ok: true, loaded: new LoadedSpec(file, root.data as Record<string, any>, version, documents) };
}
