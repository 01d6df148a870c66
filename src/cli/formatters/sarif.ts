import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDoc, ruleDocUrl, ruleSummary } from '../../core/docs';
import type { Finding, Severity } from '../../shared/types';

const LEVEL: Record<Severity, string> = { error: 'error', warn: 'warning', info: 'note', hint: 'note' };

/**
 * SARIF 2.1.0 (as read by GitHub code scanning): one run, rules with help text from the rule docs.
 * `helpUri` is the team's `homepage` for the docs when given, else the doc shipped in the package.
 */
export function formatSarif(findings: Finding[], cwd: string, version: string, homepage?: string): string {
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const rules = ruleIds.map((id) => {
    const doc = ruleDoc(id);
    const summary = doc ? ruleSummary(doc) : id;
    const helpUri = ruleDocUrl(id, homepage);
    return {
      id,
      shortDescription: { text: summary },
      ...(doc ? { fullDescription: { text: summary }, help: { text: doc, markdown: doc } } : {}),
      ...(helpUri ? { helpUri } : {}),
    };
  });
  const results = findings.map((f) => {
    const rel = relative(cwd, f.file);
    const uri = rel && !rel.startsWith('..') ? rel.split('\\').join('/') : pathToFileURL(f.file).href;
    return {
      ruleId: f.rule,
      ruleIndex: ruleIds.indexOf(f.rule),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri, ...(rel && !rel.startsWith('..') ? { uriBaseId: '%SRCROOT%' } : {}) },
            region: {
              startLine: f.range.start.line + 1,
              startColumn: f.range.start.character + 1,
              endLine: f.range.end.line + 1,
              endColumn: f.range.end.character + 1,
            },
          },
          ...(f.path.length ? { logicalLocations: [{ fullyQualifiedName: f.path.join('.') }] } : {}),
        },
      ],
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Headroom', version, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd + '/').href } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
