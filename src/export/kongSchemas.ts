/**
 * JSON Schemas of the Kong plugins' `config` that Headroom writes or lets through
 * (`src/export/schemas/`, written from Kong's Lua plugin schemas), and a checker that says which
 * node is wrong. decK's own schema accepts any plugin config, so a typo such as `seconds:` is only
 * caught here.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import basicAuth from './schemas/kong-basic-auth.schema.json';
import cors from './schemas/kong-cors.schema.json';
import jwt from './schemas/kong-jwt.schema.json';
import keyAuth from './schemas/kong-key-auth.schema.json';
import openidConnect from './schemas/kong-openid-connect.schema.json';
import proxyCache from './schemas/kong-proxy-cache.schema.json';
import rateLimiting from './schemas/kong-rate-limiting.schema.json';
import requestSizeLimiting from './schemas/kong-request-size-limiting.schema.json';

export const KONG_PLUGIN_SCHEMAS: Record<string, object> = {
  'basic-auth': basicAuth,
  cors,
  jwt,
  'key-auth': keyAuth,
  'openid-connect': openidConnect,
  'proxy-cache': proxyCache,
  'rate-limiting': rateLimiting,
  'request-size-limiting': requestSizeLimiting,
};

export interface PluginProblem {
  /** Path inside the plugin object, e.g. `['config', 'seconds']`. */
  path: (string | number)[];
  message: string;
}

/** Compiled validators, created on first use (one per checker). */
export class KongPluginChecker {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  private readonly validators = new Map<string, ValidateFunction>();

  /** Is there a schema for this plugin? Plugins without one pass through unchecked. */
  knows(name: string): boolean {
    return name in KONG_PLUGIN_SCHEMAS;
  }

  /** Problems with a plugin's `config` (`[]` when it is well-formed or the plugin is unknown). */
  check(name: string, config: unknown): PluginProblem[] {
    const schema = KONG_PLUGIN_SCHEMAS[name];
    if (schema === undefined) return [];
    let validate = this.validators.get(name);
    if (validate === undefined) {
      validate = this.ajv.compile(schema);
      this.validators.set(name, validate);
    }
    const problems: PluginProblem[] = [];
    if (!validate(config)) {
      for (const e of validate.errors ?? []) {
        const p = describe(name, e);
        if (p) problems.push(p);
      }
    }
    if (name === 'rate-limiting') problems.push(...periodOrder(config));
    return dedupe(problems);
  }
}

/** Kong refuses a longer period whose limit is lower than a shorter period's (`schema.lua`, `validate_periods_order`). */
export const KONG_PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;

function periodOrder(config: unknown): PluginProblem[] {
  if (config === null || typeof config !== 'object') return [];
  const c = config as Record<string, unknown>;
  const out: PluginProblem[] = [];
  KONG_PERIODS.forEach((lower, i) => {
    const v1 = c[lower];
    if (typeof v1 !== 'number') return;
    for (const upper of KONG_PERIODS.slice(i + 1)) {
      const v2 = c[upper];
      if (typeof v2 === 'number' && v2 < v1) {
        out.push({ path: ['config', upper], message: `rate-limiting: the limit for ${upper} (${v2}) cannot be lower than the limit for ${lower} (${v1}).` });
      }
    }
  });
  return out;
}

function segments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describe(plugin: string, e: ErrorObject): PluginProblem | undefined {
  const at = ['config', ...segments(e.instancePath)].map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const label = at.reduce<string>((l, s) => (typeof s === 'number' ? `${l}[${s}]` : `${l}.${s}`), plugin);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
      return { path: [...at, key], message: `Unknown property "${key}" in ${label} (allowed: ${allowed.join(', ')}).` };
    }
    case 'required':
      return { path: at, message: `${label} is missing the required property "${e.params.missingProperty}".` };
    case 'enum':
      return { path: at, message: `${label} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.` };
    case 'anyOf':
      if (plugin === 'rate-limiting' && e.instancePath === '') {
        return { path: at, message: `${label} needs at least one of ${KONG_PERIODS.join(', ')}.` };
      }
      return undefined;
    case 'if':
      return undefined;
    default:
      return { path: at, message: `${label} ${e.message}.` };
  }
}

function dedupe(problems: PluginProblem[]): PluginProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = JSON.stringify(p);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
