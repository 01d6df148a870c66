/**
 * The `RateLimit` and `RateLimit-Policy` field values of draft-ietf-httpapi-ratelimit-headers
 * (-08 and later; current revision -12), read with an RFC 9651 Structured Fields parser:
 *
 *     RateLimit-Policy: "default";q=100;w=60, "daily";q=1000;qu="requests";w=86400
 *     RateLimit: "default";r=50;t=30
 *
 * Both are Lists whose items are policy names (Strings) with parameters. `readField` says whether
 * a value is in that syntax (and what is wrong with it), in an older one that can be rewritten
 * (draft -07's `RateLimit: limit=100, remaining=50, reset=5` dictionary; the unnamed quotas
 * `RateLimit-Policy: 100;w=60` of -07 and earlier; a policy name written as a token), or not
 * readable at all.
 */
import { ParseError, parseDictionary, parseList, serializeList, Token, type BareItem, type Parameters } from 'structured-headers';

export const DRAFT = 'draft-ietf-httpapi-ratelimit-headers-12';
export type FieldName = 'RateLimit' | 'RateLimit-Policy';

/** Quota units registered by the draft (`qu`). */
export const QUOTA_UNITS = ['requests', 'content-bytes', 'concurrent-requests'];

/** One item of a field in the current syntax: a policy name and its parameters. */
export interface FieldItem {
  name: string;
  params: Parameters;
  /** The name was made up: the value had an unnamed quota (`100;w=60`). */
  unnamed?: boolean;
}

export type FieldReading =
  /** The current syntax; `problems` lists what breaks the draft's rules (empty: valid). */
  | { kind: 'current'; items: FieldItem[]; problems: string[] }
  /** An older syntax: `rewrite` is the same information in the current one. */
  | { kind: 'older'; syntax: string; rewrite: string; items: FieldItem[] }
  | { kind: 'invalid'; problem: string };

/**
 * Read a field value. `policyNames` are the names of the same response's `RateLimit-Policy`
 * (current syntax or rewritten), used to name a rewritten draft -07 `RateLimit`.
 */
export function readField(field: FieldName, text: string, policyNames: string[] = []): FieldReading {
  let list: ReturnType<typeof parseList>;
  try {
    list = parseList(text);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    if (field === 'RateLimit') {
      const older = draft07RateLimit(text, policyNames);
      if (older) return older;
    }
    return { kind: 'invalid', problem: `is not a Structured Field List (RFC 9651): ${parseProblem(e, text)}` };
  }
  if (list.length === 0) return { kind: 'invalid', problem: `is empty: the field lists one or more ${field === 'RateLimit' ? 'service limits' : 'policies'}` };

  const items: FieldItem[] = [];
  let older: string | undefined;
  const taken = new Set<string>();
  for (const member of list) {
    const [value, params] = member;
    if (Array.isArray(value)) return { kind: 'invalid', problem: 'has an inner list where a policy name belongs' };
    if (typeof value === 'string') items.push({ name: value, params });
    else if (value instanceof Token) {
      older ??= 'a policy name written as a token (the draft requires a String in double quotes)';
      items.push({ name: value.toString(), params });
    } else if (field === 'RateLimit-Policy' && typeof value === 'number' && Number.isInteger(value) && value >= 0 && !params.has('q')) {
      // `100;w=60`: the quota as the item, no name (draft -07 and earlier).
      older = 'the unnamed quota of draft -07 and earlier (`100;w=60`)';
      const w = params.get('w');
      const named = new Map<string, BareItem>([['q', value], ...[...params.entries()]]);
      items.push({ name: policyNameFor(typeof w === 'number' ? w : undefined, taken), params: named, unnamed: true });
    } else {
      return { kind: 'invalid', problem: `has ${describeBare(value)} where a policy name (a String such as "default") belongs` };
    }
    taken.add(items[items.length - 1].name);
  }
  if (older !== undefined) return { kind: 'older', syntax: older, rewrite: serialize(items), items };
  const problems = items.flatMap((item) => (field === 'RateLimit-Policy' ? policyProblems(item) : limitProblems(item)));
  const names = items.map((i) => i.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) problems.push(`names the policy "${repeated}" twice`);
  return { kind: 'current', items, problems };
}

