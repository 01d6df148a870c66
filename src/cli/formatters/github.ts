/**
 * GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding, which
 * the runner turns into an annotation on the file and lines of the pull request's diff.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
import type { Finding, Severity } from '../../shared/types';
import { visible } from './visible';
import { shownPath } from './shownPath';

const COMMAND: Record<Severity, string> = { error: 'error', warn: 'warning', info: 'notice', hint: 'notice' };

/** A message: `%`, CR and LF are escaped (the runner unescapes them); other control characters are shown as escapes. */
const escapeData = (s: string) => visible(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A property value: also `:` and `,`, which separate properties. */
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** Paths are relative to `cwd` (the checkout in a workflow), as the annotations need them, with `/`. */
export function formatGithub(findings: Finding[], cwd: string): string {
  return findings
    .map((f) => {
      const file = shownPath(f.file, cwd);
      const { start, end } = f.range;
      const props = [
        `file=${escapeProperty(file)}`,
        `line=${start.line + 1}`,
        `endLine=${end.line + 1}`,
        // Columns only make sense on one line; the runner ignores them otherwise.
        ...(start.line === end.line ? [`col=${start.character + 1}`, `endColumn=${end.character + 1}`] : []),
        `title=${escapeProperty(`Headroom ${f.rule}`)}`,
      ];
      return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}\n`;
    })
    .join('');
}
