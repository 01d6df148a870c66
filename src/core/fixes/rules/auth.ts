/** Fixes for auth-401-response: document 401 for operations that take credentials, 403 for those that need scopes. */
import { addResponse, fix, operationOf, type FixProvider } from '../provider';
import { FixNotApplicable } from '../types';

/** The rule reports 401 and 403 at the same place; its message says which is missing. */
const about403 = (message: string) => /\bno 403\b/.test(message);

export const auth401Response: FixProvider = {
  // With a context, the title says what the response it `$ref`s holds (its header, its body).
  offers: (finding, ctx) => {
    const [id, name] = about403(finding.message) ? (['403', 'Forbidden'] as const) : (['401', 'Unauthorized'] as const);
    const what = ctx ? ` (${ctx.components.describeResponse(name)})` : '';
    return [fix(id, `Add a ${id} (${name}) response${what}`)];
  },
  // The rule asks only where the operation requires credentials (401, RFC 9110) or scopes (403, RFC 6750): the API answers so.
  invents: () => undefined,
  apply(ctx, id) {
    const { place } = operationOf(ctx);
    const name = id === '403' ? 'Forbidden' : 'Unauthorized';
    if (!addResponse(ctx, place, id, (from) => ctx.components.response(name, from))) throw new FixNotApplicable(`${id} is documented`);
  },
};
