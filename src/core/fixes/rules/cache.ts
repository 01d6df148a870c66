/** Fixes for the caching family: Cache-Control on cacheable responses; ETag with If-None-Match and 304. */
import { isObject, type Operation } from '../../../openapi/spec';
import type { Place } from '../model';
import { addParameter, addResponse, endsAtOperation, fix, operationOf, placeOfOperation, responseOf, type FixContext, type FixProvider } from '../provider';
import { FixNotApplicable, type JsonPath } from '../types';

export const cacheControlHeader: FixProvider = {
  offers: () => [fix('cache-control', 'Add a Cache-Control header')],
  apply(ctx) {
    if (ctx.components.addHeaders(responseOf(ctx), ['Cache-Control']).length === 0) throw new FixNotApplicable('Cache-Control is documented');
  },
};

/** Which of cache-validator's findings this is, from where it points. */
function variant(path: JsonPath): 'etag' | 'if-none-match' | '304' {
  const last = path[path.length - 1];
  if (last === 'parameters' || endsAtOperation(path)) return 'if-none-match';
  if (last === 'responses') return '304';
  return 'etag';
}

export const cacheValidator: FixProvider = {
  offers(finding) {
    switch (variant(finding.path)) {
      case 'if-none-match':
        return [fix('if-none-match', 'Add an If-None-Match header parameter')];
      case '304':
        return [fix('304', 'Add a 304 (Not Modified) response')];
      default:
        return [fix('etag', 'Add an ETag header, with If-None-Match and 304 on the operations that use it')];
    }
  },
  apply(ctx, id) {
    if (id === 'if-none-match') {
      if (!addIfNoneMatch(ctx, operationOf(ctx))) throw new FixNotApplicable('If-None-Match is accepted');
      return;
    }
    if (id === '304') {
      if (!add304(ctx, operationOf(ctx).place)) throw new FixNotApplicable('304 is documented');
      return;
    }
    // An ETag alone would make each operation that returns it lack If-None-Match and 304: add all three.
    const response = responseOf(ctx);
    const added = ctx.components.addHeaders(response, ['ETag']).length > 0;
    if (!added) throw new FixNotApplicable('ETag is documented');
    for (const op of getOperationsReturning(ctx, response)) {
      const located = placeOfOperation(ctx, op);
      addIfNoneMatch(ctx, located);
      add304(ctx, located.place);
    }
  },
};

function addIfNoneMatch(ctx: FixContext, op: { op: Operation; place: Place }): boolean {
  return addParameter(ctx, op, 'header', 'If-None-Match', (from) => ctx.components.parameter('IfNoneMatch', from));
}

function add304(ctx: FixContext, op: Place): boolean {
  const responses = ctx.model.physical(op.file, [...op.path, 'responses']);
  if (responses && isObject(responses.value) && Object.keys(responses.value).some((c) => /^3xx$/i.test(c))) return false;
  return addResponse(ctx, op, '304', (from) => ctx.components.response('NotModified', from));
}

/** GET/HEAD/QUERY operations whose 200 response is this response object. */
function getOperationsReturning(ctx: FixContext, response: Place): Operation[] {
  return ctx.model
    .responseUses(response.value)
    .filter(({ op, code }) => code === '200' && (op.method === 'get' || op.method === 'head' || op.method === 'query'))
    .map(({ op }) => op);
}
