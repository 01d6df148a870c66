/**
 * Rate limits written under other people's keys (`x-rate-limit`, `x-ratelimit`, `x-rateLimit`) in
 * the shapes found in real specs, read into Headroom's canonical `x-gateway-rate-limit` value:
 * `"120/min"`, `"100 per minute"`, `{limit: 100, window: "60s"}`, `{requests: 3, period: 60}`,
 * `{max: 10, window: 60}`, `{enabled: true, events: 1000, window: "1m"}`, or a list of those.
 */
import { isObject } from '../openapi/spec';

export const LENIENT_RATE_LIMIT_KEYS = ['x-rate-limit', 'x-ratelimit', 'x-rateLimit'] as const;

const UNITS: [RegExp, number][] = [
  [/^(s|secs?|seconds?)$/i, 1],
  [/^(m|mins?|minutes?)$/i, 60],
  [/^(h|hrs?|hours?)$/i, 3600],
  [/^(d|days?)$/i, 86400],
];

function unitSeconds(unit: string): number | undefined {
  return UNITS.find(([re]) => re.test(unit))?.[1];
}

/** `60`, `"60"`, `"60s"`, `"1m"`, `"1 minute"`, `"minute"` → seconds. */
function windowSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+)?\s*([a-z]+)?\s*$/i.exec(value);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  const n = m[1] === undefined ? 1 : Number(m[1]);
  const unit = m[2] === undefined ? 1 : unitSeconds(m[2]);
  return unit === undefined || n <= 0 ? undefined : n * unit;
}

/** Seconds → the canonical duration, in the largest unit that divides it (`3600` → `"1h"`). */
export function canonicalDuration(seconds: number): string {
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

const COUNT_KEYS = ['requests', 'limit', 'max', 'events', 'count', 'rate'];
const WINDOW_KEYS = ['window', 'period', 'per', 'interval', 'duration'];

function readOne(value: unknown): Record<string, unknown> | false | undefined {
  if (typeof value === 'string') {
    const m = /^\s*(\d+)\s*(?:\/|per\b)\s*(.+?)\s*$/i.exec(value);
    if (!m) return undefined;
    const seconds = windowSeconds(m[2]);
    return seconds === undefined ? undefined : { requests: Number(m[1]), window: canonicalDuration(seconds) };
  }
  if (!isObject(value)) return undefined;
  if (value.enabled === false) return false;
  const countKey = COUNT_KEYS.find((k) => value[k] !== undefined);
  const windowKey = WINDOW_KEYS.find((k) => value[k] !== undefined);
  if (countKey === undefined || windowKey === undefined) return undefined;
  const requests = typeof value[countKey] === 'string' ? Number(value[countKey]) : value[countKey];
  const seconds = windowSeconds(value[windowKey]);
  if (!Number.isInteger(requests) || (requests as number) <= 0 || seconds === undefined) return undefined;
  const out: Record<string, unknown> = { requests, window: canonicalDuration(seconds) };
  if (typeof value.key === 'string' && /^(ip|consumer|header:.+)$/.test(value.key)) out.key = value.key;
  if (Number.isInteger(value.burst) && value.burst >= 0) out.burst = value.burst;
  return out;
}

/**
 * The canonical `x-gateway-rate-limit` value of a lenient annotation, or undefined when its shape
 * is not understood.
 */
export function readLenientRateLimit(value: unknown): unknown {
  if (value === false) return false;
  if (Array.isArray(value)) {
    const windows = value.map(readOne);
    if (windows.length === 0 || windows.some((w) => w === undefined)) return undefined;
    const active = windows.filter((w): w is Record<string, unknown> => w !== false);
    if (active.length === 0) return false;
    return active.length === 1 ? active[0] : active;
  }
  return readOne(value);
}

/** A canonical value as YAML flow text for messages: `{requests: 120, window: "1m"}`. */
export function flowText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowText).join(', ')}]`;
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : flowText(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}
