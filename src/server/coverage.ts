/**
 * The `headroom/coverage` request: the governance coverage of a spec (src/core/coverage) and its
 * page for the editor's coverage view, computed here so the engine stays out of the extension
 * host. Lints through the server's overlay, so the unsaved text is what the view shows.
 */
import { dirname } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { renderCoverageHtml } from '../core/coverage/html';
import { computeCoverage } from '../core/coverage/model';
import { LintInputError } from '../core/engine';
import { RulesetError } from '../core/ruleset';
import { HEADROOM_VERSION } from '../shared/version';
import { Requests, type CoverageParams, type CoverageReply } from '../shared/settings';
import type { Linter } from './linter';

export async function handleCoverage(params: CoverageParams, linter: Linter): Promise<CoverageReply> {
  const file = URI.parse(params.uri).fsPath;
  const base = linter.folderOf(file) ?? dirname(file);
  try {
    const report = computeCoverage(await linter.lint(file), { base, version: HEADROOM_VERSION });
    const nonce = /^[A-Za-z0-9+/=]{16,}$/.test(params.nonce) ? params.nonce : undefined;
    if (nonce === undefined) return { error: 'the coverage view needs a nonce of at least 16 base64 characters' };
    return { report, base, html: renderCoverageHtml(report, { webview: { nonce } }) };
  } catch (e) {
    if (e instanceof RulesetError) return { error: `Ruleset not loaded: ${e.message}` };
    if (e instanceof LintInputError) return { error: e.message };
    throw e;
  }
}

export function registerCoverageRequest(connection: Connection, linter: Linter): void {
  connection.onRequest(Requests.coverage, (params: CoverageParams) => handleCoverage(params, linter));
}
