import { defineRuleFunction, type RuleResult } from './lib/define';
import { credentialParameter, declaredSchemeNames, isMarkedPublic, isQueryPost, isWriteMethod, label, queryCredential } from './lib/auth';
import { documentFindingPath, isObject, specOf, type Operation, type Spec } from '../../src/openapi/spec';

/**
 * Every operation requires credentials, unless it marks itself public with its own `security: []`
 * (or `[{}]`). A `{}` alternative beside real requirements makes authentication optional: fine for
 * reads, not for writes. Write operations (every method but GET, HEAD, OPTIONS, TRACE and QUERY:
 * POST, PUT, PATCH, DELETE, and OpenAPI 3.2 `additionalOperations` such as PURGE; not a POST that
 * is a query, see `isQueryPost`) are reported with severity `error` (unless the user's ruleset sets the rule's
 * severity). OPTIONS operations are not checked: browsers send the CORS preflight without
 * credentials, and a server must answer it without them.
 *
 * When no operation of the document requires credentials and none decides for itself (every
 * finding comes from the root: no `security`, `security: []` or only `{}`), the fix is one root
 * `security`: that is one finding, at the root's `security` (or the document), not one per
 * operation; an error when any of those operations writes.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function authOperationSecured(_input, _options, ctx) {
    const spec = specOf(ctx);
    const results: RuleResult[] = [];
    const inherited: { op: Operation; write: boolean }[] = [];
    let requiresSomewhere = false;
    for (const op of spec.operations()) {
      // A CORS preflight must be answered without credentials: an OPTIONS without them is expected.
      if (op.method === 'options') continue;
      const { requirements, source } = spec.effectiveSecurity(op);
      const named = requirements.filter((r) => Object.keys(r).length > 0);
      if (named.length > 0) requiresSomewhere = true;
      if (isMarkedPublic(op)) continue;
      const write = isWriteMethod(op) && !isQueryPost(op, spec);
      const optional = named.length < requirements.length;
      if (named.length > 0 && (!optional || !write)) continue;
      if (source !== 'operation' && named.length === 0) inherited.push({ op, write });
      const fix = write ? 'require credentials, or mark it public with its own `security: []` if anonymous calls are intended' : 'require credentials, or mark it public with its own `security: []`';
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
    // Nothing anywhere requires credentials and every finding is the root's doing: one finding at the root.
    if (!requiresSomewhere && inherited.length > 0 && inherited.length === results.length) {
      const writes = inherited.filter((i) => i.write).length;
      const root = isObject(spec.root) ? spec.root : {};
      const state = Array.isArray(root.security)
        ? root.security.length === 0 ? 'the root `security: []` requires nothing' : 'the root `security` lists only `{}`'
        : 'the root declares no `security`';
      // The methods, not a claim about what the operations do: a POST may only compute (a packing solver).
      const methods = [...new Set(inherited.filter((i) => i.write).map((i) => i.op.method.toUpperCase()))].sort();
      const methodText = methods.length === 1 ? methods[0] : `${methods.slice(0, -1).join(', ')} or ${methods[methods.length - 1]}`;
      // POSTs that only query (searches, RPC-style reads) are not counted as writes; say so, or the
      // count reads as short of the document's POSTs.
      const queries = inherited.filter((i) => !i.write && isWriteMethod(i.op)).length;
      const queryNote = queries === 0 || writes === 0 ? '' : `, besides ${queries} ${queries === 1 ? 'POST that only queries' : 'POSTs that only query'}`;
      const count = `${inherited.length === 1 ? '1 operation' : `${inherited.length} operations`}${writes === 0 ? '' : inherited.length === 1 ? `, a ${methodText}, a method that may change state` : `, ${writes === inherited.length ? 'all' : writes} of them ${methodText}, ${methods.length === 1 ? 'a method' : 'methods'} that may change state${queryNote}`}`;
      // Whether or not they take credentials, the document declares none: what it shows of them
      // (credentials taken as plain parameters, 401 answers) is evidence, not a requirement.
      const evidence = credentialEvidence(spec, inherited.map((i) => i.op));
      const path = Array.isArray(root.security) ? ['security'] : documentFindingPath(spec);
      // A scheme defined and never required (noosh's HTTP_BASIC) is what the root should name.
      const defined = declaredSchemeNames(spec);
      const definedText = defined.length === 0 ? '' : ` (${defined.slice(0, 3).map((n) => `\`${n}\``).join(', ')}${defined.length > 3 ? ', …' : ''} ${defined.length === 1 ? 'is' : 'are'} defined, but nothing requires ${defined.length === 1 ? 'it' : 'them'})`;
      const advice = evidence.parameters.length > 0
        ? 'Declare them as a security scheme required at the root, and mark public operations with their own `security: []`.'
        : defined.length > 0
          ? `Require ${defined.length === 1 ? 'it' : 'them'} in a root \`security\`, and mark public operations with their own \`security: []\`.`
          : 'Declare `security` at the root, and mark public operations with their own `security: []`.';
      return [
        {
          message: `No operation declares a security requirement (${count}${evidence.text}): ${state}${definedText}, and no operation its own. ${advice}`,
          path,
          ...(writes > 0 ? { severity: 'error' as const } : {}),
        },
      ];
    }
    return results;
  },
);

/** "it", "all of them", "1 of them", "3 of them", and the verb agreeing with it. */
function someOf(n: number, total: number, verb: string, verbOne: string): string {
  if (total === 1) return `it ${verbOne}`;
  if (n === total) return `all of them ${verb}`;
  return `${n} of them ${n === 1 ? verbOne : verb}`;
}

