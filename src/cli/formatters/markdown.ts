/**
 * A summary for a pull-request comment: the totals, then the findings grouped by rule (most severe
 * rule first), at most `maxLines` lines in all; what does not fit is counted in the last line.
 */
import { SEVERITY_ORDER, type Finding, type Severity } from '../../shared/types';
import { visible } from './visible';
import { shownPath } from './shownPath';

const LABEL: Record<Severity, string> = { error: 'error', warn: 'warning', info: 'info', hint: 'hint' };

/**
 * Text from the spec reaches messages, and a comment renders Markdown and HTML and notifies
 * `@mentions`: HTML, mentions and link brackets are neutralised (a path `[docs](https://…)`
 * would show as a link whose target the reader does not see), a message stays on one line.
 */
const inline = (s: string) =>
  outsideCode(
    visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/@/g, '&#64;').replace(/\s*[\r\n]+\s*/g, ' '),
    (text) => text.replace(/[\\[\]]/g, '\\$&'),
  );

/**
 * `edit` applied to the text outside code spans (a run of backticks up to the next run of as
 * many, as CommonMark reads them): a backslash inside a code span shows as itself.
 */
function outsideCode(text: string, edit: (plain: string) => string): string {
  let out = '';
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const open = /`+/.exec(text.slice(i));
    if (!open) break;
    const start = i + open.index;
    const ticks = open[0];
    const close = new RegExp(`(?<!\`)${ticks}(?!\`)`, 'g');
    close.lastIndex = start + ticks.length;
    const end = close.exec(text);
    if (!end) {
      plain += text.slice(i, start + ticks.length);
      i = start + ticks.length;
      continue;
    }
    out += edit(plain + text.slice(i, start)) + text.slice(start, end.index + ticks.length);
    plain = '';
    i = end.index + ticks.length;
  }
  return out + edit(plain + text.slice(i));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface MarkdownOptions {
  cwd: string;
  /** At most this many lines (≥ 3). */
  maxLines: number;
  /** The link of a rule id (the team's own docs), when there is one to a page a reviewer can open. */
  link?: (rule: string) => string | undefined;
}

export function formatMarkdown(findings: Finding[], options: MarkdownOptions): string {
  const files = new Set(findings.map((f) => f.file)).size;
  const bySeverity = (['error', 'warn', 'info', 'hint'] as const)
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => plural(n, LABEL[s]));
  const title =
    findings.length === 0
      ? '### Headroom: no problems found'
      : `### Headroom: ${plural(findings.length, 'problem')} (${bySeverity.join(', ')}) in ${plural(files, 'file')}`;

  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.rule, [...(groups.get(f.rule) ?? []), f]);
  const worst = (list: Finding[]) => Math.min(...list.map((f) => SEVERITY_ORDER[f.severity]));
  const ordered = [...groups].sort(([a, x], [b, y]) => worst(x) - worst(y) || y.length - x.length || a.localeCompare(b));

  const where = (f: Finding) => `${visible(shownPath(f.file, options.cwd))}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
  const blocks = ordered.map(([rule, list]) => {
    const href = options.link?.(rule);
    const name = href ? `[\`${rule}\`](${href})` : `\`${rule}\``;
    const severity = LABEL[(Object.keys(SEVERITY_ORDER) as Severity[])[worst(list)]];
    return { header: `**${name}** · ${severity} · ${list.length}`, items: list.map((f) => `- \`${where(f)}\` ${inline(f.message)}`) };
  });

  const all = [title, ...blocks.flatMap((b) => ['', b.header, ...b.items])];
  if (all.length <= options.maxLines) return all.join('\n') + '\n';

  // Keep one line for the count of what was left out; a rule's header comes with at least one finding.
  const budget = options.maxLines - 1;
  const out = [title];
  let shown = 0;
  for (const b of blocks) {
    if (out.length + 3 > budget) break;
    out.push('', b.header);
    for (const item of b.items) {
      if (out.length + 1 > budget) break;
      out.push(item);
      shown++;
    }
  }
  out.push(`_${plural(findings.length - shown, 'more finding')} not shown; the job's log has them all._`);
  return out.join('\n') + '\n';
}
