/**
 * A file that is not a spec, open on its own (a path item, schemas, shared responses in their
 * own file): linted through the specs of the workspace that `$ref` it, found by the SpecIndex.
 * Each such spec is linted as a root (its findings land in the files they lie in, the fragment's
 * among them; `LintState` merges what several specs found in it, a shared finding once) and is
 * held for the fragment while the fragment is open; closing the fragment lets go of the specs it
 * held, and a spec that is not open (nor kept by "Lint Workspace") is then dropped with its
 * findings, as when a spec is closed. Edits of the fragment re-lint those specs with its unsaved
 * text (the overlay), as for any `$ref`ed file. The fragment's status names the specs, or says
 * that no spec of the workspace `$ref`s it.
 */
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { tally, type LintStatus } from '../shared/settings';
import type { SpecIndex } from './specIndex';
import type { LintState } from './state';

export interface FragmentHost {
  documents: TextDocuments<TextDocument>;
  state: LintState;
  index: SpecIndex;
  pathOf: (uri: string) => string;
  isSpec: (doc: TextDocument) => boolean;
  /** Lint a spec (a URI) through the lint queue. */
  schedule: (uri: string) => Promise<void>;
  /** Stop linting a spec: what a lint of it still running finds is dropped. */
  forget: (uri: string) => void;
  /** The diagnostics of these files may have changed. */
  publish: (files: Iterable<string>) => void;
  sendStatus: (status: LintStatus) => void;
  /** A line for the "Headroom" output. */
  log: (message: string) => void;
  /** "Lint Workspace" keeps this spec (it is not dropped when nothing else holds it). */
  isWorkspaceRoot: (uri: string) => boolean;
}

export class Fragments {
  /** Per spec URI: the open fragments (URIs) it is linted for. */
  private readonly held = new Map<string, Set<string>>();
  /** Per spec URI: how long its last lint took. */
  private readonly lintMs = new Map<string, number>();
  /** Per fragment URI: bumped by each look-up, so an older one that ends later does nothing. */
  private readonly asked = new Map<string, number>();
  /** Per fragment URI: the look-up under way and the lints it started. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly h: FragmentHost) {}

  /** Is the spec `uri` linted for an open fragment? */
  holds(uri: string): boolean {
    return (this.held.get(uri)?.size ?? 0) > 0;
  }

  /**
   * Is what the spec `spec` found in `file` shown? All of it when the spec is open, kept by "Lint
   * Workspace" or linted for no fragment; else only what lies in the fragments it is linted for
   * (opening a path item does not fill Problems with the whole spec's findings).
   */
  shows(spec: string, file: string): boolean {
    const holders = this.held.get(spec);
    if (!holders || holders.size === 0 || this.h.documents.get(spec) || this.h.isWorkspaceRoot(spec)) return true;
    return [...holders].some((h) => this.h.pathOf(h) === file);
  }

  /** Open documents that are not specs. */
  private open(): TextDocument[] {
    return this.h.documents.all().filter((d) => !this.h.isSpec(d));
  }

  private isOpenFragment(uri: string): boolean {
    const doc = this.h.documents.get(uri);
    return doc !== undefined && !this.h.isSpec(doc);
  }

  /**
   * Find the specs that `$ref` the open file `uri` and lint it through them (those already
   * linted with it among their files give their findings at once); its status follows.
   */
  refresh(uri: string): Promise<void> {
    const run = this.lookUp(uri).finally(() => {
      if (this.running.get(uri) === run) this.running.delete(uri);
    });
    this.running.set(uri, run);
    return run;
  }

  /** Resolves once the look-up of `uri` under way, and the lints it started, are done (pulled diagnostics wait for it). */
  settled(uri: string): Promise<void> {
    return this.running.get(uri) ?? Promise.resolve();
  }