/**
 * What the operations show of credentials they take though the document declares no requirement:
 * parameters that carry one (`credentialParameter`; a credential-named path parameter too, as
 * shinobi's `/{AccessToken}/…`), each taken by most of the operations (not GitHub's
 * `/tokens/{access_token}`, nor a password one operation checks), else documented 401 answers
 * (GitHub's "Requires authentication").
 */
function credentialEvidence(spec: Spec, ops: Operation[]): { parameters: string[]; text: string } {
  const pathNames = new Map<string, number>();
  for (const op of ops) {
    for (const name of new Set(spec.parameters(op).filter((p) => p.value.in === 'path' && queryCredential(spec, p) !== undefined).map((p) => String(p.value.name).toLowerCase()))) {
      pathNames.set(name, (pathNames.get(name) ?? 0) + 1);
    }
  }
  const commonPath = new Set([...pathNames].filter(([, n]) => n * 2 > ops.length).map(([name]) => name));
  const candidates = ops.map((op) =>
    spec.parameters(op).filter((p) => credentialParameter(spec, p) || (p.value.in === 'path' && commonPath.has(String(p.value.name).toLowerCase()))).map((p) => String(p.value.name)),
  );
  // The caller's credential is taken by most operations (an API key on each); a password one
  // operation takes (to protect a certificate file, or to be checked for strength) is data.
  const uses = new Map<string, number>();
  for (const names of candidates) for (const name of new Set(names.map((n) => n.toLowerCase()))) uses.set(name, (uses.get(name) ?? 0) + 1);
  const taken = candidates.map((names) => names.filter((n) => (uses.get(n.toLowerCase()) ?? 0) * 2 > ops.length));
  const taking = taken.filter((names) => names.length > 0).length;
  if (taking > 0) {
    // One name once, however its operations spell it (`AccessToken`, `accesstoken`).
    const byLower = new Map<string, string>();
    for (const name of taken.flat()) if (!byLower.has(name.toLowerCase())) byLower.set(name.toLowerCase(), name);
    const names = [...byLower.values()];
    const shown = names.slice(0, 3).map((n) => `\`${n}\``).join(', ');
    return { parameters: names, text: `; ${someOf(taking, ops.length, 'take', 'takes')} credentials as parameters: ${shown}${names.length > 3 ? ', …' : ''}` };
  }
  const answering = ops.filter((op) => spec.response(op, '401') !== undefined).length;
  if (answering > 0) return { parameters: [], text: `; ${someOf(answering, ops.length, 'answer', 'answers')} 401 Unauthorized` };
  return { parameters: [], text: '' };
}
