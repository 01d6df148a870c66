/**
 * The `headroom/export` request: gateway configuration for a spec, computed here so the engine
 * stays out of the extension host. Reads through the server's file overlay, so the unsaved text
 * of an open spec is what gets exported. The reply sets the export's findings against the lint's
 * (what the lint already lists is not listed again) and names the open warnings the config ships.
 */
import type { Connection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { FileSource } from '../openapi/files';
import type { RefPolicy } from '../openapi/policy';
import { defaultFileName, ExportInputError, ExportOptionError, exportPolicy } from '../export/index';
import { outputPath } from '../shared/save';
import { Requests, type ExportPolicyParams, type ExportPolicyReply } from '../shared/settings';
import type { Finding } from '../shared/types';

/** What the export needs of the lint: its current diagnostics of a file, once the lints pending for a document are done. */
export interface LintView {
  settled(uri: string): Promise<void>;
  diagnosticsOf(file: string): Finding[];
  /** Whether the editor has linted this spec (it is open, or Lint Workspace ran). */
  linted?(file: string): boolean;
  /** Lint a spec the editor has not linted (exported from the Explorer), publishing nothing. */
  lintQuietly?(file: string): Promise<Finding[]>;
}

/** Lint warnings an exported config should not ship silently: the gateway would enforce them as they are. */
export function shipsWith(f: Finding): boolean {
  return (f.severity === 'warn' || f.severity === 'error') && (f.rule === 'cache-shared-authenticated' || f.rule.startsWith('ratelimit-policy-'));
}

const sameFinding = (a: Finding, b: Finding) =>
  a.file === b.file && a.rule === b.rule && a.message === b.message &&
  a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character &&
  a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;

export async function handleExport(params: ExportPolicyParams, files: FileSource, policyFor: (spec: string) => RefPolicy, lint?: LintView): Promise<ExportPolicyReply> {
  const file = URI.parse(params.uri).fsPath;
  const fileName = defaultFileName(file, params.target);
  const destination = params.destination ?? outputPath(file, fileName, params.outputDir ?? '', params.folder);
  const none = { fileName, destination, findings: [], unlisted: [], files: [file], warnings: [], notes: [] };
  try {
    const result = await exportPolicy(file, {
      target: params.target,
      listen: params.listen,
      files,
      policy: policyFor(file),
      provenance: params.origin === 'vscode' ? { origin: 'vscode', file: destination } : { origin: 'cli', ...(params.destination ? { file: destination } : {}) },
    });
    // The lint of the spec (and of what it $refs) as it stands for the text just exported.
    await lint?.settled(params.uri);
    const listed = new Map(result.files.map((f) => [f, lint?.diagnosticsOf(f) ?? []]));
    const unlisted = result.findings.filter((f) => !(listed.get(f.file) ?? lint?.diagnosticsOf(f.file) ?? []).some((l) => sameFinding(f, l)));
    // A spec exported unopened has no lint to compare with: its warnings come from a lint run now.
    const fresh = lint?.linted && lint.lintQuietly && !lint.linted(file) ? await lint.lintQuietly(file).catch(() => undefined) : undefined;
    const warnings = (fresh ?? [...listed.values()].flat()).filter(shipsWith);
    return {
      ok: result.ok,
      ...(result.text !== undefined ? { text: result.text } : {}),
      ...(result.stopped !== undefined ? { stopped: result.stopped } : {}),
      fileName,
      destination,
      findings: result.findings,
      unlisted,
      files: result.files,
      warnings,
      notes: result.notes,
    };
  } catch (e) {
    if (!(e instanceof ExportInputError) && !(e instanceof ExportOptionError)) throw e;
    return { ok: false, ...none, error: (e as Error).message };
  }
}

/** The export reads with the lint's overlay and under the lint's policy (workspace folders, trust, settings). */
export function registerExportRequest(connection: Connection, files: FileSource, policyFor: (spec: string) => RefPolicy, lint?: LintView): void {
  connection.onRequest(Requests.exportPolicy, (params: ExportPolicyParams) => handleExport(params, files, policyFor, lint));
}
