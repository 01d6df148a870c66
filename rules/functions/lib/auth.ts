/**
 * Shared helpers of the auth family: which operations send credentials, what scheme types they
 * use, and the marker `auth-operation-secured` puts on findings that default to `error`.
 */
import { HTTP_METHODS, isObject, type JsonPath, type Located, type Operation, type Spec, opLabel } from '../../../src/openapi/spec';

/** Methods that change state: an unprotected one is an error, not a warning. */
export const WRITE_METHODS: ReadonlySet<string> = new Set(['post', 'put', 'patch', 'delete']);

/**
 * `auth-operation-secured` is one rule with two default levels: warn, and error for write
 * operations. Its function starts the messages of write-operation findings with this prefix and
 * the engine raises those to `error` unless the user set the rule's severity (see
 * `src/core/engine.ts`, `toFinding`).
 */
/** `GET /pets`: see `opLabel` in spec.ts. */
export const label = opLabel;


/** The document root as a located value (for `spec.child`). */
export function rootLocated(spec: Spec): Located {
  return { value: isObject(spec.root) ? spec.root : {}, path: [], file: spec.rootFile };
}

/**
 * An OPTIONS operation without its own `security` stands for the CORS preflight: browsers send it
 * without credentials and a server must answer it without asking for any (Fetch standard, CORS
 * protocol), so the root's requirements are not taken to apply to it. An OPTIONS that declares its
 * own requirements (a proxied or otherwise authenticated OPTIONS), or that takes a request body (a
 * preflight never has one, e.g. Box's "preflight check before upload"), is an ordinary operation.
 */
export function isPreflight(op: Operation): boolean {
  if (op.method !== 'options' || Array.isArray(op.value.security)) return false;
  if (op.value.requestBody !== undefined) return false;
  const params: unknown = op.value.parameters;
  return !(Array.isArray(params) && params.some((p) => p !== null && typeof p === 'object' && ((p as { in?: unknown }).in === 'body' || (p as { in?: unknown }).in === 'formData')));
}

/**
 * Does the operation take credentials at all (some requirement names a scheme, even if `{}` makes
 * auth optional)? A preflight (see `isPreflight`) does not.
 */
export function takesCredentials(spec: Spec, op: Operation): boolean {
  return !isPreflight(op) && spec.effectiveSecurity(op).requirements.some((r) => Object.keys(r).length > 0);
}

/** The scheme's `type`, lower-cased (`http`, `apikey`, `oauth2`, `openidconnect`, `mutualtls`, 2.0 `basic`), or undefined. */
export function schemeType(scheme: { value: unknown } | undefined): string | undefined {
  return scheme && isObject(scheme.value) && typeof scheme.value.type === 'string' ? scheme.value.type.toLowerCase() : undefined;
}

/** Every `security` list: the root's, each operation's and each 3.1 webhook's, with where it lies and whose it is. */
export function securityLists(spec: Spec): { owner: string; path: JsonPath; list: unknown[] }[] {
  const out: { owner: string; path: JsonPath; list: unknown[] }[] = [];
  if (!isObject(spec.root)) return out;
  if (Array.isArray(spec.root.security)) out.push({ owner: 'The root', path: ['security'], list: spec.root.security });
  for (const op of spec.operations()) {
    if (Array.isArray(op.value.security)) out.push({ owner: label(op), path: [...op.path, 'security'], list: op.value.security });
  }
  const webhooks = spec.deref(spec.root.webhooks, ['webhooks'], spec.rootFile);
  if (webhooks && isObject(webhooks.value)) {
    for (const name of Object.keys(webhooks.value)) {
      const item = spec.child(webhooks, name);
      if (!item || !isObject(item.value)) continue;
      for (const method of HTTP_METHODS) {
        const op = spec.child(item, method);
        if (op && isObject(op.value) && Array.isArray(op.value.security)) {
          out.push({ owner: `Webhook ${name} (${method.toUpperCase()})`, path: [...op.path, 'security'], list: op.value.security });
        }
      }
    }
  }
  return out;
}

/**
 * Names declared in the scheme map (OAS 3 `components.securitySchemes`, OAS 2 `securityDefinitions`),
 * including entries whose `$ref` cannot be followed (the `ref` check reports those).
 */
export function declaredSchemeNames(spec: Spec): string[] {
  const root = rootLocated(spec);
  const components = spec.isOas2 ? undefined : spec.child(root, 'components');
  const container = spec.isOas2 ? spec.child(root, 'securityDefinitions') : components && spec.child(components, 'securitySchemes');
  return container && isObject(container.value) ? Object.keys(container.value) : [];
}