  private async lookUp(uri: string): Promise<void> {
    const n = (this.asked.get(uri) ?? 0) + 1;
    this.asked.set(uri, n);
    const file = this.h.pathOf(uri);
    const found = await this.h.index.specsUsing(file);
    if (this.asked.get(uri) !== n || !this.isOpenFragment(uri)) return;
    const wanted = new Set(found.map((p) => URI.file(p).toString()).filter((s) => s !== uri));
    const was = [...this.held].filter(([, holders]) => holders.has(uri)).map(([spec]) => spec);
    if (was.length !== wanted.size || was.some((s) => !wanted.has(s)) || this.asked.get(uri) === 1) {
      this.h.log(
        wanted.size > 0
          ? `${file} is no spec; it is linted through the spec${wanted.size === 1 ? '' : 's'} that $ref it: ${found.filter((p) => p !== file).join(', ')}.`
          : `${file} is no spec, and no spec of the workspace folders $refs it (${this.h.index.specCount} spec${this.h.index.specCount === 1 ? '' : 's'} looked at): not linted.`,
      );
    }
    for (const [spec, holders] of this.held) if (holders.has(uri) && !wanted.has(spec)) this.release(spec, uri);
    const lints: Promise<void>[] = [];
    for (const spec of wanted) {
      const holders = this.held.get(spec) ?? new Set<string>();
      holders.add(uri);
      this.held.set(spec, holders);
      // Linted already, with this file among the ones it read: its findings are in the state.
      if (!this.h.state.has(spec) || !this.h.state.dependenciesOf(spec).includes(file)) lints.push(this.h.schedule(spec));
    }
    // What the specs linted already found in it (nothing is sent for a file that has and had none).
    if (this.h.state.diagnosticsOf(file).length > 0 || this.h.state.hasPublished(file)) this.h.publish([file]);
    if (lints.length === 0) this.sendStatus(uri);
    // Otherwise `linted` sends the status when each lint is done.
    await Promise.all(lints);
  }

  /** The fragment `uri` was closed: let go of the specs it held. */
  closed(uri: string): void {
    this.asked.delete(uri);
    for (const [spec, holders] of this.held) if (holders.has(uri)) this.release(spec, uri);
  }

  /**
   * A lint of the spec `uri` is done: the open fragments among the files it read get their
   * status; one it read before but not now (its `$ref` was removed) is looked up again.
   */
  linted(uri: string, before: readonly string[], after: readonly string[], ms: number): void {
    this.lintMs.set(uri, ms);
    const now = new Set(after);
    const then = new Set(before);
    const held = this.held.get(uri);
    for (const doc of this.h.documents.all()) {
      if (doc.uri === uri) continue;
      const file = this.h.pathOf(doc.uri);
      // Only the files it read, reads no more or was held for; then only those that are no spec (a scan of the text).
      const reads = now.has(file);
      if (!reads && !then.has(file) && !held?.has(doc.uri)) continue;
      if (this.h.isSpec(doc)) continue;
      if (reads) this.sendStatus(doc.uri);
      else void this.refresh(doc.uri);
    }
  }

  /** Files changed on disk, or settings, trust or folders: look every open fragment up again. */
  refreshAll(): void {
    for (const doc of this.open()) void this.refresh(doc.uri);
  }

  private release(spec: string, fragment: string): void {
    const holders = this.held.get(spec);
    holders?.delete(fragment);
    if (holders && holders.size > 0) {
      this.h.publish([this.h.pathOf(fragment)]); // the others' fragments keep it; this one no longer shows it
      return;
    }
    this.held.delete(spec);
    if (this.h.documents.get(spec) || this.h.isWorkspaceRoot(spec) || !this.h.state.has(spec)) return;
    this.h.forget(spec);
    this.h.publish(this.h.state.drop(spec));
  }

  /** The status of the open fragment `uri`, from what the specs' last lints found in it. */
  private sendStatus(uri: string): void {
    if (!this.isOpenFragment(uri)) return;
    const file = this.h.pathOf(uri);
    const specs = this.h.state.rootsUsing(file).filter((s) => s !== uri);
    const findings = this.h.state.diagnosticsOf(file);
    this.h.sendStatus({
      uri,
      ...tally(findings, file), // all of them in the fragment: none in files it $refs
      ms: Math.max(0, ...specs.map((s) => this.lintMs.get(s) ?? 0)),
      fragment: { specs: specs.map((s) => this.h.pathOf(s)).sort(), specsInWorkspace: this.h.index.specCount },
    });
  }
}
