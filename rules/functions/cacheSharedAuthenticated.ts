import { defineRuleFunction } from './lib/define';
import {
  credentialOf,
  DEFAULT_CACHE_ANNOTATION,
  gatewayCacheFor,
  isGatewayCacheableMethod,
  opLabel,
  shortList,
  type Credential,
  ANNOTATION_OPTIONS_SCHEMA,
  type AnnotationOptions,
} from './lib/cache';
import type { Annotation } from '../../src/openapi/annotations';
import { isObject, specOf, type Operation } from '../../src/openapi/spec';

type Options = AnnotationOptions;

/** A credential the cache key leaves out, and the schemes that send it. */
interface Missing {
  in: Credential['in'];
  name: string;
  schemes: string[];
}

function listed(value: unknown, key: string): string[] {
  const list = isObject(value) ? value[key] : undefined;
  return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * A gateway cache in force on an authenticated operation varies its cache key by the credential
 * (`vary-headers` / `vary-query`), or a shared cache serves one user's response to another. An
 * annotation shared by several operations (root, path item) is reported once per set of missing
 * credentials, at the annotation in effect.
 */
export default defineRuleFunction<unknown, Options | null>(
  {
    input: null,
    options: ANNOTATION_OPTIONS_SCHEMA as any,
  },
  function cacheSharedAuthenticated(_input, options, ctx) {
    const spec = specOf(ctx);
    const name = options?.annotation ?? DEFAULT_CACHE_ANNOTATION;
    const schemes = spec.securitySchemes();
    const groups = new Map<string, { cache: Annotation; missing: Missing[]; ops: Operation[] }>();
    for (const op of spec.operations()) {
      if (!isGatewayCacheableMethod(op.method)) continue;
      const cache = gatewayCacheFor(spec, op, name);
      if (!cache) continue;
      const varyHeaders = new Set(listed(cache.value, 'vary-headers').map((h) => h.toLowerCase()));
      const varyQuery = new Set(listed(cache.value, 'vary-query'));
      const missing = new Map<string, Missing>();
      // Every alternative counts: with optional auth (`{}` in the list) the same cache also serves
      // anonymous callers, which is no safer.
      for (const requirement of spec.effectiveSecurity(op).requirements) {
        for (const schemeName of Object.keys(requirement)) {
          const c = credentialOf(schemeName, schemes.get(schemeName)?.value);
          if (!c) continue;
          const varied = c.in === 'header' ? varyHeaders.has(c.name.toLowerCase()) : varyQuery.has(c.name);
          if (varied) continue;
          const key = `${c.in}:${c.in === 'header' ? c.name.toLowerCase() : c.name}`;
          const known = missing.get(key);
          if (!known) missing.set(key, { in: c.in, name: c.name, schemes: [c.scheme] });
          else if (!known.schemes.includes(c.scheme)) known.schemes.push(c.scheme);
        }
      }
      if (missing.size === 0) continue;
      const creds = [...missing.values()];
      const groupKey = JSON.stringify([cache.path, creds]);
      const group = groups.get(groupKey);
      if (group) group.ops.push(op);
      else groups.set(groupKey, { cache, missing: creds, ops: [op] });
    }
    return [...groups.values()].map(({ cache, missing, ops }) => {
      const fixes = (['header', 'query'] as const)
        .map((where) => {
          const creds = missing.filter((c) => c.in === where).map((c) => `${c.name} (${c.schemes.join(', ')})`);
          return creds.length === 0 ? undefined : `${creds.join(', ')} to ${where === 'header' ? 'vary-headers' : 'vary-query'}`;
        })
        .filter((f): f is string => f !== undefined);
      return {
        message: `${name} serves one caller's cached response of authenticated ${shortList(ops.map(opLabel))} to others: add ${fixes.join(' and ')}.`,
        path: cache.path,
      };
    });
  },
);
