/**
 * JUnit XML, as CI systems read test reports (GitLab, Jenkins, Azure Pipelines, CircleCI): one
 * test suite per linted file, one test case per finding. Findings at or above `--fail-severity`
 * are failures (the run's exit code says the same); the others are passing test cases whose
 * output holds the finding. A file without findings is one passing test case, so it is listed.
 */
import { SEVERITY_ORDER, type Finding, type Severity } from '../../shared/types';
import { shownPath } from './shownPath';

/** XML 1.0 text and attribute values: the five entities, and no character XML cannot hold. */
function xml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const LABEL: Record<Severity, string> = { error: 'error', warn: 'warning', info: 'info', hint: 'hint' };

/** `files`: every file linted, in order (the roots, and the files they `$ref` where findings lie). */
export function formatJunit(findings: Finding[], files: string[], cwd: string, failSeverity: Severity): string {
  const order = [...new Set([...files, ...findings.map((f) => f.file)])];
  const fails = (f: Finding) => SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[failSeverity];
  const suites = order.map((file) => {
    const name = shownPath(file, cwd);
    const own = findings.filter((f) => f.file === file);
    const failures = own.filter(fails).length;
    const cases =
      own.length === 0
        ? [`    <testcase name="headroom" classname="${xml(name)}"/>`]
        : own.map((f) => {
            const where = `${name}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
            const detail = `${where} ${LABEL[f.severity]} ${f.rule}: ${f.message}${f.path.length ? `\nat ${f.path.join('.')}` : ''}`;
            const body = fails(f)
              ? `      <failure message="${xml(f.message)}" type="${LABEL[f.severity]}">${xml(detail)}</failure>`
              : `      <system-out>${xml(detail)}</system-out>`;
            return `    <testcase name="${xml(`${f.rule} at ${f.range.start.line + 1}:${f.range.start.character + 1}`)}" classname="${xml(name)}">\n${body}\n    </testcase>`;
          });
    return `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const tests = order.reduce((n, file) => n + Math.max(1, findings.filter((f) => f.file === file).length), 0);
  const failures = findings.filter(fails).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="headroom" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`;
}
