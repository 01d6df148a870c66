/**
 * The settings and the custom protocol, one definition for both sides. The server reads the
 * settings per workspace folder (`workspace/configuration`, section `headroom`, scoped to the
 * folder) from any LSP client, else takes them from `initializationOptions`; whatever a client
 * sends goes through `settingsFrom`, so a missing or mistyped value is its default, never a crash.
 */
import type { CoverageReport } from './coverage';
import type { Finding } from './types';

export type { CoverageReport, OperationCoverage } from './coverage';

export interface HeadroomSettings {
  lint: {
    /** Lint as you type, or only when the file is saved. */
    run: 'onType' | 'onSave';
    /** Quiet time after the last edit before linting, in ms. */
    debounceMs: number;
    /** Files above this size (MB) are not linted as you type. */
    maxFileSizeMB: number;
  };
  /** A ruleset file used when no `.spectral.*` is found near the spec ('' = headroom:recommended). */
  ruleset: string;
  /** Fetch `http(s)` `$ref`s (never in an untrusted workspace). */
  allowRemoteRefs: boolean;
  /** Read `$ref`ed files outside the workspace folders. */
  allowRefsOutsideWorkspace: boolean;
  /**
   * Where the team publishes the rule docs, for the links in diagnostics: a URL with `{rule}` in
   * it, or a base the rule id and `.md` are appended to. Empty: the docs shipped with Headroom.
   */
  homepage: string;
  /** Baseline file (relative to the workspace folder, or absolute); '' = `.headroom-baseline.json` there when present. */
  baseline: string;
  /** Findings recorded in the baseline: shown as hints, or hidden. */
  knownFindings: 'hint' | 'hide';
}

export const DEFAULT_SETTINGS: HeadroomSettings = {
  lint: { run: 'onType', debounceMs: 200, maxFileSizeMB: 25 },
  ruleset: '',
  allowRemoteRefs: false,
  allowRefsOutsideWorkspace: false,
  homepage: '',
  baseline: '',
  knownFindings: 'hint',
};

/**
 * Settings from whatever a client sent (a `workspace/configuration` answer, `initializationOptions`,
 * `workspace/didChangeConfiguration`): each value of the right type is taken, anything else is
 * `base`'s. Numbers below 0 are 0.
 */
