import { defineRuleFunction, type RuleResult } from './lib/define';
import { label, WRITE_METHODS } from './lib/auth';
import { specOf } from '../../src/openapi/spec';

/**
 * Every operation requires credentials, unless it marks itself public with its own `security: []`
 * (or `[{}]`). A `{}` alternative beside real requirements makes authentication optional: fine for
 * reads, not for writes. Write operations (POST, PUT, PATCH, DELETE) are reported with severity
 * `error` (unless the user's ruleset sets the rule's severity). OPTIONS operations are not checked:
 * browsers send the CORS preflight without credentials, and a server must answer it without them.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function authOperationSecured(_input, _options, ctx) {
    const spec = specOf(ctx);
    const results: RuleResult[] = [];
    for (const op of spec.operations()) {
      // A CORS preflight must be answered without credentials: an OPTIONS without them is expected.
      if (op.method === 'options') continue;
      const { requirements, source } = spec.effectiveSecurity(op);
      const named = requirements.filter((r) => Object.keys(r).length > 0);
      // The operation's own list without any named requirement: explicitly public.
      if (source === 'operation' && named.length === 0) continue;
      const write = WRITE_METHODS.has(op.method);
      const optional = named.length < requirements.length;
      if (named.length > 0 && (!optional || !write)) continue;
      const fix = write ? 'require credentials, or mark it public with its own `security: []` if anonymous writes are intended' : 'require credentials, or mark it public with its own `security: []`';
      let why: string;
      if (named.length > 0) why = `accepts anonymous requests: its effective \`security\` lists \`{}\` (authentication optional)`;
      else if (source === 'none') why = 'has no security requirement (none on the operation, none at the root)';
      else if (requirements.length === 0) why = 'inherits the root `security: []`, which does not mark operations public';
      else why = 'inherits a root `security` that lists only `{}` (no credentials required)';
      results.push({
        message: `${label(op)} ${why}; ${fix}.`,
        path: source === 'operation' ? [...op.path, 'security'] : op.path,
        ...(write ? { severity: 'error' as const } : {}),
      });
    }
    return results;
  },
);
