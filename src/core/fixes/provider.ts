/**
 * What a rule's fixes look like to the rest of the code: cheap offers (titles, no parsing, so an
 * editor can list them as the cursor moves) and an `apply` that plans the edits of one offer on a
 * session. Also the helpers every family uses to find the operation or response a finding is about.
 */
import { isObject, type Operation } from '../../openapi/spec';
import type { Finding } from '../../shared/types';
import type { Components } from './components';
import type { FixModel, FixWorkspace, Place } from './model';
import { OPERATION, STATUS_CODES } from './order';
import type { FixSession, Planned } from './session';
import { FixNotApplicable, type JsonPath } from './types';

export interface FixContext {
  finding: Finding;
  ws: FixWorkspace;
  model: FixModel;
  session: FixSession;
  components: Components;
}

export interface Offer {
  /** Stable within the rule (`root`, `operation`, `401`...). */
  id: string;
  title: string;
  preferred: boolean;
  kind: 'fix' | 'suppress';
}

export interface FixProvider {
  offers(finding: Finding): Offer[];
  apply(ctx: FixContext, offerId: string): void;
}

export const fix = (id: string, title: string, preferred = true): Offer => ({ id, title, preferred, kind: 'fix' });

const HTTP_METHOD = /^(get|put|post|delete|options|head|patch|trace|query)$/;

/**
 * The last segment names the operation itself (its findings point at `…/get` when it has no
 * `responses`/`parameters`): a method field, or an OpenAPI 3.2 `additionalOperations` entry.
 */
export function endsAtOperation(path: JsonPath): boolean {
  return path.length > 0 && (HTTP_METHOD.test(String(path[path.length - 1])) || path[path.length - 2] === 'additionalOperations');
}

/** The operation a finding points at (or into). */
export function operationOf(ctx: FixContext): { op: Operation; place: Place } {
  const found = ctx.model.operationOn(ctx.finding.file, ctx.finding.path);
  if (!found) throw new FixNotApplicable('no operation at the finding');
  return found;
}

/** The operation of a logical spec-view operation, where it lives. */
export function placeOfOperation(ctx: FixContext, op: Operation): { op: Operation; place: Place } {
  const place = ctx.model.placeOf(op.path);
  if (!place) throw new FixNotApplicable('operation not found');
  return { op, place };
}

/**
 * The response a finding is about: findings on a response's headers point at its `headers` map
 * when it has one, else at the response.
 */
export function responseOf(ctx: FixContext): Place {
  const { file, path } = ctx.finding;
  const parent = path.length > 0 ? ctx.model.physical(file, path.slice(0, -1), false) : undefined;
  const target = path[path.length - 1] === 'headers' && parent && isObject(parent.value) && isObject(parent.value.headers) ? path.slice(0, -1) : path;
  const place = ctx.model.physical(file, target);
  if (!place || !isObject(place.value)) throw new FixNotApplicable('no response at the finding');
  return place;
}

/** The operation's `responses` map (created, in its place among the keys, when it is missing). */
export function responsesOf(ctx: FixContext, op: Place): Place {
  const existing = ctx.model.physical(op.file, [...op.path, 'responses']);
  if (existing && isObject(existing.value)) return existing;
  const doc = ctx.session.doc(op.file);
  doc.setKey(op.path, 'responses', {}, OPERATION);
  return { file: op.file, path: [...op.path, 'responses'], value: doc.get([...op.path, 'responses']) };
}

/** Add a status code to an operation's responses; false when it is documented already. */
export function addResponse(ctx: FixContext, op: Place, code: string, value: (fromFile: string) => Planned): boolean {
  const responses = responsesOf(ctx, op);
  const doc = ctx.session.doc(responses.file);
  if (doc.has([...responses.path, code])) return false;
  return doc.setKey(responses.path, code, value(responses.file), STATUS_CODES);
}

/** Add a parameter to an operation unless one with the same `in` and name is in force (path item's included). */
export function addParameter(ctx: FixContext, op: { op: Operation; place: Place }, where: string, name: string, value: (fromFile: string) => Planned): boolean {
  const taken = ctx.model.spec
    .parameters(op.op)
    .some((p) => p.value.in === where && String(p.value.name).toLowerCase() === name.toLowerCase());
  if (taken) return false;
  const doc = ctx.session.doc(op.place.file);
  const path = [...op.place.path, 'parameters'];
  const list = doc.get(path);
  // A pending list may hold what another fix of this plan added.
  if (Array.isArray(list) && list.some((p) => isObject(p) && typeof p.$ref === 'string' && JSON.stringify(p) === JSON.stringify(value(op.place.file)))) return false;
  if (list === undefined) doc.setKey(op.place.path, 'parameters', [value(op.place.file)], OPERATION);
  else doc.append(path, value(op.place.file));
  return true;
}
