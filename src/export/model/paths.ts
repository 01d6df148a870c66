/**
 * Route paths: the public path of an operation, its exact regular expression, and the order
 * gateways must try paths in (most specific first).
 */
import { HTTP_METHODS } from '../../openapi/spec';
import type { Route } from './types';

/** The server base path (`''` or `/v1`) joined with a path key. */
export function joinPath(base: string, path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return base === '' ? p : `${base}${p}`;
}

const REGEX_META = /[\\^$.|?*+()[\]{}]/g;

/** Text matched literally by a (PCRE) regular expression. */
export function regexLiteral(text: string): string {
  return text.replace(REGEX_META, '\\$&');
}

/**
 * `/users/{id}/posts.json` → `^/users/(?<id>[^/]+)/posts\.json$`. Capture names are PCRE names
 * (letters, digits, `_`; at most 32 characters; unique).
 */
export function pathRegex(path: string): { regex: string; plain: boolean; specificity: number } {
  const used = new Set<string>();
  let plain = true;
  let specificity = 0;
  const segments = path.split('/').slice(1);
  const parts = segments.map((segment, i) => {
    const pieces = segment.split(/(\{[^}]*\})/).filter((p) => p !== '');
    const params = pieces.filter((p) => /^\{[^}]*\}$/.test(p)).length;
    if (i < 13) specificity = specificity * 3 + (params === 0 ? 2 : pieces.length > params ? 1 : 0);
    return pieces
      .map((piece) => {
        const m = /^\{([^}]*)\}$/.exec(piece);
        if (!m) return piece.replace(REGEX_META, '\\$&');
        plain = false;
        return `(?<${captureName(m[1], used)}>[^/]+)`;
      })
      .join('');
  });
  return { regex: `^/${parts.join('/')}$`, plain, specificity };
}

function captureName(param: string, used: Set<string>): string {
  let name = param.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30) || 'param';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  let candidate = name;
  for (let n = 2; used.has(candidate); n++) candidate = `${name.slice(0, 29)}${n}`;
  used.add(candidate);
  return candidate;
}

const METHOD_ORDER = HTTP_METHODS.map((m) => m.toUpperCase());

/** Most specific path first (segment by segment: literal before mixed before parameter; longer first), then path, then method. */
export function compareRoutes(a: Route, b: Route): number {
  const sa = a.publicPath.split('/');
  const sb = b.publicPath.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const kinds = segmentKind(sa[i]) - segmentKind(sb[i]);
    if (kinds !== 0) return kinds;
  }
  if (sa.length !== sb.length) return sb.length - sa.length;
  if (a.publicPath !== b.publicPath) return a.publicPath < b.publicPath ? -1 : 1;
  return methodRank(a.method) - methodRank(b.method) || (a.method < b.method ? -1 : a.method > b.method ? 1 : 0);
}

/** The OpenAPI fixed fields in their order, then every other method (ordered by name). */
function methodRank(method: string): number {
  const i = METHOD_ORDER.indexOf(method);
  return i === -1 ? METHOD_ORDER.length : i;
}

function segmentKind(segment: string): number {
  if (!segment.includes('{')) return 0;
  return /^\{[^}]*\}$/.test(segment) ? 2 : 1;
}
