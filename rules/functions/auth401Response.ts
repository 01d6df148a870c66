import { defineRuleFunction } from './lib/define';
import { isAwsSigv4, isPreflight, schemeType } from './lib/auth';
import { badCredentialsAnswer, misfiledNote } from './lib/misfiled';
import { sharedOpLabel, specOf, type JsonPath } from '../../src/openapi/spec';

interface Options {
  /** Let a `4XX` range response stand for 401 and 403 (default false: the codes must be explicit). */
  acceptRange?: boolean;
}

/**
 * Operations that take credentials document 401; those whose requirements ask OAuth2 or OpenID
 * Connect scopes also document 403. Requirements made only of mutualTLS schemes fail in the TLS
 * handshake, not with a 401, and need neither. AWS Signature Version 4 fails with 403, so it asks
 * for 403 instead of 401. `default` never counts. An OPTIONS operation that
 * only inherits the root's requirements is a CORS preflight (see `isPreflight`) and is not checked.
 */
export default defineRuleFunction<unknown, Options | null>(
  {
    input: null,
    options: {
      type: ['object', 'null'],
      properties: { acceptRange: { type: 'boolean' } },
      additionalProperties: false,
    },
  },
  function auth401Response(_input, options, ctx) {
    const spec = specOf(ctx);
    const acceptRange = options?.acceptRange ?? false;
    const schemes = spec.securitySchemes();
    const results: { message: string; path: JsonPath }[] = [];
    for (const node of spec.operationNodes()) {
      const { op } = node;
      // A CORS preflight carries no credentials, so it is never answered 401 or 403.
      if (isPreflight(op)) continue;
      const httpSchemes = new Set<string>();
      const sigv4 = new Set<string>();
      const scoped = new Set<string>();
      // What each requirement asks in scopes, the scheme's name left out: requirements are
      // alternatives, and Google's specs list every scope under two schemes (Oauth2, Oauth2c).
      const alternatives = new Set<string>();
      for (const req of spec.effectiveSecurity(op).requirements) {
        const asked: string[] = [];
        for (const [name, scopes] of Object.entries(req)) {
          const type = schemeType(schemes.get(name));
          if (isAwsSigv4(schemes.get(name))) sigv4.add(name);
          else if (type !== 'mutualtls') httpSchemes.add(name);
          if ((type === 'oauth2' || type === 'openidconnect') && Array.isArray(scopes) && scopes.length > 0) {
            scoped.add(`${name}: ${scopes.join(', ')}`);
            asked.push(...scopes.map(String));
          }
        }
        if (asked.length > 0) alternatives.add([...new Set(asked)].join(' and '));
      }
      if (httpSchemes.size === 0 && sigv4.size === 0) continue;
      const documents = (code: string): boolean =>
        spec.response(op, code) !== undefined || (acceptRange && spec.responses(op).some(([c]) => c.toUpperCase() === '4XX'));
      const path = op.value.responses !== undefined ? [...op.path, 'responses'] : op.path;
      // An API that documents its answer to bad credentials under 400 or 403 answers so, not 401.
      if (httpSchemes.size > 0 && !documents('401') && badCredentialsAnswer(spec, op) === undefined) {
        results.push({
          message: `${sharedOpLabel(node)} takes credentials (${[...httpSchemes].join(', ')}) but documents no 401 (Unauthorized) response for missing or invalid ones.${misfiledNote(spec, op, '401')}`,
          path,
        });
      }
      if (scoped.size > 0 && !documents('403')) {
        results.push({
          message: `${sharedOpLabel(node)} ${alternatives.size > 1 ? `requires one of ${alternatives.size} scope choices (${[...alternatives].join('; ')})` : `requires scopes (${[...scoped].join('; ')})`} but documents no 403 (Forbidden) response for a token that ${alternatives.size > 1 ? 'has none of them' : 'lacks them'}.${misfiledNote(spec, op, '403')}`,
          path,
        });
      } else if (sigv4.size > 0 && !documents('403')) {
        results.push({
          message: `${sharedOpLabel(node)} takes AWS Signature Version 4 credentials (${[...sigv4].join(', ')}) but documents no 403 (Forbidden) response, AWS's answer to a missing or invalid signature.${misfiledNote(spec, op, '403')}`,
          path,
        });
      }
    }
    return results;
  },
);
