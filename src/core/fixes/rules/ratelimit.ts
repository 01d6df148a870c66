/** Fixes for the rate-limit family: 429 responses, Retry-After, rate-limit headers, a declared policy, consistent examples. */
import { effectiveRateLimit, RATE_LIMIT, rateLimitWindows, type RateLimitWindow } from '../../../openapi/annotations';
import { countsRequests, parseRateLimitPolicy, type PolicyMember } from '../../../../rules/functions/lib/ratelimit';
import { rateLimitValueFindings } from '../../../../rules/functions/lib/ratelimitValues';
import { isObject, type Located, type Operation } from '../../../openapi/spec';
import type { FixModel, Place } from '../model';
import { ABOVE_PATHS, OPERATION, ROOT_2, ROOT_3 } from '../order';
import { addResponse, fix, operationOf, placeOfOperation, responseOf, type FixContext, type FixProvider } from '../provider';
import { TabStop } from '../session';
import type { HeaderName } from '../components';
import { FixNotApplicable, type JsonPath } from '../types';

/** The rate-limit windows in force for an operation. */
const windowsOf = (ctx: FixContext, op: Operation) => rateLimitWindows(effectiveRateLimit(ctx.model.spec, op)?.value);

export const ratelimit429Response: FixProvider = {
  offers: () => [fix('429', 'Add a 429 (Too Many Requests) response')],
  // The gateway exported from an operation's x-gateway-rate-limit answers 429: documenting it invents nothing.
  invents: (ctx) => (windowsOf(ctx, operationOf(ctx).op).length > 0 ? undefined : `no ${RATE_LIMIT} applies to the operation, so the spec does not say it answers 429`),
  apply(ctx) {
    const { op, place } = operationOf(ctx);
    if (!addResponse(ctx, place, '429', (from) => ctx.components.response('TooManyRequests', from))) throw new FixNotApplicable('429 is documented');
    const shared = ctx.components.place('responses', 'TooManyRequests');
    if (shared) coverPolicyExamples(ctx, shared, [op]);
  },
};

export const ratelimitRetryAfter: FixProvider = {
  offers: () => [fix('retry-after', 'Add a Retry-After header')],
  // The exported gateway sends Retry-After on the 429s it answers for rate-limited operations.
  invents(ctx) {
    const uses = ctx.model.responseUses(responseOf(ctx).value);
    return uses.length > 0 && uses.every(({ op, code }) => code === '429' && windowsOf(ctx, op).length > 0)
      ? undefined
      : `the spec does not say this response carries Retry-After (the exported gateway sends it only on the 429 of an operation with ${RATE_LIMIT})`;
  },
  apply(ctx) {
    if (ctx.components.addHeaders(responseOf(ctx), ['Retry-After']).length === 0) throw new FixNotApplicable('Retry-After is documented');
  },
};

/** The rate-limit headers a response lacks, in the style the ruleset or the document uses. */
function missingRateLimitHeaders(ctx: FixContext, response: Place): HeaderName[] {
  const headers = ctx.session.doc(response.file).get([...response.path, 'headers']);
  const present = new Set(isObject(headers) ? Object.keys(headers).map((k) => k.toLowerCase()) : []);
  return (ctx.components.rateLimitHeaders(present) as HeaderName[]).filter((h) => !present.has(h.toLowerCase()));
}

/** "A, B and C". */
export const listed = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

export const ratelimitHeaders: FixProvider = {
  offers(_, ctx) {
    const names = ctx ? missingRateLimitHeaders(ctx, responseOf(ctx)) : [];
    return [fix('headers', names.length > 0 ? `Add the ${listed(names)} header${names.length === 1 ? '' : 's'}` : 'Add the missing rate-limit headers')];
  },
  invents: () => 'the spec does not say which rate-limit headers the API sends',
  apply(ctx) {
    const response = responseOf(ctx);
    const names = missingRateLimitHeaders(ctx, response);
    if (ctx.components.addHeaders(response, names).length === 0) throw new FixNotApplicable('rate-limit headers are documented');
    coverPolicyExamples(ctx, response, [...new Set(ctx.model.responseUses(response.value).map(({ op }) => op))]);
  },
};

