/**
 * An answer documented under another status code: AWS specs converted by APIs.guru file
 * `ThrottlingException` under 485 and `AccessDeniedException` under 480; GitHub documents its
 * rate limit on 403. A finding that asks for 429, 401 or 403 names such a response, so the reader
 * sees the answer is there, only under a status code clients and gateways do not look for.
 */
import { isObject, type Operation, type Spec } from '../../../src/openapi/spec';

const DESCRIBES: Record<'429' | '401' | '403', RegExp> = {
  '429': /throttl|too\s*many\s*requests|rate\s*limit/i,
  '401': /unauthori[sz]ed|unauthenticated|not\s*authenticated/i,
  '403': /access\s*denied|forbidden/i,
};

/** ` Its 485 response ("ThrottlingException") describes that answer under another status code.`, or '' when no other 4xx / 5xx response names it. */
export function misfiledNote(spec: Spec, op: Operation, code: '429' | '401' | '403'): string {
  for (const [status, response] of spec.responses(op)) {
    if (status === code || !/^[45]\d\d$/.test(status)) continue;
    const description = typeof response.value.description === 'string' ? response.value.description.trim() : '';
    if (!names(description, DESCRIBES[code], code !== '429')) continue;
    const quoted = description.length > 60 ? `${description.slice(0, 60).trimEnd()}…` : description;
    return ` Its ${status} response (${JSON.stringify(quoted)}) describes that answer under another status code.`;
  }
  return '';
}

/**
 * Does a response's description name the answer: start with it, as an error name does
 * (`ThrottlingException`, `RequestThrottledException`) or a sentence ("Unauthorized or API key is
 * invalid")? Not a description that mentions it among other cases (Zoom's 400 listing error
 * codes), nor a dependency's failure (`KMSAccessDeniedFault`, `LambdaThrottledException`). With
 * `whole`, an error name must be the answer and nothing more: `AccessDeniedException`, not
 * `AccessDeniedForDependencyException` (a signed caller lacking a permission on another service)
 * nor EC2's `UnauthorizedOperation` (a permission, not the credentials); a sentence must go on
 * after the word (`Forbidden: …`, `Unauthorized or API key is invalid`).
 */
function names(description: string, answer: RegExp, whole: boolean): boolean {
  const start = answer.exec(description);
  if (start === null || !/^[\W_]*((call|request|client)\s*)?$/i.test(description.slice(0, start.index))) return false;
  if (!whole) return true;
  // An error name (one word): exactly the answer's (`AccessDeniedException`), not a cousin's
  // (DMS's `AccessDeniedFault`, its own role denied; Cognito's `ForbiddenException`, its firewall).
  if (!/\s/.test(description.trim())) return /^(AccessDenied|Unauthori[sz]ed|Unauthenticated)(Exception|Error)?$/i.test(description.trim().replace(/^[\W_]+|[\W_]+$/g, ''));
  return /^[a-z]*(?:[^A-Za-z]|$)/.test(description.slice(start.index + start[0].length));
}

/**
 * Credentials by name: an API key, a token (an access / auth / bearer token, a JWT; not a page,
 * cursor, reset or verification token), credentials, a signature, a password, a session, an OAuth
 * client's id or secret (not a deploy key).
 */
const CREDENTIAL = String.raw`(api[\s_-]?key|(?<!(page|next|continuation|pagination|sync|cursor|deploy|reset|verification|confirmation|invite|invitation)[\s_-]?)token|jwt|credentials?|signature|password|session|client[\s_-]?(id|secret))`;

/**
 * The same, for a 400: only names that cannot be the request's own payload (a revoke endpoint's
 * 400 "The token is invalid" is about the token it was sent to revoke).
 */
const CREDENTIAL_400 = String.raw`(api[\s_-]?key|access[\s_-]?token|auth(entication)?[\s_-]?token|bearer[\s_-]?token|credentials?|signature|password)`;

/** What a missing or bad credential is said to be ("not recognized", "not not specified", AWS's "does not match"). */
const NOT_GOOD = String.raw`(invalid|missing|expired|revoked|incorrect|(not\s+)+(valid|provided|supplied|specified|sent|set|given|recognized|recognised)|does\s+not\s+match)`;

/**
 * A sentence that says the credentials are missing or not valid ("Supplied API key is not valid",
 * "Bad credentials", "Access token is either missing or invalid", "API key not specified or
 * invalid", "Authentication failed", "You have failed to authenticate", "not logged in"). Not a
 * permission ("Not authorized to delete this board", "the authenticated user can't…").
 */
