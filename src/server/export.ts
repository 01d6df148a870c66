/**
 * The `headroom/export` request: gateway configuration for a spec, computed here so the engine
 * stays out of the extension host. Reads through the server's file overlay, so the unsaved text
 * of an open spec is what gets exported.
 */
import type { Connection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { FileSource } from '../core/files';
import { ExportInputError, ExportOptionError, exportPolicy } from '../export/index';
import { Requests, type ExportPolicyParams, type ExportPolicyReply } from '../shared/settings';

export async function handleExport(params: ExportPolicyParams, files: FileSource, allowRemoteRefs: boolean): Promise<ExportPolicyReply> {
  const file = URI.parse(params.uri).fsPath;
  try {
    const result = await exportPolicy(file, { target: params.target, listen: params.listen, files, allowRemoteRefs });
    return { ok: result.ok, ...(result.text !== undefined ? { text: result.text } : {}), findings: result.findings, notes: result.notes };
  } catch (e) {
    if (!(e instanceof ExportInputError) && !(e instanceof ExportOptionError)) throw e;
    return { ok: false, findings: [], notes: [], error: (e as Error).message };
  }
}

/** `allowRemoteRefs(file)`: trusted, and the setting of the spec's folder allows it. */
export function registerExportRequest(connection: Connection, files: FileSource, allowRemoteRefs: (file: string) => boolean): void {
  connection.onRequest(Requests.exportPolicy, (params: ExportPolicyParams) => handleExport(params, files, allowRemoteRefs(URI.parse(params.uri).fsPath)));
}