export const ratelimitPolicyDeclared: FixProvider = {
  // A finding at the document (no operation has a policy) has no operation fix. With the document
  // at hand, the preferred fix is the one whose numbers the spec states: one root policy when the
  // operations it covers show it alike, else each operation's own example.
  offers(finding, ctx) {
    const onOperation = finding.path.length > 1;
    const root = ctx && suggestedPolicy(ctx, 'root');
    const own = ctx && onOperation ? suggestedPolicy(ctx, 'operation') : undefined;
    const each = ctx && !onOperation ? eachShown(ctx) : undefined;
    const values = (p: SuggestedPolicy | undefined) => (p ? ` (requests: ${p.requests}, window: ${p.window})` : '');
    const operationFirst = root?.guess !== undefined && own !== undefined && own.guess === undefined;
    return [
      ...(each ? [fix('each', `Declare each operation's RateLimit-Policy example as its ${RATE_LIMIT} (${each.length} operation${each.length === 1 ? '' : 's'})`)] : []),
      fix('root', `Declare ${RATE_LIMIT}${values(root)} for the whole API (document root)`, each === undefined && !operationFirst),
      ...(onOperation ? [fix('operation', `Declare ${RATE_LIMIT}${values(own)} on this operation`, operationFirst)] : []),
    ];
  },
  // Numbers the document's own RateLimit-Policy examples state for what the declaration covers are the API's; 100 per minute is only a default.
  invents: (ctx, id) => (id === 'each' ? undefined : suggestedPolicy(ctx, id === 'operation' ? 'operation' : 'root').guess),
  apply(ctx, id) {
    if (id === 'each') {
      const each = eachShown(ctx);
      if (!each) throw new FixNotApplicable('no operation shows its own limit');
      for (const { op, limit } of each) {
        const { place } = placeOfOperation(ctx, op);
        ctx.session.doc(place.file).setKey(place.path, RATE_LIMIT, { requests: limit.requests, window: limit.window }, OPERATION);
      }
      return;
    }
    const { requests, window } = suggestedPolicy(ctx, id === 'operation' ? 'operation' : 'root');
    const value = { requests: new TabStop(1, requests), window: new TabStop(2, window) };
    if (id === 'root') {
      const doc = ctx.session.doc(ctx.model.rootFile);
      const order = doc.has(['paths']) ? ABOVE_PATHS : ctx.model.isOas2 ? ROOT_2 : ROOT_3;
      if (!doc.setKey([], RATE_LIMIT, value, order)) throw new FixNotApplicable('the root declares a policy');
      return;
    }
    const { place } = operationOf(ctx);
    if (!ctx.session.doc(place.file).setKey(place.path, RATE_LIMIT, value, OPERATION)) throw new FixNotApplicable('the operation declares a policy');
  },
};

export const ratelimitPolicyConsistent: FixProvider = {
  offers: () => [fix('align', `Align the RateLimit-Policy example with ${RATE_LIMIT}`)],
  // The numbers come from the document's own annotations.
  invents: () => undefined,
  apply(ctx) {
    const { file, path } = ctx.finding;
    const holder = ctx.model.physical(file, path.slice(0, -1), false)?.value;
    if (!isObject(holder) && !Array.isArray(holder)) throw new FixNotApplicable('no example at the finding');
    const { spec } = ctx.model;
    const users = spec.operations().filter((op) =>
      spec.responses(op).some(([, response]) => {
        const header = spec.headers(response).get('ratelimit-policy');
        return header !== undefined && exampleHolders(ctx, header).has(holder);
      }),
    );
    if (!alignExample(ctx, { file, path }, users, 'align')) throw new FixNotApplicable('the example agrees');
  },
};

/** An older draft's RateLimit / RateLimit-Policy value rewritten in the current syntax (and where the header's description spells it). */
export const ratelimitHeaderValues: FixProvider = {
  // Only the older-syntax findings carry a rewrite (their message says how the draft writes it).
  offers: (finding) => (finding.message.includes(' writes it ') ? [fix('rewrite', 'Rewrite the value in the current RateLimit syntax (draft-12)')] : []),
  // The same numbers in the current syntax: nothing is invented.
  invents: () => undefined,
  apply(ctx) {
    const { file, path } = ctx.finding;
    const holder = ctx.model.physical(file, path.slice(0, -1), false)?.value;
    const key = String(path[path.length - 1]);
    const found = rateLimitValueFindings(ctx.model.spec).find(
      (f) => f.holder === holder && String(f.key) === key && f.rewrite !== undefined && f.message === ctx.finding.message,
    );
    const place = ctx.model.physical(file, path, false);
    if (!found || !place) throw new FixNotApplicable('no older-syntax value at the finding');
    ctx.session.doc(place.file).replace(place.path, found.rewrite!);
    const description = found.description && ctx.model.placeOf(found.description.path);
    if (description && typeof description.value === 'string' && found.text !== undefined && description.value.includes(found.text)) {
      ctx.session.doc(description.file).replace(description.path, description.value.split(found.text).join(found.rewrite!));
    }
  },
};

/**
 * A response that operations now reach documents a RateLimit-Policy header with examples: make the
 * examples cover those operations' policies too (a member per policy; the rule is satisfied when
 * one member agrees), so adding the response does not make an example wrong.
 */
