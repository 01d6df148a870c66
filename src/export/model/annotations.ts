/**
 * Checking the annotations of the root, path items and operations before a model is built:
 * `x-gateway-*` against the lint rule's schema, `x-kong-plugin-*` against Kong's plugin schemas,
 * and rate limits under other people's keys read leniently (with an info finding).
 */
import { annotationProblemsOn, RATE_LIMIT, validateAnnotation } from '../../openapi/annotations';
import { isObject, type JsonPath, type Located, type Operation } from '../../openapi/spec';
import { KongPluginChecker } from '../kongSchemas';
import { flowText, LENIENT_RATE_LIMIT_KEYS, readLenientRateLimit } from '../lenient';
import type { ModelContext } from './context';
import { RULES } from './types';

export const KONG_PLUGIN_PREFIX = 'x-kong-plugin-';

/** Check the root and every path item and operation of `ops` once; bad annotations become error findings in `ctx`. */
export function checkAnnotations(ctx: ModelContext, ops: Operation[]): void {
  const kong = new KongPluginChecker();
  const checked = new Set<object>();
  const objects: Located[] = [ctx.rootLoc];
  for (const op of ops) objects.push(op.pathItem, op);
  for (const loc of objects) {
    if (checked.has(loc.value)) continue;
    checked.add(loc.value);
    checkObject(ctx, kong, loc);
  }
}

function checkObject(ctx: ModelContext, kong: KongPluginChecker, loc: Located): void {
  const obj = loc.value as Record<string, unknown>;
  // The lint rules ratelimit-policy-valid and gateway-annotation-valid report exactly these (same code).
  for (const p of annotationProblemsOn(obj)) ctx.report([...loc.path, ...p.path], p.rule, 'error', p.message);
  for (const key of Object.keys(obj)) {
    if (key.startsWith(KONG_PLUGIN_PREFIX)) checkKongPlugin(ctx, kong, key.slice(KONG_PLUGIN_PREFIX.length), obj[key], [...loc.path, key]);
  }
  const lenientKey = LENIENT_RATE_LIMIT_KEYS.find((k) => obj[k] !== undefined);
  if (lenientKey === undefined) return;
  const at = [...loc.path, lenientKey];
  if (obj[RATE_LIMIT] !== undefined) {
    ctx.report(at, RULES.export, 'info', `${lenientKey} is ignored: ${RATE_LIMIT} is present on the same object and wins.`);
    return;
  }
  const value = readLenientRateLimit(obj[lenientKey]);
  if (value === undefined || validateAnnotation(RATE_LIMIT, value).length > 0) {
    ctx.report(at, RULES.export, 'warn', `${lenientKey} could not be read as a rate limit and is ignored; write it as ${RATE_LIMIT}: {requests: 100, window: "1m"}.`);
    return;
  }
  ctx.lenient.set(obj, { value, path: at });
  ctx.report(at, RULES.export, 'info', `${lenientKey} read as ${RATE_LIMIT}: ${flowText(value)}; rename the key to ${RATE_LIMIT} (Headroom's canonical annotation).`);
}

function checkKongPlugin(ctx: ModelContext, kong: KongPluginChecker, name: string, value: unknown, at: JsonPath): void {
  if (!isObject(value)) {
    ctx.report(at, RULES.kongPlugin, 'error', `${KONG_PLUGIN_PREFIX}${name} must be a plugin object such as {config: {...}}.`);
    return;
  }
  for (const p of kong.check(name, value.config ?? {})) {
    ctx.report([...at, ...p.path], RULES.kongPlugin, 'error', p.message);
  }
}
