/** Fixes for auth-401-response: document 401 for operations that take credentials, 403 for those that need scopes. */
import { addResponse, fix, operationOf, type FixProvider } from '../provider';
import { FixNotApplicable } from '../types';

/** The rule reports 401 and 403 at the same place; its message says which is missing. */
const about403 = (message: string) => /\bno 403\b/.test(message);

export const auth401Response: FixProvider = {
  offers: (finding) =>
    about403(finding.message) ? [fix('403', 'Add a 403 (Forbidden) response')] : [fix('401', 'Add a 401 (Unauthorized) response')],
  // The rule asks only where the operation requires credentials (401, RFC 9110) or scopes (403, RFC 6750): the API answers so.
  invents: () => undefined,
  apply(ctx, id) {
    const { place } = operationOf(ctx);
    const name = id === '403' ? 'Forbidden' : 'Unauthorized';
    if (!addResponse(ctx, place, id, (from) => ctx.components.response(name, from))) throw new FixNotApplicable(`${id} is documented`);
  },
};
