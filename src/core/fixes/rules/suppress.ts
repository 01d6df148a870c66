/**
 * Suppression fixes for any Headroom rule: `x-lint-ignore: [rule-id]` on the operation the finding
 * is in, or at the root of the file it lies in (src/core/suppress.ts honours both). An existing
 * `x-lint-ignore` is extended: a list gets the rule appended, a single id becomes a list.
 */
import { IGNORE_KEY } from '../../suppress';
import type { Finding } from '../../../shared/types';
import { OPERATION, ROOT_2, ROOT_3 } from '../order';
import type { Offer, FixContext } from '../provider';
import { FixNotApplicable, type JsonPath, type KeyOrder } from '../types';

/** Load problems and the like are not rule findings and cannot be silenced. */
const UNSUPPRESSIBLE = new Set(['parse', 'ref', 'internal', 'ruleset', 'unrecognized-format']);

/** Root keys whose findings lie in shared components (OpenAPI 3 `components`, 2.0's `definitions`, `parameters`, `responses`), used by many operations or none. */
const SHARED = new Set(['components', 'definitions', 'parameters', 'responses', 'securityDefinitions']);

export function suppressionOffers(finding: Finding): Offer[] {
  if (UNSUPPRESSIBLE.has(finding.rule)) return [];
  // A finding at a root-level key (about the whole document), or in a shared component, is in no operation.
  const inOperation = finding.path.length > 1 && !SHARED.has(String(finding.path[0]));
  return [
    ...(inOperation ? [{ id: 'ignore-operation', title: `Ignore ${finding.rule} for this operation`, preferred: false, kind: 'suppress' } as const] : []),
    { id: 'ignore-file', title: `Ignore ${finding.rule} in this file`, preferred: false, kind: 'suppress' },
  ];
}

export function applySuppression(ctx: FixContext, id: string): void {
  const { finding } = ctx;
  if (id === 'ignore-operation') {
    const op = ctx.model.operationOn(finding.file, finding.path);
    if (!op) throw new FixNotApplicable('the finding is not inside an operation');
    ignore(ctx, op.place.file, op.place.path, OPERATION);
  } else {
    const order = finding.file === ctx.model.rootFile ? (ctx.model.isOas2 ? ROOT_2 : ROOT_3) : 'first';
    ignore(ctx, finding.file, [], order);
  }
}

function ignore(ctx: FixContext, file: string, owner: JsonPath, order: KeyOrder): void {
  const rule = ctx.finding.rule;
  const doc = ctx.session.doc(file);
  const path = [...owner, IGNORE_KEY];
  const current = doc.get(path);
  if (current === rule || (Array.isArray(current) && current.includes(rule))) throw new FixNotApplicable('already ignored');
  if (Array.isArray(current)) doc.append(path, rule);
  else if (typeof current === 'string') doc.replace(path, [current, rule]);
  else if (current === undefined) doc.setKey(owner, IGNORE_KEY, [rule], order);
  else throw new FixNotApplicable(`${IGNORE_KEY} holds something else`);
}
