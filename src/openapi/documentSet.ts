/**
 * A spec and every file it `$ref`s, each read once through one FileSource and one RefPolicy, each
 * parsed once by the caller's parser: the lean engine passes the lean parser (and gives the lint
 * to Spectral when a file is not clean), the export passes the full one. The only place that
 * turns a root file into the set of documents a consumer works on.
 */
import type { FileSource } from './files';
import type { RefPolicy } from './policy';
import type { DataEdit } from './incrementalJson';
import { LeanResolver, type ParseProblem, type RefProblem } from './refs';

export interface Parsed {
  data: unknown;
  /** This data is an earlier parse's with one scalar replaced (the editor's incremental parse). */
  edit?: DataEdit;
}

export interface DocumentSetOptions<D extends Parsed> {
  files: FileSource;
  policy: RefPolicy;
  /** Parse one file; undefined when this parser cannot take it (the set is then not `clean`). */
  parse: (text: string, source: string, isRoot: boolean) => D | undefined;
}

export interface DocumentSet<D extends Parsed> {
  file: string;
  root: D;
  /** Every parsed file by absolute path, the root included. */
  docs: Map<string, D>;
  /** `$ref`s that were refused, not fetched, unreadable or dangling. */
  refProblems: RefProblem[];
  parseProblems: ParseProblem[];
  /** Files loaded besides the root. */
  dependencies: string[];
  /** False when the parser declined a referenced file. */
  clean: boolean;
  /** Each file's `$ref`s by JSON pointer of their holder (cycles left out), for mapping findings into files. */
  refMapOf(source: string): Record<string, string>;
}

/** Undefined when the parser declines the root itself. */
export async function loadDocumentSet<D extends Parsed>(file: string, text: string, options: DocumentSetOptions<D>): Promise<DocumentSet<D> | undefined> {
  const root = options.parse(text, file, true);
  if (root === undefined) return undefined;
  const docs = new Map<string, D>([[file, root]]);
  let clean = true;
  const resolver = new LeanResolver(options.files, options.policy);
  const resolved = await resolver.resolve(root.data, {
    baseUri: file,
    edit: root.edit,
    parseResolveResult: async (o) => {
      const source = o.targetAuthority.href().replace(/\/$/, '');
      const doc = options.parse(String(o.result), source, false);
      if (doc === undefined) clean = false;
      else docs.set(source, doc);
      return { result: doc?.data };
    },
  });
  return {
    file,
    root,
    docs,
    refProblems: resolver.refProblems,
    parseProblems: resolver.parseProblems,
    dependencies: resolver.dependencies,
    clean,
    refMapOf: (source) => resolved.graph.getNodeData(source).refMap,
  };
}
