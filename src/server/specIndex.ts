/**
 * Which OpenAPI documents of the workspace folders `$ref` which files, so that a file that is not
 * a spec (a path item, a schema, shared responses) can be linted through the specs that use it.
 *
 * Built lazily, the first time a question is asked (a YAML/JSON file that is not a spec was
 * opened), off the request path: the folders are walked with async reads and the work yields to
 * the event loop after every file, so an edit's lint is never held up by it. Then kept, and
 * brought up to date file by file: a file that changed (on disk, or an open buffer) is looked at
 * again with the specs that `$ref` it, the next time a question is asked; a lint of a spec tells
 * the index what that spec `$ref`s now (`learn`).
 *
 * Every spec file is read the way a lint reads it: through the server's FileSource (open buffers
 * first), under the spec's RefPolicy (`loadDocumentSet`): a `$ref` the policy refuses is not
 * followed, and a file outside the workspace folders is never opened as a spec. Bounded:
 * `node_modules`, `.git` and other dot-folders and symbolic links are not entered, files above the
 * size limit are not read, and at most `maxFiles` YAML/JSON files are looked at.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDocumentSet } from '../openapi/documentSet';
import { parseDocument } from '../openapi/document';
import type { FileSource } from '../openapi/files';
import { parseLean } from '../openapi/leanDocument';
import { allowsFile, type RefPolicy } from '../openapi/policy';
import { looksLikeOpenApi } from '../shared/sniff';

/** How many YAML/JSON files the first walk looks at, at most. */
export const MAX_INDEXED_FILES = 5000;

