import { defineRuleFunction } from './lib/define';
import { effectiveRateLimit, RATE_LIMIT, rateLimitWindows, type RateLimitWindow } from '../../src/openapi/annotations';
import { listText } from '../../src/openapi/text';
import { countsRequests, parseRateLimitPolicy, type PolicyMember } from './lib/ratelimit';
import { isObject, type JsonPath, type Located, type Operation, type Spec, specOf, opLabel } from '../../src/openapi/spec';

interface Example {
  value: unknown;
  path: JsonPath;
  /** The object that holds the example, and its key there: one node, however it is reached. */
  holder: object;
  key: string | number;
}

interface Mismatch {
  path: JsonPath;
  text: string;
  members: PolicyMember[];
  policy: string;
  ops: Operation[];
}

const LEVEL_TEXT = { operation: 'on the operation', path: 'on the path item', root: 'at the document root' } as const;

/**
 * A `RateLimit-Policy` response header's example agrees with the operation's effective
 * `x-gateway-rate-limit`: some policy it lists has quota `q` = `requests` and window `w` = the
 * window in seconds, for some declared window.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function ratelimitPolicyConsistent(_input, _options, ctx) {
    const spec = specOf(ctx);
    // An example in a shared component is reported once per policy it disagrees with.
    const mismatches = new Map<object, Map<string, Mismatch>>();
    for (const op of spec.operations()) {
      const policy = effectiveRateLimit(spec, op);
      const windows = policy ? rateLimitWindows(policy.value) : [];
      if (!policy || windows.length === 0) continue;
      const policyText = `${describeWindows(windows)}, declared ${LEVEL_TEXT[policy.level]}`;
      for (const [, response] of spec.responses(op)) {
        const header = spec.headers(response).get('ratelimit-policy');
        if (!header || !isObject(header.value)) continue;
        for (const example of examplesOf(spec, header)) {
          const text = typeof example.value === 'number' ? String(example.value) : example.value;
          if (typeof text !== 'string') continue;
          // Policies counted in other units (`qu="content-bytes"`) are not request limits.
          const members = parseRateLimitPolicy(text).filter((m) => m.q !== undefined && countsRequests(m));
          if (members.length === 0 || members.some((m) => windows.some((w) => agrees(m, w)))) continue;
          let byPolicy = mismatches.get(example.holder);
          if (!byPolicy) mismatches.set(example.holder, (byPolicy = new Map()));
          const key = `${example.key}\0${policyText}`;
          const m = byPolicy.get(key) ?? { path: example.path, text, members, policy: policyText, ops: [] };
          byPolicy.set(key, m);
          if (!m.ops.includes(op)) m.ops.push(op);
        }
      }
    }
    return [...mismatches.values()].flatMap((byPolicy) =>
      [...byPolicy.values()].map((m) => ({
        message: `RateLimit-Policy example ${shown(m.text)} (${describeMembers(m.members)}) does not match the ${RATE_LIMIT} of ${describeOps(m.ops)} (${m.policy}).`,
        path: m.path,
      })),
    );
  },
);

function agrees(member: PolicyMember, window: RateLimitWindow): boolean {
  return member.q === window.requests && (member.w === undefined || member.w === window.seconds);
}

/**
 * Examples of a header: OAS 3 `example`, `examples.*.value`, schema `example`/`default`/
 * `examples[0]`; OAS 2 `default`/`x-example`.
 */
function examplesOf(spec: Spec, header: Located): Example[] {
  const out: Example[] = [];
  const add = (owner: Located | undefined, key: string | number) => {
    if (!owner || (!isObject(owner.value) && !Array.isArray(owner.value))) return;
    const value = (owner.value as any)[key];
    if (value !== undefined) out.push({ value, path: [...owner.path, key], holder: owner.value, key });
  };
  add(header, 'example');
  add(header, 'x-example');
  if (spec.isOas2) add(header, 'default');
  const examples = spec.child(header, 'examples');
  if (examples && isObject(examples.value)) {
    for (const name of Object.keys(examples.value)) add(spec.child(examples, name), 'value');
  }
  const schema = spec.child(header, 'schema');
  add(schema, 'example');
  add(schema, 'default');
  if (schema) add(spec.child(schema, 'examples'), 0);
  return out;
}

function describeWindows(windows: RateLimitWindow[]): string {
  return listText(windows.map((w) => `${w.requests} requests per ${w.window}`));
}

function describeMembers(members: PolicyMember[]): string {
  return listText(members.map((m) => (m.w === undefined ? `quota ${m.q}` : `${m.q} requests per ${m.w}s`)));
}

function describeOps(ops: Operation[]): string {
  const first = `${opLabel(ops[0])}`;
  if (ops.length === 1) return first;
  return `${first} and ${ops.length - 1} more operation${ops.length > 2 ? 's' : ''}`;
}

/** The example as written, in single quotes (it usually contains double quotes). */
function shown(text: string): string {
  return `'${text.length > 80 ? `${text.slice(0, 77)}...` : text}'`;
}
