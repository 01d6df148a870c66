import type { Finding, Severity } from '../../shared/types';
import { oneLine } from './visible';
import { shownPath } from './shownPath';

const LABEL: Record<Severity, string> = { error: 'error', warn: 'warning', info: 'info', hint: 'hint' };

/** Human output, grouped by file, 1-based line:column like other linters' terminal output. */
export function formatStylish(findings: Finding[], cwd: string, summary: boolean): string {
  const out: string[] = [];
  let current: string | undefined;
  for (const f of findings) {
    if (f.file !== current) {
      if (current !== undefined) out.push('');
      current = f.file;
      out.push(oneLine(shownPath(f.file, cwd)));
    }
    const pos = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
    out.push(`  ${pos.padEnd(8)} ${LABEL[f.severity].padEnd(8)} ${f.rule.padEnd(28)} ${oneLine(f.message)}${f.path.length ? `  ${oneLine(f.path.join('.'))}` : ''}`);
  }
  if (summary) {
    const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
    if (out.length > 0) out.push('');
    out.push(
      findings.length === 0
        ? 'No problems found.'
        : `${findings.length} problem${findings.length === 1 ? '' : 's'} (${count('error')} errors, ${count('warn')} warnings, ${count('info')} infos, ${count('hint')} hints)`,
    );
  }
  return out.join('\n') + '\n';
}