const SPEC_FILE = /\.(ya?ml|json)$/i;
/** A `$ref` whose value does not start with `#`: the file may pull in others (a cheap test before parsing). */
const EXTERNAL_REF = /["']?\$ref["']?[ \t]*:[ \t]*["']?(?!#)[^\s"'#]/;

export interface SpecIndexOptions {
  files: FileSource;
  /** The workspace folders (absolute paths): where specs are looked for. */
  folders: () => readonly string[];
  /** The policy a lint of the spec reads under (the same object lints use). */
  policyFor: (spec: string) => RefPolicy;
  /** Files larger than this many bytes are not read (the lint's size limit for the file's folder). */
  maxBytes: (file: string) => number;
  warn?: (message: string) => void;
  maxFiles?: number;
}

export class SpecIndex {
  /** Per spec (a path): the files it `$ref`s, directly or through other files. */
  private readonly specs = new Map<string, Set<string>>();
  /** Files to look at again before the next answer. */
  private readonly dirty = new Set<string>();
  private walked = false;
  private work: Promise<void> | undefined;
  /** Bumped by `reset`: work begun before it is thrown away. */
  private generation = 0;

  constructor(private readonly o: SpecIndexOptions) {}

  /** The specs (paths) that `$ref` `file`, directly or through other files. Builds or updates the index first. */
  async specsUsing(file: string): Promise<string[]> {
    await this.ready();
    return [...this.specs].filter(([, deps]) => deps.has(file)).map(([spec]) => spec);
  }

  /** How many specs the index holds (as of the last answer). */
  get specCount(): number {
    return this.specs.size;
  }

  /** `file` changed (created, edited, deleted): it and the specs that `$ref` it are looked at again. */
  changed(file: string): void {
    if (!this.walked) return; // the walk will read it as it is
    this.dirty.add(file);
    for (const [spec, deps] of this.specs) if (deps.has(file)) this.dirty.add(spec);
  }

  /** What the index last found `spec` `$ref`s (undefined: not a spec it knows). */
  known(spec: string): string[] | undefined {
    const deps = this.specs.get(spec);
    return deps ? [...deps] : undefined;
  }

  /** A lint of `spec` read these files: that is what it `$ref`s now. */
  learn(spec: string, dependencies: Iterable<string>): void {
    if (!this.inFolders(spec)) return;
    this.specs.set(spec, new Set(dependencies));
    this.dirty.delete(spec);
  }

  /** Folders, trust or settings changed: start again (at the next question). */
  reset(): void {
    this.generation++;
    this.specs.clear();
    this.dirty.clear();
    this.walked = false;
    this.work = undefined;
  }

  private async ready(): Promise<void> {
    while (!this.walked || this.dirty.size > 0) {
      const work = (this.work ??= this.run().finally(() => {
        if (this.work === work) this.work = undefined;
      }));
      await work;
    }
  }

  private async run(): Promise<void> {
    const generation = this.generation;
    if (!this.walked) {
      const found = await this.walk(generation);
      if (generation !== this.generation) return;
      for (const file of found) {
        await this.look(file);
        if (generation !== this.generation) return;
        await yieldToEvents();
      }
      this.walked = true;
    }
    while (this.dirty.size > 0 && generation === this.generation) {
      const [file] = this.dirty;
      this.dirty.delete(file);
      await this.look(file);
      await yieldToEvents();
    }
  }

  /** The YAML/JSON files of the workspace folders, breadth first, at most `maxFiles`. */
  private async walk(generation: number): Promise<string[]> {
    const max = this.o.maxFiles ?? MAX_INDEXED_FILES;
    const found: string[] = [];
    const queue = [...this.o.folders()];
    while (queue.length > 0 && generation === this.generation) {
      const dir = queue.shift()!;
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // gone, or not readable: nothing to find there
      }
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.isDirectory()) {
          if (e.name !== 'node_modules' && !e.name.startsWith('.')) queue.push(join(dir, e.name));
        } else if (e.isFile() && SPEC_FILE.test(e.name)) {
          if (found.length >= max) {
            this.o.warn?.(`The workspace folders hold more than ${max} YAML/JSON files: only the first ${max} were looked at for specs that $ref other files.`);
            return found;
          }
          found.push(join(dir, e.name));
        }
      }
      await yieldToEvents();
    }
    return found;
  }

  /** Is `file` a spec, and what does it `$ref`? Updates the index. */
  private async look(file: string): Promise<void> {
    const generation = this.generation;
    const deps = await this.dependenciesOf(file);
    if (generation !== this.generation) return;
    if (deps === undefined) this.specs.delete(file);
    else this.specs.set(file, deps);
  }

  /** The files the spec `file` `$ref`s, or undefined when it is no spec (or may not be read). */
  private async dependenciesOf(file: string): Promise<Set<string> | undefined> {
    if (!SPEC_FILE.test(file) || !this.inFolders(file)) return undefined;
    const size = this.o.files.size(file);
    if (size === undefined || size > this.o.maxBytes(file)) return undefined;
    const text = this.o.files.read(file);
    if (typeof text !== 'string' || !looksLikeOpenApi(text)) return undefined;
    if (!EXTERNAL_REF.test(text)) return new Set();
    const set = await loadDocumentSet<{ data: unknown }>(file, text, {
      files: this.o.files,
      policy: this.o.policyFor(file),
      parse: (t, source, isRoot) => parseAny(t, source, isRoot),
    });
    return new Set(set?.dependencies ?? []);
  }

  /** Inside a workspace folder, symbolic links followed (a link that leads out is outside). */
  private inFolders(file: string): boolean {
    const folders = this.o.folders();
    return folders.length > 0 && allowsFile({ roots: folders, allowRemote: false, hints: { roots: '', outside: '', remote: '' } }, file);
  }
}

/** The lean parser (as a lint parses), else the full one, which reads what has syntax errors too: only the `$ref`s matter here. */
function parseAny(text: string, source: string, isRoot: boolean): { data: unknown } {
  const lean = parseLean(text, source, isRoot ? undefined : /\.json$/i.test(source) ? 'json' : 'yaml');
  if (lean !== undefined) return { data: lean.data };
  try {
    return { data: parseDocument(text, source).data };
  } catch {
    return { data: undefined };
  }
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));
