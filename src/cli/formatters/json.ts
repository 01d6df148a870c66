import type { Finding } from '../../shared/types';

/** Machine output: an array of {file, rule, severity, message, path, range} with 0-based positions. */
export function formatJson(findings: Finding[]): string {
  return JSON.stringify(
    findings.map((f) => ({ file: f.file, rule: f.rule, severity: f.severity, message: f.message, path: f.path, range: f.range })),
    null,
    2,
  ) + '\n';
}
