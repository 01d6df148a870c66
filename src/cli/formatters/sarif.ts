import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDoc, ruleDocUrl, ruleSummary } from '../../core/docs';
import type { BaselineEntry, BaselineState } from '../../core/baseline';
import type { Finding, Severity } from '../../shared/types';
import { isRemoteRef } from '../../openapi/refs';

const LEVEL: Record<Severity, string> = { error: 'error', warn: 'warning', info: 'note', hint: 'note' };

/** A run against a baseline: each finding's state (SARIF `baselineState`) and the recorded findings now gone. */
export interface SarifBaseline {
  states: BaselineState[];
  absent: BaselineEntry[];
  /** The baseline file's folder (absent findings' files are relative to it). */
  baseDir: string;
}

/**
 * SARIF 2.1.0 (as read by GitHub code scanning): one run, rules with help text from the rule docs.
 * `helpUri` is the team's `homepage` for the docs when given, else the doc shipped in the package.
 */
export function formatSarif(findings: Finding[], cwd: string, version: string, homepage?: string, baseline?: SarifBaseline): string {
  const ruleIds = [...new Set([...findings.map((f) => f.rule), ...(baseline?.absent ?? []).map((e) => e.rule)])].sort();
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
  const artifact = (file: string) => {
    if (isRemoteRef(file)) return { uri: file };
    const rel = relative(cwd, file);
    return rel && !rel.startsWith('..') ? { uri: rel.split('\\').join('/'), uriBaseId: '%SRCROOT%' } : { uri: pathToFileURL(file).href };
  };
  const results: object[] = findings.map((f, i) => {
    const rel = relative(cwd, f.file);
    const uri = isRemoteRef(f.file) ? f.file : rel && !rel.startsWith('..') ? rel.split('\\').join('/') : pathToFileURL(f.file).href;
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
      ...(baseline ? { baselineState: baseline.states[i] } : {}),
    };
  });
  for (const e of baseline?.absent ?? []) {
    const segments = e.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    results.push({
      ruleId: e.rule,
      ruleIndex: ruleIds.indexOf(e.rule),
      level: LEVEL[e.severity],
      message: { text: e.message },
      locations: [
        {
          physicalLocation: { artifactLocation: artifact(resolve(baseline!.baseDir, e.file)) },
          ...(segments.length ? { logicalLocations: [{ fullyQualifiedName: segments.join('.') }] } : {}),
        },
      ],
      baselineState: 'absent',
    });
  }
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
