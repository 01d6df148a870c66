/**
 * Shared helpers of the auth family: which operations send credentials, what scheme types they
 * use, and the marker `auth-operation-secured` puts on findings that default to `error`.
 */
import { httpMethod, isObject, type JsonPath, type Located, type Operation, type Spec, opLabel } from '../../../src/openapi/spec';

/** Methods that change state (see `isWriteMethod` in spec.ts): an unprotected one is an error, not a warning. */
export { isWriteMethod } from '../../../src/openapi/spec';

/**
 * `auth-operation-secured` is one rule with two default levels: warn, and error for write
 * operations. Its function starts the messages of write-operation findings with this prefix and
 * the engine raises those to `error` unless the user set the rule's severity (see
 * `src/core/engine.ts`, `toFinding`).
 */
/** `GET /pets`: see `opLabel` in spec.ts. */
export const label = opLabel;

/**
 * Words that make a POST a query rather than a change, as the last word of its path (`POST /search`,
 * `/v1/items:query`, `/_select`; OAuth's token introspection `/introspect` (RFC 7662), Google's
 * `/tokeninfo`, OpenID Connect's `/userinfo`).
 */
const QUERY_WORDS = new Set(['search', 'query', 'select', 'find', 'lookup', 'filter', 'count', 'aggregate', 'suggest', 'autocomplete', 'introspect', 'tokeninfo', 'userinfo']);
/** The same, as the first word of an operationId (`searchPets`, `query_logs`); `select` is left out (`selectPlan` changes a subscription). */
const QUERY_VERBS = new Set(['search', 'query', 'find', 'lookup', 'filter', 'count', 'aggregate', 'suggest', 'autocomplete']);
/**
 * Verbs of RPC-style reads sent as POST, as the first word of the last path segment or of the
 * operationId (AWS `ListKeys`, `DescribeJob`, `GetRepository`; Telegram `/getStickerSet`; Azure
 * `/listStreamingLocators`) or the last word of the last segment (Google `:batchGet`,
 * `/logsources/list`). `read` (`/messages/read` marks them read) and `fetch` (a git fetch) change
 * state and are left out.
 */
const READ_VERBS = new Set(['get', 'list', 'describe', 'retrieve']);
/**
 * Words that make a name a change whatever verb it starts with (`getOrCreateUser`). Words that are
 * as often nouns (`set`, `change`, `run`, `copy`) are not among them: `getStickerSet` reads.
 */
const WRITE_WORDS = new Set(['create', 'update', 'delete', 'remove', 'add', 'insert', 'upsert', 'save', 'write', 'cancel', 'reset', 'revoke', 'send', 'submit', 'trigger', 'modify', 'edit', 'enable', 'disable', 'assign', 'unassign', 'attach', 'detach', 'register', 'purge', 'restore', 'replace', 'rename', 'approve', 'reject', 'publish', 'import', 'capture', 'charge', 'refund', 'claim', 'dequeue', 'acquire', 'lock', 'checkout']);

