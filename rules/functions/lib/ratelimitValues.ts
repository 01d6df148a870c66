/**
 * What the documented values of `RateLimit` and `RateLimit-Policy` say, checked against
 * draft-ietf-httpapi-ratelimit-headers (see ratelimitFields.ts), response by response: each
 * example on its own, the policies `RateLimit` names against the response's `RateLimit-Policy`,
 * and a `Retry-After` example against `RateLimit`'s effective window. Shared by the
 * `ratelimit-header-values` rule and its quick fix (which applies `rewrite`).
 */
import { DRAFT, readField, type FieldItem, type FieldName, type FieldReading } from './ratelimitFields';
import { isObject, type JsonPath, type Located, type Spec } from '../../../src/openapi/spec';

/** One value a spec shows for a header, and where it is. */
export interface HeaderExample {
  value: unknown;
  path: JsonPath;
  /** The object that holds the value, and its key there: one node, however it is reached. */
  holder: object;
  key: string | number;
  /** The name of the Example object it comes from (OAS 3 `examples`), to pair examples of two headers. */
  exampleName?: string;
}

export interface ValueFinding {
  message: string;
  path: JsonPath;
  holder: object;
  key: string | number;
  /** The value in the current syntax, when the finding is an older syntax. */
  rewrite?: string;
  /** The text the value had (a description that spells it is rewritten too). */
  text?: string;
  /** The header's `description`, when it spells the old value. */
  description?: { holder: object; path: JsonPath };
}

/**
 * The values a spec shows for a header: its `example`, OAS 3 `examples` (`value`, and 3.2
 * `dataValue` / `serializedValue`), 2.0 `x-example` / `default` / `enum`, and its schema's
 * `example`, `examples`, `default` and `enum`.
 */
export function headerExamples(spec: Spec, header: Located): HeaderExample[] {
  const out: HeaderExample[] = [];
  const add = (owner: Located | undefined, key: string | number, exampleName?: string) => {
    if (!owner || (!isObject(owner.value) && !Array.isArray(owner.value))) return;
    const value = (owner.value as any)[key];
    if (value !== undefined) out.push({ value, path: [...owner.path, key], holder: owner.value, key, ...(exampleName !== undefined ? { exampleName } : {}) });
  };
  const addAll = (owner: Located | undefined, key: string) => {
    const list = owner && spec.child<unknown[]>(owner, key);
    if (list && Array.isArray(list.value)) list.value.forEach((_, i) => add(list as Located, i));
  };
  add(header, 'example');
  add(header, 'x-example');
  if (spec.isOas2) {
    add(header, 'default');
    addAll(header, 'enum');
  }
  const examples = spec.child(header, 'examples');
  if (examples && isObject(examples.value)) {
    for (const name of Object.keys(examples.value)) {
      const example = spec.child(examples, name);
      for (const key of ['value', 'dataValue', 'serializedValue']) add(example, key, name);
    }
  }
  const schema = spec.child(header, 'schema');
  add(schema, 'example');
  add(schema, 'default');
  addAll(schema, 'examples');
  addAll(schema, 'enum');
  return out;
}

interface Read {
  example: HeaderExample;
  text: string;
  reading: FieldReading;
}

