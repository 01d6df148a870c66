/**
 * Code actions for Headroom's diagnostics: quick fixes (`quickfix`, the obvious one preferred),
 * "Ignore <rule> for this operation / in this file", `source.fixAll.headroom` for
 * `editor.codeActionsOnSave`, and the "Fix All in File" request. The fixes themselves come from
 * src/core/fixes; this file only speaks LSP. Quick fixes are listed cheaply and their edits
 * computed when one is picked (codeAction/resolve), so moving the cursor never parses a big spec.
 */
import {
  CodeActionKind,
  ErrorCodes,
  ResponseError,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type TextDocumentEdit,
  type TextDocuments,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { applyOffer, fixAll, FixWorkspace, hasFix, LineIndex, offersFor, summariseLeft, type FileEdits, type Offer } from '../core/fixes';
import { fixToFixpoint, ruleOptionsOf } from '../core/fixes/fixpoint';
import type { ParseCache } from '../core/fixes/model';
import type { Finding } from '../shared/types';
import { Requests, type FixAllSummary } from '../shared/settings';
import type { Linter } from './linter';
import type { RootedFinding } from './state';

export const FIX_ALL_KIND = 'source.fixAll.headroom';

interface ActionData {
  root: string;
  finding: Finding;
  offer: Offer;
}

/** Parsed files kept for the next request (the spec being edited); a few, big specs are big. */
const CACHE_FILES = 6;
/** Above this size a spec is parsed for quick-fix titles only when a parse of its text is cached. */
const TITLE_PARSE_LIMIT = 2 * 1024 * 1024;

export class CodeActions {
  private snippets = false;
  private resolveEdits = false;
  /** The client applies `documentChanges` (versioned edits); else plain `changes` by URI, which every client applies. */
  private documentChanges = false;
  private readonly cache: ParseCache = new Map();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly linter: Linter,
    /** Findings currently published for a file, with the root each came from. */
    private readonly findingsIn: (file: string) => RootedFinding[],
  ) {
    connection.onCodeAction((params) => this.actions(params));
    connection.onCodeActionResolve((action) => this.resolve(action));
    connection.onRequest(Requests.fixAll, (params: { uri?: unknown } | null) =>
      typeof params?.uri === 'string' && params.uri.startsWith('file:') ? this.fixAllInFile(params.uri) : new ResponseError(ErrorCodes.InvalidParams, 'headroom/fixAll takes {uri}: the file: URI of a linted document'),
    );
  }

  /** The `codeActionProvider` capability, noting what this client supports. */
  capability(client: ClientCapabilities) {
    this.snippets = (client.workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined)?.snippetEditSupport === true;
    this.resolveEdits = client.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') ?? false;
    this.documentChanges = client.workspace?.workspaceEdit?.documentChanges === true;
    return { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true };
  }

  private actions(params: CodeActionParams): CodeAction[] {
    const file = URI.parse(params.textDocument.uri).fsPath;
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const out: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const diagnostic of params.context.diagnostics) {
        const rooted = this.findingOf(file, diagnostic);
        if (!rooted) continue;
        // With the document (parsed once per text, kept in the cache) a title states the values its
        // edit writes; a big spec is not parsed for a cursor move (its titles name what is written).
        const ws = this.parsedCheaply(rooted.root) && this.parsedCheaply(rooted.finding.file) ? this.workspace(rooted.root) : undefined;
        const offers = (ws && this.guard(() => offersFor(rooted.finding, { ws }))) ?? offersFor(rooted.finding);
        for (const offer of offers) {
          const action: CodeAction = {
            title: offer.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            ...(offer.preferred ? { isPreferred: true } : {}),
            data: { root: rooted.root, finding: rooted.finding, offer } satisfies ActionData,
          };
          if (this.resolveEdits) out.push(action);
          else {
            const resolved = this.resolve(action);
            if (resolved.edit) out.push(resolved);
          }
        }
      }
    }
    // Source actions only when asked for (the Source Action menu, codeActionsOnSave).
    if (only && wants(FIX_ALL_KIND)) {
      const fixAllAction = this.fixAllAction(file);
      if (fixAllAction) out.push(fixAllAction);
    }
    return out;
  }

  private resolve(action: CodeAction): CodeAction {
    const data = action.data as ActionData | undefined;
    if (!data?.offer || action.edit) return action;
    const ws = this.workspace(data.root);
    const fix = ws && this.guard(() => applyOffer(data.finding, data.offer, ws));
    if (fix) action.edit = this.workspaceEdit(fix.edits, this.snippets);
    return action;
  }

  /** One edit with the preferred fix of every finding in the file (one parse, one plan). */
  private fixAllAction(file: string): CodeAction | undefined {
    const byRoot = new Map<string, Finding[]>();
    for (const { root, finding } of this.findingsIn(file)) byRoot.set(root, [...(byRoot.get(root) ?? []), finding]);
    const edits: FileEdits = new Map();
    let fixed = 0;
    let left = 0;
    let refused = 0;
    let unfixable = 0;
    for (const [root, findings] of byRoot) {
      const ws = this.workspace(root);
      const plan = ws && this.guard(() => fixAll(findings, ws));
      if (!plan) continue;
      for (const [f, e] of plan.edits) if (!edits.has(f)) edits.set(f, e);
      fixed += plan.fixed.length;
      left += plan.left.filter((l) => l.suggestion).length;
      refused += plan.left.filter((l) => !l.suggestion && !l.late).length;
      unfixable += findings.filter((f) => !hasFix(f)).length;
    }
    if (edits.size === 0) return undefined;
    const suggestions = left > 0 ? `; ${left} suggestion${left === 1 ? '' : 's'} left for the light bulb` : '';
    // Fixes that cannot apply here (a node a YAML alias shares, a file that does not parse cleanly).
    const cannot = refused > 0 ? `; ${refused} that cannot be fixed here` : '';
    const none = unfixable > 0 ? `; ${unfixable} with no quick fix` : '';
    return { title: `Fix all Headroom findings (${fixed}${suggestions}${cannot}${none})`, kind: FIX_ALL_KIND, edit: this.workspaceEdit(edits, false) };
  }

  /**
   * "Headroom: Fix All in File": fix, lint, fix again until nothing changes, then apply one edit.
   * On a spec (a root), its `$ref`ed files are fixed too: their findings are the spec's; on a
   * fragment, only the fragment.
   */
  private async fixAllInFile(uri: string): Promise<FixAllSummary> {
    const file = URI.parse(uri).fsPath;
    // A file the server has linted (open, or linted through a spec): nothing else is read.
    if (this.findingsIn(file).length === 0) return { fixed: 0, files: 0, remaining: 0, left: [] };
    const root = this.findingsIn(file)[0]?.root ?? file;
    const mine = (f: Finding) => root === file || f.file === file;
    const loaded = this.guard(() => this.linter.rulesetFor(root));
    if (!loaded) return { fixed: 0, files: 0, remaining: this.findingsIn(file).length, left: [], stopped: 'the ruleset could not be loaded (see the Headroom output)' };
    const run = await fixToFixpoint(root, loaded, { files: this.linter.files, policyFor: this.linter.policyFor, only: mine });
    const edits: FileEdits = new Map([...run.files].map(([f, x]) => [f, x.edits]));
    let stopped = run.stopped;
    if (edits.size > 0) {
      const result = await this.connection.workspace.applyEdit({ label: 'Headroom: Fix All in File', edit: this.workspaceEdit(edits, false) });
      if (!result.applied) stopped = result.failureReason ?? 'the editor did not apply the edit (the file changed meanwhile?)';
    }
    return {
      fixed: [...run.fixedByRule.values()].reduce((a, b) => a + b, 0),
      files: edits.size,
      remaining: run.after.filter(mine).length,
      left: summariseLeft(run.left.filter(({ finding }) => mine(finding))),
      ...(stopped ? { stopped } : {}),
    };
  }

  /** The finding behind a diagnostic: the one published (its root known), else rebuilt from the diagnostic. */
  private findingOf(file: string, d: Diagnostic): RootedFinding | undefined {
    if (d.source !== 'headroom' || typeof d.code !== 'string') return undefined;
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    const known = this.findingsIn(file);
    const hit = known.find(
      ({ finding: f }) => f.rule === d.code && f.message === message && f.range.start.line === d.range.start.line && f.range.start.character === d.range.start.character,
    );
    if (hit) return hit;
    const path = (d.data as { path?: (string | number)[] } | undefined)?.path;
    if (!Array.isArray(path)) return undefined;
    return { root: known[0]?.root ?? file, finding: { file, rule: d.code, severity: 'warn', message, path, range: d.range } };
  }

  /** A file small enough to parse while the cursor moves, or already parsed as it is. */
  private parsedCheaply(file: string): boolean {
    if ((this.linter.files.size(file) ?? 0) <= TITLE_PARSE_LIMIT) return true;
    const cached = this.cache.get(file);
    return cached !== undefined && cached.text === this.linter.files.read(file);
  }

  private workspace(root: string): FixWorkspace | undefined {
    const loaded = this.guard(() => this.linter.rulesetFor(root));
    if (!loaded) return undefined;
    return new FixWorkspace({
      rootFile: root,
      policy: this.linter.policyFor(root),
      read: (f) => {
        const text = this.linter.files.read(f);
        // Keep the most recently used parses only.
        const cached = this.cache.get(f);
        if (cached) {
          this.cache.delete(f);
          this.cache.set(f, cached);
        }
        while (this.cache.size > CACHE_FILES) this.cache.delete(this.cache.keys().next().value!);
        return text;
      },
      ruleOptions: ruleOptionsOf(loaded, root),
      cache: this.cache,
    });
  }

  private workspaceEdit(edits: FileEdits, snippets: boolean): WorkspaceEdit {
    const documentChanges: TextDocumentEdit[] = [];
    const changes: Record<string, TextEdit[]> = {};
    for (const [file, list] of edits) {
      const uri = URI.file(file).toString();
      const open = this.documents.get(uri);
      const text = open?.getText() ?? this.linter.files.read(file);
      if (typeof text !== 'string') continue;
      const lines = new LineIndex(text);
      if (!this.documentChanges) {
        changes[uri] = list.map((e) => ({ range: lines.range(e.start, e.end), newText: e.newText }));
        continue;
      }
      documentChanges.push({
        textDocument: { uri, version: open?.version ?? null },
        edits: list.map((e) =>
          snippets && e.snippet !== undefined
            ? { range: lines.range(e.start, e.end), snippet: { kind: 'snippet', value: e.snippet } }
            : { range: lines.range(e.start, e.end), newText: e.newText },
        ),
      });
    }
    return this.documentChanges ? { documentChanges } : { changes };
  }

  /** A fix that throws must not take the server down: log it, offer nothing. */
  private guard<T>(work: () => T): T | undefined {
    try {
      return work();
    } catch (e) {
      this.connection.console.error(`Headroom fixes: ${(e as Error)?.stack ?? String(e)}`);
      return undefined;
    }
  }
}