/** The words of a camelCase / snake_case / kebab-case name, lower-cased. */
export function nameWords(name: string): string[] {
  return (name.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

/**
 * Is this POST a query (it reads, it changes nothing)? The last word of its last named path
 * segment or custom method is a query word (`/search`, `/pets/_query`, `/v1/items:select`,
 * `/advanced-search`), or its operationId starts with a query verb (`searchPets`, `query_logs`),
 * also after a verb that only says "do" (`perform-search`, `executeQuery`);
 * or it is an RPC-style read (`READ_VERBS`: `ListKeys`, `/getStickerSet`, `:batchGet`, the method
 * of a dotted name: `/air_rest_services.get_facilities`); or it says so in words (`saysItQueries`). A name
 * with a word of change in it (`WRITE_WORDS`: `getOrCreateUser`) is no query. Such POSTs carry
 * the query in the body because it is long or structured, or because the API sends every call
 * as a POST, not to change state.
 */
export function isQueryPost(op: Operation, spec?: Spec): boolean {
  if (op.method !== 'post') return false;
  const segments = op.pathKey.split(/[/:]/).map((s) => s.replace(/\{[^}]*\}/g, '')).filter((s) => /[A-Za-z]/.test(s));
  const lastSegment = segments.at(-1) ?? '';
  const last = nameWords(lastSegment);
  // A dotted RPC name reads by its method: epa.gov's `/air_rest_services.get_facilities`.
  const method = lastSegment.includes('.') ? nameWords(lastSegment.slice(lastSegment.lastIndexOf('.') + 1)) : [];
  const id = typeof op.value.operationId === 'string' ? nameWords(op.value.operationId) : [];
  return (
    reads(last, READ_VERBS, PATH_LAST_WORDS) ||
    reads(method, READ_VERBS, PATH_LAST_WORDS) ||
    reads(id, ID_FIRST_WORDS, NONE) ||
    (DOING_VERBS.has(id[0]) && id.length <= 3 && reads(id.slice(1), QUERY_VERBS, NONE)) ||
    saysItQueries(op, spec)
  );
}

/**
 * Does the operation say in words that it queries: its summary opens with a query verb ("Search
 * for pets", "Look up companies"), or its request body is what to look up (Roaring's "Request body
 * with company identifiers to lookup")? Not when the words name a change too ("Find or create").
 */
function saysItQueries(op: Operation, spec?: Spec): boolean {
  // A request body shared from components is read through its `$ref`.
  const body: unknown = spec ? spec.child(op, 'requestBody')?.value : op.value.requestBody;
  const texts = [
    typeof op.value.summary === 'string' && /^\s*(search|look\s?up|find|query)\b/i.test(op.value.summary) ? op.value.summary : undefined,
    isObject(body) && typeof body.description === 'string' && /\b(to|for)\s+(look\s?up|search|query|find)\b/i.test(body.description) ? body.description : undefined,
  ];
  return texts.some((t) => t !== undefined && !nameWords(t).some((w) => WRITE_WORDS.has(w)));
}

/** Verbs that only say "do" (USPTO's `perform-search`, `executeQuery`, `runQuery`): what follows says what is done. */
const DOING_VERBS = new Set(['perform', 'do', 'run', 'execute']);

/** What ends a path that reads: a query word, or a read verb after its object (`:batchGet`, `/logsources/list`). */
const PATH_LAST_WORDS = new Set([...QUERY_WORDS, 'get', 'list']);
/** What starts an operationId that reads: a query verb or a read verb. */
const ID_FIRST_WORDS = new Set([...QUERY_VERBS, ...READ_VERBS]);
const NONE = new Set<string>();

/** Do these words name a read: no word of change, and a read word first or last? */
function reads(words: string[], first: Set<string>, last: Set<string>): boolean {
  return words.length > 0 && !words.some((w) => WRITE_WORDS.has(w)) && (first.has(words[0]) || last.has(words[words.length - 1]));
}

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
 * Is the operation marked public: its own `security` names no scheme (`security: []`, or only
 * `{}`)? A root `security: []` marks nothing public (see auth-operation-secured).
 */
export function isMarkedPublic(op: Operation): boolean {
  return Array.isArray(op.value.security) && !op.value.security.some((r: unknown) => isObject(r) && Object.keys(r).length > 0);
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

/**
 * Is the scheme AWS Signature Version 4 (API Gateway's `x-amazon-apigateway-authtype: awsSigv4`,
 * as every AWS service's spec declares its `hmac` scheme)? AWS answers a missing or invalid
 * signature with 403 (`MissingAuthenticationToken`, `SignatureDoesNotMatch`), never 401.
 */
export function isAwsSigv4(scheme: { value: unknown } | undefined): boolean {
  const authType = scheme && isObject(scheme.value) ? scheme.value['x-amazon-apigateway-authtype'] : undefined;
  return typeof authType === 'string' && authType.toLowerCase() === 'awssigv4';
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
      for (const op of spec.operationsIn(item, name)) {
        if (Array.isArray(op.value.security)) {
          out.push({ owner: `Webhook ${name} (${httpMethod(op)})`, path: [...op.path, 'security'], list: op.value.security });
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

// ---------------------------------------------------------------------------------------------
// Credentials in query parameters

/** Names that are credentials whatever the description says (compared without case and separators). */
const CREDENTIAL_NAMES = new Set([
  'apikey', 'apitoken', 'apisecret', 'accesstoken', 'accesskey', 'authtoken', 'authkey', 'oauthtoken',
  'appkey', 'appsecret', 'appToken', 'clientsecret', 'secretkey', 'privatetoken', 'privatekey', 'refreshtoken',
  'idtoken', 'sessiontoken', 'subscriptionkey', 'bearertoken', 'jwt', 'password', 'passwd', 'secret', 'apipassword',
].map((n) => n.toLowerCase()));
/** Last words of names that are credentials (`keystorePassword`, `client_secret`). */
const CREDENTIAL_LAST_WORDS = new Set(['password', 'passwd', 'secret']);
/** Names that are credentials only when the description says so (`key` may be a sort key, `token` a page token). */
const AMBIGUOUS_NAMES = new Set(['token', 'key', 'auth', 'authorization', 'credential', 'credentials', 'session', 'sessionid', 'sid', 'license', 'licensekey', 'userkey', 'usertoken', 'authinfo', 'pw', 'pwd', 'pass', 'passphrase']);
/** A description that says the value authenticates the caller. */
const CREDENTIAL_TEXT =
  /\bapi[ -_]?key\b|\baccess[ -_]?token\b|\bauth(entication|entications|orization)?\b|authenticat|\bcredential|\bsecret\b|\bpassword\b|\boauth|\bbearer\b|\bjwt\b|\bsession (token|key)\b|\byour (personal |private |api |access |app |application |developer |user )?(key|token)\b|\bapi access\b|\bsubscription key\b|\blicen[cs]e key\b|\bidentifies your (project|app|application|account)\b/i;
/** A description that says the value is something else: a page token, a sort or lookup key. */
const NOT_CREDENTIAL_TEXT = /\b(page|paging|pagination|cursor|continuation|next (set|page|batch)|previous (call|request|page)|sort|order(ing)? by|idempotency|captcha|csrf|verification code)\b/i;

/** A parameter's schema: OAS 3 `schema`, or the OAS 2 parameter itself. */
function parameterSchema(spec: Spec, p: Located): unknown {
  return spec.isOas2 ? p.value : spec.child(p, 'schema')?.value;
}

/** Can a value of this schema be a string (no `type`, `string`, or a list of types with `string`)? */
function mayBeString(schema: unknown): boolean {
  const type = isObject(schema) ? schema.type : undefined;
  return type === undefined || type === 'string' || (Array.isArray(type) && type.includes('string'));
}

/** A string whose enum, example and default are all `true` / `false` (Okta's `tempPassword`, example `"true"`): a flag. */
function isBooleanText(param: Record<string, unknown>, schema: unknown): boolean {
  const s = isObject(schema) ? schema : {};
  const values = [...(Array.isArray(s.enum) ? s.enum : []), ...[s.example, s.default, param.example].filter((v) => v !== undefined)];
  return values.length > 0 && values.every((v) => v === true || v === false || v === 'true' || v === 'false');
}

/**
 * Last words of header and cookie names that carry a credential by convention (`X-API-Key`,
 * exavault's `ev-api-key`, `X-Auth-Token`, Azure's `Ocp-Apim-Subscription-Key`, bunq's
 * `X-Bunq-Client-Authentication`, idtbeyond's `x-idt-beyond-app-key`, Postmark's
 * `X-Postmark-Server-Token`, a declared `Authorization`). Not `client token`: AWS's is an
 * idempotency token.
 */
const CREDENTIAL_HEADER_TAILS = [
  ['api', 'key'], ['api', 'token'], ['api', 'secret'], ['auth', 'token'], ['auth', 'key'], ['access', 'token'], ['access', 'key'],
  ['session', 'token'], ['subscription', 'key'], ['app', 'key'], ['app', 'secret'], ['app', 'token'], ['application', 'key'],
  ['client', 'secret'], ['private', 'token'], ['account', 'token'], ['server', 'token'],
  ['apikey'], ['appkey'], ['apptoken'], ['authorization'], ['authentication'], ['password'], ['secret'],
];

/** Words of header names that may carry a credential, as their description decides. */
const CREDENTIAL_NAME_WORDS = new Set(['auth', 'authentication', 'authorization', 'signature', 'sig', 'token', 'key', 'secret', 'sec', 'credential', 'credentials', 'session', 'password', 'pass', 'apikey', 'login']);

/** Names of request signatures (compared without case and separators). */
const SIGNATURE_NAMES = new Set(['signature', 'sig', 'hmac', 'requestsignature']);

/**
 * Does a parameter in any place (query, header, cookie) carry a credential? A query parameter as
 * `queryCredential` decides; a header or cookie also by the last words of its name
 * (`CREDENTIAL_HEADER_TAILS`) or by a description that says it authenticates, unless its description
 * says it is something else.
 */
export function credentialParameter(spec: Spec, p: Located): boolean {
  if (p.value.in === 'query') {
    if (queryCredential(spec, p) !== undefined) return true;
    // A request signature (ptv's `signature`, "Authentication signature for request") proves the
    // caller holds a key; it is no secret in a URL, so only here, not in auth-no-credentials-in-query.
    const description = typeof p.value.description === 'string' ? p.value.description : '';
    return SIGNATURE_NAMES.has(String(p.value.name).toLowerCase().replace(/[^a-z0-9]/g, '')) && CREDENTIAL_TEXT.test(description);
  }
  if (p.value.in !== 'header' && p.value.in !== 'cookie') return false;
  if (queryCredential(spec, p) !== undefined) return true;
  if (!mayBeString(parameterSchema(spec, p))) return false;
  const description = typeof p.value.description === 'string' ? p.value.description : '';
  if (NOT_CREDENTIAL_TEXT.test(description) && !CREDENTIAL_TEXT.test(description)) return false;
  const words = nameWords(String(p.value.name));
  // A header whose name has a word of credentials and whose description says it authenticates
  // (Walmart's `WM_SEC.AUTH_SIGNATURE`, "Authentication signature"); not an `X-Correlation-ID`
  // "Not an authentication token", nor an `Accept-Language` of "authorization failures".
  if (words.some((w) => CREDENTIAL_NAME_WORDS.has(w)) && CREDENTIAL_TEXT.test(description)) return true;
  return CREDENTIAL_HEADER_TAILS.some((tail) => tail.length <= words.length && tail.every((w, i) => words[words.length - tail.length + i] === w));
}

/**
 * Does a query parameter carry a credential? Decided by its name and description together: a
 * credential name (`api_key`, `access_token`, `oauth_token`, `client_secret`, a name ending in
 * `password` or `secret`) unless the description says it is something else (a page token, a sort
 * key); an ambiguous name (`key`, `token`, `auth`, `session`) only when the description says it
 * authenticates ("API key", "Authentication token", "OAuth 2.0 token"). Only values that can be a
 * string count (a `boolean` `password` flag is no password, nor is a string that is only ever
 * `true` / `false`). Returns how to name it in a message.
 */
export function queryCredential(spec: Spec, p: Located): string | undefined {
  const name = String(p.value.name);
  const schema = parameterSchema(spec, p);
  if (!mayBeString(schema)) return undefined;
  if (isBooleanText(p.value, schema)) return undefined;
  const description = typeof p.value.description === 'string' ? p.value.description : isObject(schema) && typeof schema.description === 'string' ? schema.description : '';
  const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const words = nameWords(name);
  const last = words[words.length - 1] ?? '';
  // A private key under any prefix (Google's `clientCertificate.encryptedPrivateKey`).
  const privateKey = last === 'key' && words[words.length - 2] === 'private';
  if (CREDENTIAL_NAMES.has(normalized) || CREDENTIAL_LAST_WORDS.has(last) || privateKey) {
    return NOT_CREDENTIAL_TEXT.test(description) && !CREDENTIAL_TEXT.test(description) ? undefined : 'a credential';
  }
  // A session's id is a credential when the parameter is called a token (Mastercard's `UserToken`,
  // "Session identifier as returned by the UserToken resource"); `sessionId` may name a playback
  // or a legislative session.
  const credentialText = CREDENTIAL_TEXT.test(description) || (last === 'token' && /\bsession (identifier|id)\b/i.test(description));
  if (AMBIGUOUS_NAMES.has(normalized) && credentialText && !NOT_CREDENTIAL_TEXT.test(description)) {
    return 'a credential';
  }
  return undefined;
}
