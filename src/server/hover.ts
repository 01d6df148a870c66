/** Hovering a Headroom diagnostic shows the rule's explanation from its bundled doc. */
import type { Hover, Position } from 'vscode-languageserver/node';
import { ruleDoc } from '../core/docs';
import type { Finding } from '../shared/types';

function contains(f: Finding, p: Position): boolean {
  const { start, end } = f.range;
  if (p.line < start.line || p.line > end.line) return false;
  if (p.line === start.line && p.character < start.character) return false;
  if (p.line === end.line && p.character > end.character) return false;
  return true;
}

export function hoverFor(findings: Finding[], position: Position): Hover | null {
  const here = findings.filter((f) => contains(f, position));
  const rules = [...new Set(here.map((f) => f.rule))];
  const sections = rules.flatMap((rule) => {
    const doc = ruleDoc(rule);
    return doc ? [doc.replace(/^# (.*)$/m, '**Headroom: `$1`**')] : [];
  });
  if (sections.length === 0) return null;
  return { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') } };
}