export function settingsFrom(raw: unknown, base: HeadroomSettings = DEFAULT_SETTINGS): HeadroomSettings {
  const o = isObject(raw) ? raw : {};
  const lint = isObject(o.lint) ? o.lint : {};
  const number = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(0, v) : d);
  const string = (v: unknown, d: string) => (typeof v === 'string' ? v : d);
  const boolean = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  return {
    lint: {
      run: lint.run === 'onType' || lint.run === 'onSave' ? lint.run : base.lint.run,
      debounceMs: number(lint.debounceMs, base.lint.debounceMs),
      maxFileSizeMB: number(lint.maxFileSizeMB, base.lint.maxFileSizeMB),
    },
    ruleset: string(o.ruleset, base.ruleset),
    allowRemoteRefs: boolean(o.allowRemoteRefs, base.allowRemoteRefs),
    allowRefsOutsideWorkspace: boolean(o.allowRefsOutsideWorkspace, base.allowRefsOutsideWorkspace),
    homepage: string(o.homepage, base.homepage),
    baseline: string(o.baseline, base.baseline),
    knownFindings: o.knownFindings === 'hint' || o.knownFindings === 'hide' ? o.knownFindings : base.knownFindings,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `initializationOptions` (all optional; editors other than VS Code set them in their LSP config).
 * `settings` (or `headroom`) are used when the client does not answer `workspace/configuration`.
 */
export interface InitOptions {
  settings?: Partial<HeadroomSettings>;
  headroom?: Partial<HeadroomSettings>;
  /**
   * Trust the workspace: load a ruleset's JavaScript functions, and allow what `allowRemoteRefs`
   * and `allowRefsOutsideWorkspace` ask for. Default false (VS Code sends its workspace trust).
   */
  trusted?: boolean;
  /**
   * `push` (the default for clients without pull support): the server sends
   * `textDocument/publishDiagnostics`. `pull`: documents the client has open are served through
   * `textDocument/diagnostic` when the client supports it; other files are still pushed.
   */
  diagnostics?: 'push' | 'pull';
  /** Send `headroom/status` after each lint (the VS Code status bar); off for other clients. */
  status?: boolean;
  /**
   * The most problems per file the client shows (VS Code: 1,000; it drops the rest and adds a
   * note). The server then sends no more than that: the ones the client would keep, and the note
   * itself. Default: no limit, every finding is sent.
   */
  maxDiagnosticsPerFile?: number;
}

/**
 * VS Code keeps at most 1,000 diagnostics per file from an extension (errors first, then
 * warnings, information, hints) and replaces the rest by one "Not showing N further errors and
 * warnings." (its extHostDiagnostics.ts). The client asks the server to send no more
 * (InitOptions.maxDiagnosticsPerFile); the status bar and the coverage view say when a file has more.
 */
export const VSCODE_PROBLEMS_PER_FILE = 1000;

/** Custom protocol between client and server. */
export const Requests = {
  /** Lint every OpenAPI file under the workspace folders; params: {uris: string[]} */
  lintFiles: 'headroom/lintFiles',
  /** Lint one file even if it is over the size limit; params: {uri} */
  lintAnyway: 'headroom/lintAnyway',
  /** Apply every preferred fix to a file, to a fixpoint; params: {uri}; result: FixAllSummary */
  fixAll: 'headroom/fixAll',
  /** Gateway configuration from a spec (its unsaved text counts); params: ExportPolicyParams; result: ExportPolicyReply */
  exportPolicy: 'headroom/export',
  /** The running server process; result: ServerInfo (the extension's API and its tests use it). */
  serverInfo: 'headroom/serverInfo',
  /** Governance coverage of a spec (its unsaved text counts); params: CoverageParams; result: CoverageReply */
  coverage: 'headroom/coverage',
} as const;

export interface ServerInfo {
  pid: number;
  /** V8 heap in use and resident set, in bytes (after a full GC when the server runs with --expose-gc, as the keystroke bench does). */
  heapUsed: number;
  rss: number;
}

export type ExportTarget = 'kong' | 'nginx' | 'haproxy' | 'envoy-gateway';

export interface ExportPolicyParams {
  uri: string;
  target: ExportTarget;
  /** Where the NGINX / HAProxy front end listens, `ADDR:PORT`. */
  listen: string;
  /**
   * Who asks: 'vscode' gets a header that says how to regenerate the file with the VS Code
   * command; anything else (other editors) the `headroom export` command line. Default 'cli'.
   */
  origin?: 'cli' | 'vscode';
  /** The absolute path the config will be saved to (its header's run command names it)... */
  destination?: string;
  /** ...or, without it, the default destination: `headroom.export.outputDir` ('' = next to the spec)... */
  outputDir?: string;
  /** ...relative to this workspace folder (a path). */
  folder?: string;
}

export interface ExportPolicyReply {
  /** False when errors stopped the export (`findings` says where, `stopped` why); nothing to save then. */
  ok: boolean;
  text?: string;
  /** The default file name, e.g. `petstore.nginx.conf`. */
  fileName: string;
  /** Where `text` is meant to be saved (its header names it): `destination`, or the default destination. */
  destination: string;
  /** Why the export stopped, naming the kind of error: "the spec has 2 syntax errors". */
  stopped?: string;
  /** Every error, and what was read leniently or skipped; `file` is a path. */
  findings: Finding[];
  /**
   * The findings not already in the lint's diagnostics (the same rule, range and message in the
   * same file): the only ones a client should show for the export, until the file is linted again.
   */
  unlisted: Finding[];
  /** The files the export read: the spec and the files it `$ref`s (paths). */
  files: string[];
  /**
   * Open lint warnings the exported config ships with: `cache-shared-authenticated` and
   * `ratelimit-policy-*` findings in those files, as their last lint left them.
   */
  warnings: Finding[];
  /** What the target approximates or cannot express (also in the file's header). */
  notes: string[];
  /** Set when the export could not run at all (unreadable file, bad listen address). */
  error?: string;
}

export interface CoverageParams {
  uri: string;
  /** The nonce the page's Content Security Policy allows its inline style and script with. */
  nonce: string;
}

export interface CoverageReply {
  /** The coverage view's page (src/core/coverage/html.ts, webview flavour). */
  html?: string;
  report?: CoverageReport;
  /** The folder the report's file names are relative to. */
  base?: string;
  /** Why there is no report (unreadable file, ruleset error). */
  error?: string;
}

/** What "Fix All in File" did. */
export interface FixAllSummary {
  /** Findings a fix was applied for. */
  fixed: number;
  /** Files edited (the spec, and files it `$ref`s when components or findings live there). */
  files: number;
  /** Findings of the file left after the fixes. */
  remaining: number;
  /**
   * Findings whose quick fix is a suggestion, which Fix All leaves to the user (it would write a
   * number the spec does not state, or a parameter, header or response the API may not have):
   * per rule and reason, most first. The light bulb still offers each, values as tab stops.
   */
  left: FixAllLeft[];
  /** Why fixing stopped early, if it did. */
  stopped?: string;
}

export interface FixAllLeft {
  rule: string;
  reason: string;
  count: number;
  /** True: the fix would invent a value, and the light bulb offers it; false: the fix cannot be applied here (the reason says why). */
  suggestion: boolean;
}

/**
 * "3 left as suggestions for the light bulb (ratelimit-policy-declared 1: …; pagination-required 2: …);
 * 2 not fixed (auth-401-response 2: …)": one line for people.
 */
export function describeLeft(left: FixAllLeft[]): string {
  const part = (list: FixAllLeft[], what: (n: number) => string) => {
    const total = list.reduce((n, l) => n + l.count, 0);
    return total === 0 ? [] : [`${total} ${what(total)} (${list.map((l) => `${l.rule} ${l.count}: ${l.reason}`).join('; ')})`];
  };
  return [
    ...part(left.filter((l) => l.suggestion), (n) => `left as suggestion${n === 1 ? '' : 's'} for the light bulb`),
    ...part(left.filter((l) => !l.suggestion), () => 'not fixed'),
  ].join('; ');
}

export const Notifications = {
  /** Server → client, after each lint: {uri, count, errors, warnings, ms, skippedTooLarge?} */
  status: 'headroom/status',
  /** Client → server: workspace trust changed: {trusted: boolean} (settings come with workspace/didChangeConfiguration). */
  configure: 'headroom/configure',
  /**
   * Client → server: tabs opened on files whose text the editor has not sent yet, and such tabs
   * closed before it did: TabsParams. The server lints those files from disk meanwhile.
   */
  tabs: 'headroom/tabs',
} as const;

export interface TabsParams {
  opened: string[];
  closed: string[];
}

export interface LintStatus {
  uri: string;
  /** Findings of this spec's lint: the spec's own and those in the files it `$ref`s. */
  count: number;
  /** How many of `count` lie in `$ref`ed files. */
  inReferenced: number;
  errors: number;
  warnings: number;
  ms: number;
  /** Set when the file was not linted because of its size (MB). */
  skippedTooLargeMB?: number;
  /**
   * Set for a file that is not a spec itself (a `$ref`ed fragment): it is linted through the
   * specs of the workspace that `$ref` it, and `count`, `errors`, `warnings` are the findings
   * those lints put in it (a finding two specs share counted once).
   */
  fragment?: FragmentStatus;
}

/** The counts a status gives for the findings of `file`'s lint (those elsewhere lie in files it `$ref`s). */
export function tally(findings: readonly Finding[], file: string): Pick<LintStatus, 'count' | 'inReferenced' | 'errors' | 'warnings'> {
  let inReferenced = 0;
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.file !== file) inReferenced++;
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warn') warnings++;
  }
  return { count: findings.length, inReferenced, errors, warnings };
}

export interface FragmentStatus {
  /** The specs (paths) the file was linted through; empty: no spec of the workspace `$ref`s it. */
  specs: string[];
  /** How many specs the workspace folders hold (looked at for `$ref`s to the file). */
  specsInWorkspace: number;
}