function coverPolicyExamples(ctx: FixContext, response: Place, ops: Operation[]): void {
  // The headers as planned: the fix may just have added the RateLimit-Policy `$ref`.
  const headersPath = [...response.path, 'headers'];
  const headers = ctx.session.doc(response.file).get(headersPath);
  const key = isObject(headers) ? Object.keys(headers).find((k) => k.toLowerCase() === 'ratelimit-policy') : undefined;
  if (key === undefined) return;
  // Only an existing header can have examples (one the fixes create has none).
  const header = ctx.model.deref({ file: response.file, path: [...headersPath, key], value: (headers as Record<string, unknown>)[key] });
  if (!header || !isObject(header.value)) return;
  const places: JsonPath[] = [['example'], ['x-example'], ...(ctx.model.isOas2 ? [['default']] : [])];
  const examples = header.value.examples;
  if (isObject(examples)) for (const name of Object.keys(examples)) places.push(['examples', name, 'value']);
  for (const rel of places) {
    const p = ctx.model.physical(header.file, [...header.path, ...rel]);
    if (p && (typeof p.value === 'string' || typeof p.value === 'number')) alignExample(ctx, p, ops, 'extend');
  }
  const schema = ctx.model.physical(header.file, [...header.path, 'schema']);
  for (const rel of [['example'], ['default'], ['examples', 0]] as JsonPath[]) {
    const p = schema && ctx.model.physical(schema.file, [...schema.path, ...rel]);
    if (p && (typeof p.value === 'string' || typeof p.value === 'number')) alignExample(ctx, p, ops, 'extend');
  }
}

/**
 * Rewrite a RateLimit-Policy example so that it has a member agreeing with each operation's policy.
 * `align` also drops members that agree with no policy declared anywhere; `extend` only adds.
 */
function alignExample(ctx: FixContext, place: { file: string; path: JsonPath }, ops: Operation[], mode: 'align' | 'extend'): boolean {
  const { spec } = ctx.model;
  const doc = ctx.session.doc(place.file);
  const current = doc.get(place.path);
  const text = typeof current === 'number' ? String(current) : current;
  if (typeof text !== 'string') return false;
  const parsed = parseRateLimitPolicy(text);
  let members = parsed.filter((m) => m.q !== undefined && countsRequests(m));
  // Policies in other quota units (`qu="content-bytes"`) are kept as written.
  const others = parsed.filter((m) => m.q !== undefined && !countsRequests(m)).map((m) => m.text!);
  // Names of members dropped for agreeing with nothing: a corrected member keeps the name.
  const freed: string[] = [];
  if (mode === 'align') {
    // Only the policies of the operations that show this example: a member that agrees with
    // another operation's policy (the root's, which this operation overrides) is corrected too.
    const declared = ops.flatMap((op) => rateLimitWindows(effectiveRateLimit(spec, op)?.value));
    for (const m of members) if (m.name !== undefined && !declared.some((w) => agrees(m, w))) freed.push(m.name);
    members = members.filter((m) => declared.some((w) => agrees(m, w)));
  }
  for (const op of ops) {
    const windows = rateLimitWindows(effectiveRateLimit(spec, op)?.value);
    if (windows.length === 0 || members.some((m) => windows.some((w) => agrees(m, w)))) continue;
    const w = windows[0];
    const taken = new Set(members.map((m) => m.name ?? 'default'));
    const candidates = [...freed.splice(0, 1), 'default', policyName(spec, op), `${w.requests}-per-${w.window}`];
    const name = candidates.find((n) => !taken.has(n)) ?? `${candidates[2]}-${taken.size}`;
    members.push({ name, q: w.requests, w: w.seconds });
  }
  if (members.length === 0) return false;
  const next = [...members.map((m) => `"${m.name ?? 'default'}";q=${m.q}${m.w !== undefined ? `;w=${m.w}` : ''}`), ...others].join(', ');
  if (next === text) return false;
  doc.replace(place.path, next);
  // The header's description, where it spells the example ("e.g. <example>"), says the same.
  const owner = place.path.slice(0, -1);
  for (const at of [owner, ...(owner[owner.length - 1] === 'schema' ? [owner.slice(0, -1)] : [])]) {
    const description = doc.get([...at, 'description']);
    if (typeof description === 'string' && description.includes(text)) doc.replace([...at, 'description'], description.split(text).join(next));
  }
  return true;
}

/** A policy is named after where it is declared: the operation (its operationId), the path, or `default` at the root. */
function policyName(spec: FixContext['model']['spec'], op: Operation): string {
  const level = effectiveRateLimit(spec, op)?.level;
  if (level === 'operation') return typeof op.value.operationId === 'string' ? op.value.operationId : `${op.method} ${op.pathKey}`;
  if (level === 'path') return op.pathKey;
  return 'default';
}

function agrees(member: PolicyMember, window: RateLimitWindow): boolean {
  return member.q === window.requests && (member.w === undefined || member.w === window.seconds);
}