/** `limit=100, remaining=50, reset=5` (draft -07), named after the response's policy. */
function draft07RateLimit(text: string, policyNames: string[]): FieldReading | undefined {
  let dict: ReturnType<typeof parseDictionary>;
  try {
    dict = parseDictionary(text);
  } catch {
    return undefined;
  }
  const keys = [...dict.keys()];
  if (!keys.includes('remaining') || !keys.every((k) => ['limit', 'remaining', 'reset', 'policy'].includes(k))) return undefined;
  const number = (k: string) => {
    const v = dict.get(k);
    return v !== undefined && !Array.isArray(v[0]) && typeof v[0] === 'number' ? v[0] : undefined;
  };
  const remaining = number('remaining');
  if (remaining === undefined) return undefined;
  const reset = number('reset');
  const params = new Map<string, BareItem>([['r', remaining], ...(reset !== undefined ? [['t', reset] as [string, BareItem]] : [])]);
  const item = { name: policyNames.length === 1 ? policyNames[0] : 'default', params };
  return { kind: 'older', syntax: 'the dictionary of draft -07 (`limit=…, remaining=…, reset=…`)', rewrite: serialize([item]), items: [item] };
}

/** A name for a policy rewritten from an unnamed quota: `default` alone, else after its window. */
function policyNameFor(window: number | undefined, taken: Set<string>): string {
  const byWindow: Record<number, string> = { 1: 'per-second', 60: 'per-minute', 3600: 'per-hour', 86400: 'per-day' };
  const wanted = taken.size === 0 ? 'default' : window === undefined ? 'quota' : (byWindow[window] ?? `per-${window}s`);
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}-${n}`;
  return name;
}

function policyProblems(item: FieldItem): string[] {
  const out: string[] = [];
  const p = item.params;
  const who = `policy "${item.name}"`;
  if (!p.has('q')) out.push(`${who} has no q parameter (its quota), which the draft requires`);
  else if (!isNonNegativeInteger(p.get('q'))) out.push(`${who}: q must be an integer of 0 or more (found ${describeBare(p.get('q'))})`);
  if (p.has('qu')) {
    const qu = p.get('qu');
    if (typeof qu !== 'string' || !QUOTA_UNITS.includes(qu)) {
      const hint = qu instanceof Token && QUOTA_UNITS.includes(qu.toString()) ? ` in double quotes ("${qu.toString()}")` : ` (found ${describeBare(qu)})`;
      out.push(`${who}: qu must be one of "requests", "content-bytes", "concurrent-requests"${hint}`);
    }
  }
  if (p.has('w')) {
    const w = p.get('w');
    if (!isNonNegativeInteger(w) || w === 0) out.push(`${who}: w must be a number of seconds greater than 0 (found ${describeBare(w)})`);
  }
  if (p.has('pk') && !isByteSequence(p.get('pk'))) out.push(`${who}: pk must be a Byte Sequence such as :cHJvamVjdA==: (found ${describeBare(p.get('pk'))})`);
  return out;
}

function limitProblems(item: FieldItem): string[] {
  const out: string[] = [];
  const p = item.params;
  const who = `"${item.name}"`;
  if (!p.has('r')) out.push(`${who} has no r parameter (the quota left), which the draft requires`);
  else if (!isNonNegativeInteger(p.get('r'))) out.push(`${who}: r must be an integer of 0 or more (found ${describeBare(p.get('r'))})`);
  if (p.has('t') && !isNonNegativeInteger(p.get('t'))) out.push(`${who}: t must be a number of seconds, 0 or more (found ${describeBare(p.get('t'))})`);
  if (p.has('pk') && !isByteSequence(p.get('pk'))) out.push(`${who}: pk must be a Byte Sequence such as :cHJvamVjdA==: (found ${describeBare(p.get('pk'))})`);
  return out;
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isByteSequence(v: unknown): boolean {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
}

function describeBare(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === true) return 'a bare flag';
  if (v === false) return 'the boolean ?0';
  if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : `the decimal ${v}`;
  if (typeof v === 'string') return `the string "${v}"`;
  if (v instanceof Token) return `the token ${v.toString()}`;
  if (isByteSequence(v)) return 'a byte sequence';
  if (Array.isArray(v)) return 'an inner list';
  return 'a date or display string';
}

function parseProblem(e: ParseError, text: string): string {
  const at = /offset (\d+)/.exec(e.message);
  if (!at) return e.message.replace(/^Parse error: /, '');
  const offset = Number(at[1]);
  const what = e.message.replace(/^Parse error: /, '').replace(/ at offset \d+.*$/, '').replace(/^Expected (.+)$/, 'expected "$1"');
  return `${what} at character ${offset + 1}${offset < text.length ? ` ('${text[offset]}')` : ''}`;
}

/** The items in the current syntax (`"default";q=100;w=60, ...`). */
export function serialize(items: FieldItem[]): string {
  return serializeList(items.map((i) => [i.name, i.params]));
}
