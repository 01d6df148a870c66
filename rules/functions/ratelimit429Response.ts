import { defineRuleFunction } from './lib/define';
import { specOf, opLabel } from '../../src/openapi/spec';

/** Every operation documents a 429 (Too Many Requests) response. */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function ratelimit429Response(_input, _options, ctx) {
    const spec = specOf(ctx);
    return spec
      .operations()
      .filter((op) => spec.response(op, '429') === undefined)
      .map((op) => ({
        message: `${opLabel(op)} documents no 429 (Too Many Requests) response.`,
        path: op.value.responses !== undefined ? [...op.path, 'responses'] : op.path,
      }));
  },
);