function badCredentials(credential: string): RegExp[] {
  return [
    new RegExp(String.raw`\b(invalid|missing|expired|revoked|incorrect|wrong|bad|no valid|not valid)\b[^.;]{0,30}?\b${credential}\b`, 'i'),
    new RegExp(String.raw`\b${credential}\b[^.;]{0,60}?\b(is|are|was|were|has|have)\s+(either\s+)?${NOT_GOOD}\b`, 'i'),
    new RegExp(String.raw`\b${credential}\s+${NOT_GOOD}\b`, 'i'),
    new RegExp(String.raw`\b${credential}\b[^.;]{0,40}?\bdoes\s+not\s+match\b`, 'i'),
    new RegExp(String.raw`\b(issue|problem)\s+with\s+your\s+${credential}\b`, 'i'),
    /^\W*(unauthori[sz]ed|unauthenticated|not\s+authenticated)\b/i,
    /^\W*not\s+authori[sz]ed\b(?!\s+(to|for)\b)/i,
    /\bauthentication\s+(failed|failure|required)\b|\bfailed\s+to\s+authenticate\b|\bnot\s+logged\s+in\b/i,
  ];
}

/** The patterns for a status, and on a 403 for the document's API-key header names ("Invalid X-Key header."), built once each. */
const patternsFor = new Map<string, RegExp[]>();
function badCredentialsOf(spec: Spec, status: string): RegExp[] {
  const names = status === '400' ? [] : keyHeaderNames(spec);
  const base = status === '400' ? CREDENTIAL_400 : CREDENTIAL;
  const key = [status === '400' ? '400' : '403', ...names].join('\0');
  let patterns = patternsFor.get(key);
  if (!patterns) {
    patterns = badCredentials(names.length === 0 ? base : `(${base.slice(1, -1)}|${names.map((n) => n.replace(/-/g, '\\-')).join('|')})`);
    if (patternsFor.size > 100) patternsFor.clear();
    patternsFor.set(key, patterns);
  }
  return patterns;
}

/** The names the document's API-key schemes give their headers, of a header's own shape (`X-Key`, `api_token`, `authToken`; not a word: `key`), read once per document. */
const keyHeaderNamesOf = new WeakMap<Spec, string[]>();
function keyHeaderNames(spec: Spec): string[] {
  let names = keyHeaderNamesOf.get(spec);
  if (!names) {
    names = [...spec.securitySchemes().values()]
      .map((s) => (isObject(s.value) && s.value.type === 'apiKey' && typeof s.value.name === 'string' ? s.value.name : ''))
      .filter((n) => /^[\w-]{2,}$/.test(n) && /[-_]|[a-z][A-Z]/.test(n));
    keyHeaderNamesOf.set(spec, names);
  }
  return names;
}

/**
 * The first sentence of a description, without markup (Zoom's start with "**HTTP Status Code:**
 * `400`<br>"), its lines joined: a sentence ends at a full stop, a blank line or a list item, not
 * where Markdown wraps it (Box's "…provided in the `Authorization` header\nis not recognized").
 */
function firstSentence(description: string): string {
  const text = description.replace(/<br\s*\/?>/gi, '\n\n').replace(/<[^>]*>/g, '');
  return (
    text
      .split(/\n\s*\n|\n(?=\s*[*-]\s)|\.(?:\s|$)/)
      .map((s) => s.replace(/\s+/g, ' ').trim())
      .find((s) => /[A-Za-z]/.test(s)) ?? ''
  );
}

/**
 * The status code (400 or 403) under which an operation documents its answer to missing or
 * invalid credentials, when its description's first sentence says so: TomTom's `403: Supplied
 * API key is not valid for this request`. Such an API answers 403, not 401; a 401 would be a
 * response it says it never sends.
 */
export function badCredentialsAnswer(spec: Spec, op: Operation): string | undefined {
  for (const [status, response] of spec.responses(op)) {
    if (status !== '400' && status !== '403') continue;
    const sentence = typeof response.value.description === 'string' ? firstSentence(response.value.description) : '';
    if (badCredentialsOf(spec, status).some((re) => re.test(sentence)) && !PERMISSION.test(sentence)) return status;
  }
  return undefined;
}

/**
 * A sentence about what valid credentials may do, not about the credentials themselves: "Missing
 * scope for this access token", "Not authorized (insufficient permissions)", "Not authorized: the
 * admin role is required", "Wrong account for this API key".
 */
const PERMISSION = /\b(scopes?|permissions?|roles?|admin(istrator)?s?|privileges?|insufficient|account|two-factor|2fa|mfa|multi-factor)\b/i;
