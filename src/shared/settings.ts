/**
 * The extension's settings, one definition for both sides: the client reads them from VS Code and
 * sends them with every request; the server never guesses a shape.
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
  baseline: '',
  knownFindings: 'hint',
};

/** Initialization options the client passes to the server. */
export interface InitOptions {
  settings: HeadroomSettings;
  /** Workspace trust: untrusted workspaces load no ruleset JavaScript and fetch no remote `$ref`. */
  trusted: boolean;
}

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

export type ExportTarget = 'kong' | 'nginx' | 'haproxy';

export interface ExportPolicyParams {
  uri: string;
  target: ExportTarget;
  /** Where the NGINX / HAProxy front end listens, `ADDR:PORT`. */
  listen: string;
}

export interface ExportPolicyReply {
  /** False when annotation errors stopped the export (`findings` says where); nothing to save then. */
  ok: boolean;
  text?: string;
  /** The default file name, e.g. `petstore.nginx.conf`. */
  fileName: string;
  /** Errors, and what was read leniently or skipped; `file` is a path. */
  findings: Finding[];
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
  /** Why fixing stopped early, if it did. */
  stopped?: string;
}

export const Notifications = {
  /** Server → client, after each lint: {uri, count, errors, warnings, ms, skippedTooLarge?} */
  status: 'headroom/status',
  /** Client → server: trust or settings changed: InitOptions */
  configure: 'headroom/configure',
} as const;

export interface LintStatus {
  uri: string;
  count: number;
  errors: number;
  warnings: number;
  ms: number;
  /** Set when the file was not linted because of its size (MB). */
  skippedTooLargeMB?: number;
  /** Set when the file is not OpenAPI. */
  notOpenApi?: boolean;
}