/** Every finding of `ratelimit-header-values`, once per example node and message. */
export function rateLimitValueFindings(spec: Spec): ValueFinding[] {
  const found = new Map<object, Map<string, ValueFinding>>();
  const report = (example: HeaderExample, message: string, extra: Partial<ValueFinding> = {}) => {
    let byMessage = found.get(example.holder);
    if (!byMessage) found.set(example.holder, (byMessage = new Map()));
    const k = `${example.key}\0${message}`;
    if (!byMessage.has(k)) byMessage.set(k, { message, path: example.path, holder: example.holder, key: example.key, ...extra });
  };
  const seen = new Set<object>();
  for (const op of spec.operations()) {
    for (const [, response] of spec.responses(op)) {
      if (response.broken || seen.has(response.value)) continue;
      seen.add(response.value);
      const headers = spec.headers(response);
      const policyHeader = headers.get('ratelimit-policy');
      const limitHeader = headers.get('ratelimit');
      const policies = policyHeader ? readAll(spec, policyHeader, 'RateLimit-Policy', []) : [];
      const policyNames = [...new Set(policies.flatMap((p) => (p.reading.kind === 'invalid' ? [] : p.reading.items.map((i) => i.name))))];
      const limits = limitHeader ? readAll(spec, limitHeader, 'RateLimit', policyNames) : [];

      for (const [field, header, reads] of [['RateLimit-Policy', policyHeader, policies], ['RateLimit', limitHeader, limits]] as const) {
        for (const { example, text, reading } of reads) {
          const what = `${field} example ${shown(text)}`;
          if (reading.kind === 'invalid') report(example, `${what} ${reading.problem} (${DRAFT}).`);
          else if (reading.kind === 'older') {
            const description = header && isObject(header.value) && typeof header.value.description === 'string' && header.value.description.includes(text)
              ? { holder: header.value, path: [...header.path, 'description'] }
              : undefined;
            report(example, `${what} uses ${reading.syntax}; ${DRAFT} writes it ${shown(reading.rewrite)}.`, { rewrite: reading.rewrite, text, ...(description ? { description } : {}) });
          } else for (const problem of reading.problems) report(example, `${what}: ${problem} (${DRAFT}).`);
        }
      }

      // The policies RateLimit names are listed by the response's RateLimit-Policy.
      const listed = policies.filter((p) => p.reading.kind !== 'invalid');
      if (listed.length > 0) {
        for (const { example, text, reading } of limits) {
          if (reading.kind !== 'current') continue;
          for (const item of reading.items) {
            if (policyNames.includes(item.name)) continue;
            const shownPolicies = listed.length === 1 ? `example ${shown(listed[0].text)}` : `examples`;
            report(example, `RateLimit example ${shown(text)} names the policy "${item.name}", which the response's RateLimit-Policy ${shownPolicies} ${listed.length === 1 ? "does" : "do"} not list.`);
          }
        }
      }

      // Retry-After does not end before the effective window of the exhausted policies.
      const retryHeader = headers.get('retry-after');
      if (!retryHeader || limits.length === 0) continue;
      const retries = headerExamples(spec, retryHeader).flatMap((example) => {
        const seconds = delaySeconds(example.value);
        return seconds === undefined ? [] : [{ example, seconds }];
      });
      for (const retry of retries) {
        for (const limit of limits) {
          if (limit.reading.kind !== 'current' || !paired(retry.example, limit.example, retries.length, limits.length)) continue;
          const bound = effectiveWindowEnd(limit.reading.items);
          if (bound === undefined || retry.seconds >= bound.t) continue;
          report(
            retry.example,
            `Retry-After example ${retry.seconds} ends before the effective window of "${bound.name}" in the RateLimit example ${shown(limit.text)} (t=${bound.t}): ` +
              `the draft says Retry-After should not point earlier than the end of that window (${DRAFT}).`,
          );
        }
      }
    }
  }
  return [...found.values()].flatMap((byMessage) => [...byMessage.values()]);
}

function readAll(spec: Spec, header: Located, field: FieldName, policyNames: string[]): Read[] {
  if (!isObject(header.value)) return [];
  return headerExamples(spec, header).flatMap((example) => {
    const text = typeof example.value === 'number' ? String(example.value) : example.value;
    if (typeof text !== 'string') return [];
    return [{ example, text, reading: readField(field, text, policyNames) }];
  });
}

/** `Retry-After` as delay-seconds (an HTTP date is not compared). */
function delaySeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Examples of two headers belong together when each header shows one, or they come from Example objects of the same name. */
function paired(a: HeaderExample, b: HeaderExample, countA: number, countB: number): boolean {
  if (countA === 1 && countB === 1) return true;
  return a.exampleName !== undefined && a.exampleName === b.exampleName;
}

/**
 * The end of the effective window a client waits for: the longest `t` of the policies with no
 * quota left (`r=0`), else, when none is exhausted, the shortest `t`.
 */
function effectiveWindowEnd(items: FieldItem[]): { name: string; t: number } | undefined {
  const withT = items.filter((i) => typeof i.params.get('t') === 'number').map((i) => ({ name: i.name, t: i.params.get('t') as number, r: i.params.get('r') }));
  if (withT.length === 0) return undefined;
  const exhausted = withT.filter((i) => i.r === 0);
  if (exhausted.length > 0) return exhausted.reduce((a, b) => (b.t > a.t ? b : a));
  return withT.reduce((a, b) => (b.t < a.t ? b : a));
}

/** The value as written, in single quotes (it usually contains double quotes). */
function shown(text: string): string {
  return `'${text.length > 80 ? `${text.slice(0, 77)}...` : text}'`;
}