/** The objects that hold a RateLimit-Policy header's examples (as the rule reads them). */
function exampleHolders(ctx: FixContext, header: Located): Set<object> {
  const { spec } = ctx.model;
  const out = new Set<object>([header.value]);
  const examples = spec.child(header, 'examples');
  if (examples && isObject(examples.value)) {
    for (const name of Object.keys(examples.value)) {
      const e = spec.child(examples, name);
      if (e && isObject(e.value)) out.add(e.value);
    }
  }
  const schema = spec.child(header, 'schema');
  if (schema && isObject(schema.value)) {
    out.add(schema.value);
    if (Array.isArray(schema.value.examples)) out.add(schema.value.examples);
  }
  return out;
}

/**
 * The policy to suggest: what the document's own RateLimit-Policy examples say (a careful author
 * writes the limit the API documents), else 100 requests per minute. At the root, an example
 * states the whole API's limit only when the operations the root would cover show it, most of
 * them and all alike: one operation's example is that operation's limit. On an operation, its
 * own example.
 */
interface SuggestedPolicy {
  requests: number;
  window: string;
  /** Undefined when the document states the numbers (RateLimit-Policy examples), else why they are a guess. */
  guess?: string;
}

/** A limit as a RateLimit-Policy example states it: requests per window (`"1m"`). */
type Limit = { requests: number; window: string };

/** 100 per minute: a number the spec does not state, so only ever a suggestion. */
const DEFAULT_POLICY: SuggestedPolicy = {
  requests: 100,
  window: '1m',
  guess: 'its numbers (100 requests per 1m) would be a default, not stated in the spec; the export would enforce them',
};
const shownLimits = new WeakMap<FixModel, Map<Operation, Limit>>();

/** Each operation's limit as its responses' RateLimit-Policy examples state it (the first request quota). */
function shownLimitsOf(model: FixModel): Map<Operation, Limit> {
  let shown = shownLimits.get(model);
  if (shown) return shown;
  shown = new Map();
  const { spec } = model;
  for (const op of spec.operations()) {
    for (const [, response] of spec.responses(op)) {
      const header = spec.headers(response).get('ratelimit-policy');
      if (!header || !isObject(header.value)) continue;
      const schema = spec.child(header, 'schema')?.value;
      const examples = [header.value.example, header.value['x-example'], isObject(schema) ? schema.example : undefined];
      const member = examples.flatMap((e) => (typeof e === 'string' ? parseRateLimitPolicy(e) : [])).find((m) => m.q !== undefined && m.w !== undefined && m.q > 0 && m.w > 0 && countsRequests(m));
      if (member) {
        shown.set(op, { requests: member.q!, window: duration(member.w!) });
        break;
      }
    }
  }
  shownLimits.set(model, shown);
  return shown;
}

/** The operations a root policy would cover: those without their own or their path item's. */
function rootCovers(ctx: FixContext): Operation[] {
  const { spec } = ctx.model;
  return spec.operations().filter((op) => {
    const level = effectiveRateLimit(spec, op)?.level;
    return level === undefined || level === 'root';
  });
}

/**
 * When one root policy would be a guess (the examples differ, or only a few operations show one):
 * the operations a root policy would cover that show their own limit, to declare it on each.
 */
function eachShown(ctx: FixContext): { op: Operation; limit: Limit }[] | undefined {
  if (suggestedPolicy(ctx, 'root').guess === undefined) return undefined;
  const shown = shownLimitsOf(ctx.model);
  const each = rootCovers(ctx).flatMap((op) => {
    const limit = shown.get(op);
    return limit && effectiveRateLimit(ctx.model.spec, op) === undefined ? [{ op, limit }] : [];
  });
  return each.length > 0 ? each : undefined;
}

function suggestedPolicy(ctx: FixContext, scope: 'root' | 'operation'): SuggestedPolicy {
  const shown = shownLimitsOf(ctx.model);
  if (scope === 'operation') {
    const own = shown.get(operationOf(ctx).op);
    return own ?? DEFAULT_POLICY;
  }
  const covered = rootCovers(ctx);
  const limits = covered.flatMap((op) => shown.get(op) ?? []);
  const first = limits[0];
  if (first === undefined) return DEFAULT_POLICY;
  const values = `${first.requests} requests per ${first.window}`;
  if (limits.some((l) => l.requests !== first.requests || l.window !== first.window)) {
    return { ...first, guess: `the operations' RateLimit-Policy examples state different limits, so ${values} for the whole API would be a guess; the export would enforce it` };
  }
  if (limits.length * 2 <= covered.length) {
    return { ...first, guess: `${values} is the RateLimit-Policy example of ${limits.length} of the ${covered.length} operations it would cover, not the whole API's limit; the export would enforce it` };
  }
  return first;
}

function duration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
