/**
 * What the language server knows about its lints, without LSP: per linted root document, the
 * findings of its last lint grouped by the file they lie in and the files it `$ref`s; which roots
 * "Lint Workspace" asked for (kept when closed) and which the user forced past the size limit; and
 * which files were last published with diagnostics (to be cleared when they change hands).
 * Roots are URIs (as the client names documents); files are paths (as findings name them).
 */
import type { Finding } from '../shared/types';

/** A finding and the root document (a path) whose lint produced it. */
export interface RootedFinding {
  root: string;
  finding: Finding;
}

export class LintState {
  /** Per root URI: its findings grouped by file. */
  private readonly contributions = new Map<string, Map<string, Finding[]>>();
  /** Per root URI: the files its last lint read through `$ref`s. */
  private readonly dependencies = new Map<string, Set<string>>();
  private readonly workspaceRoots = new Set<string>();
  private readonly forcedRoots = new Set<string>();
  private readonly publishedFiles = new Set<string>();
  /** Whether what `root` (a URI) found in `file` is shown (a spec linted for an open fragment shows only the fragment's). */
  private shows: (root: string, file: string) => boolean = () => true;

  constructor(
    private readonly pathOf: (uri: string) => string,
  ) {}

  /** Which roots' findings in which files are diagnostics (all of them unless this is set). */
  setVisibility(shows: (root: string, file: string) => boolean): void {
    this.shows = shows;
  }

  /** The result of a lint of `root`: replaces its last one. Returns every file whose diagnostics may have changed. */
  record(root: string, findings: Finding[], dependencies: Iterable<string>): string[] {
    const byFile = new Map<string, Finding[]>([[this.pathOf(root), []]]);
    for (const f of findings) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    const previous = this.contributions.get(root);
    this.contributions.set(root, byFile);
    this.dependencies.set(root, new Set(dependencies));
    return [...new Set([...(previous?.keys() ?? []), ...byFile.keys()])];
  }

  /** Forget a root (closed, no longer OpenAPI, too large). Returns the files it had findings in. */
  drop(root: string): string[] {
    const previous = this.contributions.get(root);
    this.contributions.delete(root);
    this.dependencies.delete(root);
    this.workspaceRoots.delete(root);
    return [...(previous?.keys() ?? [])];
  }

  /** Was `root` linted (and not dropped since)? */
  has(root: string): boolean {
    return this.contributions.has(root);
  }

  roots(): string[] {
    return [...this.contributions.keys()];
  }

  /** Roots whose last lint read `file` through a `$ref`. */
  rootsUsing(file: string): string[] {
    return [...this.dependencies].filter(([, deps]) => deps.has(file)).map(([root]) => root);
  }

  /** The files `root`'s last lint read through `$ref`s (none if it was not linted). */
  dependenciesOf(root: string): string[] {
    return [...(this.dependencies.get(root) ?? [])];
  }

  /** Every finding in `file`, with its root, as the roots' last lints left them. */
  findingsIn(file: string): RootedFinding[] {
    return [...this.contributions].flatMap(([root, byFile]) => (byFile.get(file) ?? []).map((finding) => ({ root: this.pathOf(root), finding })));
  }

  /** The diagnostics of `file`: what every root shown there found in it, a finding two roots share once. */
  diagnosticsOf(file: string): Finding[] {
    const seen = new Set<string>();
    return [...this.contributions]
      .filter(([root]) => this.shows(root, file))
      .flatMap(([, byFile]) => byFile.get(file) ?? [])
      .filter((f) => {
        const key = `${f.rule}\0${f.range.start.line}:${f.range.start.character}\0${f.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
  }

  /** "Lint Workspace" linted `root`: it stays in Problems when closed, and follows changes on disk. */
  addWorkspaceRoot(root: string): void {
    this.workspaceRoots.add(root);
  }

  isWorkspaceRoot(root: string): boolean {
    return this.workspaceRoots.has(root);
  }

  /** The user asked to lint `root` despite its size ("Lint This File Anyway"), until it is closed. */
  force(root: string, on = true): void {
    if (on) this.forcedRoots.add(root);
    else this.forcedRoots.delete(root);
  }

  isForced(root: string): boolean {
    return this.forcedRoots.has(root);
  }

  /** Note what was published for `file`; returns whether it had diagnostics published before. */
  published(file: string, count: number): boolean {
    const had = this.publishedFiles.has(file);
    if (count > 0) this.publishedFiles.add(file);
    else this.publishedFiles.delete(file);
    return had;
  }

  /** Were diagnostics (at least one) last published for `file`? */
  hasPublished(file: string): boolean {
    return this.publishedFiles.has(file);
  }
}
