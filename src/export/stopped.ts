/**
 * Why an export stopped, in words that name the kind of error: a spec that does not parse has
 * syntax errors (not "errors in the gateway annotations"), a `$ref` the policy refuses is a `$ref`
 * problem, and so on. The CLI and the editor say the same sentence.
 */
import type { Finding } from '../shared/types';
import { RULES } from './model';

type Kind = 'syntax' | 'format' | 'ref' | 'annotation' | 'target' | 'long' | 'other';

const KIND_OF_RULE: Record<string, Kind> = {
  parse: 'syntax',
  'unrecognized-format': 'format',
  ref: 'ref',
  [RULES.rateLimit]: 'annotation',
  [RULES.annotation]: 'annotation',
  [RULES.kongPlugin]: 'annotation',
  [RULES.export]: 'target',
  [RULES.tooLong]: 'long',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const PHRASE: Record<Exclude<Kind, 'format'>, (n: number) => string> = {
  syntax: (n) => plural(n, 'syntax error'),
  ref: (n) => `${n} ${n === 1 ? '$ref or path item' : '$refs or path items'} it cannot follow (outside the allowed root, remote, an alias bomb, or a path item leading nowhere)`,
  annotation: (n) => `${plural(n, 'error')} in its gateway annotations`,
  target: (n) => `${plural(n, 'annotation')} this gateway cannot enforce`,
  long: (n) => `${n} ${n === 1 ? 'path or name' : 'paths or names'} too long for this gateway`,
  other: (n) => plural(n, 'other error'),
};

const ORDER = ['syntax', 'ref', 'annotation', 'target', 'long', 'other'] as const;

/** `the spec has 2 syntax errors`; several kinds are joined with "and". Empty when there is no error. */
export function stopReason(findings: readonly Finding[]): string {
  const counts = new Map<Kind, number>();
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    const kind = KIND_OF_RULE[f.rule] ?? 'other';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  if (counts.has('format')) {
    const versioned = findings.some((f) => f.rule === 'unrecognized-format' && f.path.length > 0);
    return versioned ? "the spec's OpenAPI version is not one Headroom reads" : 'the file is not an OpenAPI document';
  }
  const parts = ORDER.filter((k) => counts.has(k)).map((k) => PHRASE[k](counts.get(k)!));
  return parts.length === 0 ? '' : `the spec has ${parts.join(' and ')}`;
}
