/**
 * The `headroom/export` request: gateway configuration for a spec, computed here so the engine
 * stays out of the extension host. Reads through the server's file overlay, so the unsaved text
 * of an open spec is what gets exported.
 */
import type { Connection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { FileSource } from '../openapi/files';
import type { RefPolicy } from '../openapi/policy';
import { defaultFileName, ExportInputError, ExportOptionError, exportPolicy } from '../export/index';
import { Requests, type ExportPolicyParams, type ExportPolicyReply } from '../shared/settings';

export async function handleExport(params: ExportPolicyParams, files: FileSource, policyFor: (spec: string) => RefPolicy): Promise<ExportPolicyReply> {
  const file = URI.parse(params.uri).fsPath;
  const fileName = defaultFileName(file, params.target);
  try {
    const result = await exportPolicy(file, { target: params.target, listen: params.listen, files, policy: policyFor(file) });
    return { ok: result.ok, ...(result.text !== undefined ? { text: result.text } : {}), fileName, findings: result.findings, notes: result.notes };
  } catch (e) {
    if (!(e instanceof ExportInputError) && !(e instanceof ExportOptionError)) throw e;
    return { ok: false, fileName, findings: [], notes: [], error: (e as Error).message };
  }
}

/** The export reads with the lint's overlay and under the lint's policy (workspace folders, trust, settings). */
export function registerExportRequest(connection: Connection, files: FileSource, policyFor: (spec: string) => RefPolicy): void {
  connection.onRequest(Requests.exportPolicy, (params: ExportPolicyParams) => handleExport(params, files, policyFor));
}
