import { defineRuleFunction } from './lib/define';
import {
  LOWEST_PAGE_SIZE, PAGINATION_OPTIONS_SCHEMA, type PaginationOptions, collectionOf, fixedResultSet, lowestPageSize, operationsText, paginationParams, refKey, resolveOptions, schemaTypes, statedBounds,
} from './lib/pagination';
import { type JsonPath, type Located, type Operation, type Spec, isObject, specOf, opLabel } from '../../src/openapi/spec';

interface Finding {
  name: string;
  problems: string[];
  path: JsonPath;
  ops: string[];
  /** Some operation pages with it, or lists with it; else (top-N, random, autocomplete) it only counts results. */
  pages: boolean;
  /** The bound the parameter's description states, when the schema does not. */
  stated?: string;
}

/** The upper bound a description states in words ("maximum 100", "between 1 and 20"), as written (see `statedBounds`). */
function statedBound(p: Located, schema: Record<string, unknown>): string | undefined {
  const text = [p.value.description, schema.description].filter((t) => typeof t === 'string').join(' ');
  // Quoted without markdown emphasis or code marks ("maximum value is `200`").
  return statedBounds(text.replace(/[`*]/g, '')).text?.replace(/\s+/g, ' ');
}

/** What a page-size schema (OAS 3 `schema`, or the OAS 2 parameter itself) lacks: an upper bound, and a lower bound of at least 0. */
function missingBounds(s: Record<string, any>, requireMinimum: boolean): string[] {
  if (Array.isArray(s.enum) && s.enum.length > 0 && s.enum.every((v: unknown) => typeof v === 'number')) {
    return requireMinimum && Math.min(...s.enum) < LOWEST_PAGE_SIZE ? [`a negative value in its \`enum\``] : [];
  }
  const problems: string[] = [];
  if (typeof s.maximum !== 'number' && typeof s.exclusiveMaximum !== 'number') problems.push('no `maximum`');
  if (!requireMinimum) return problems;
  const low = lowestPageSize(s);
  if (low === undefined) problems.push('no `minimum`');
  else if (low < LOWEST_PAGE_SIZE) {
    problems.push(typeof s.exclusiveMinimum === 'number'
      ? `an \`exclusiveMinimum\` of ${s.exclusiveMinimum} (a negative page size)`
      : `a \`minimum\` of ${s.minimum} (a negative page size)`);
  }
  return problems;
}

/** Where a parameter's bounds live: a shared `$ref` target (reported once), or the operation's own parameter. */
function locationKey(spec: Spec, op: Operation, p: Located): string {
  const index = p.path[p.path.length - 1] as number;
  const owner = p.path.length === op.path.length + 2 ? op : op.pathItem;
  return refKey(owner.value.parameters?.[index], owner.file) ??
    (spec.isOas2 ? undefined : refKey(p.value.schema, p.file)) ??
    JSON.stringify(p.path);
}

/** The page-size parameter of a paginated operation declares a `maximum` (and a `minimum` of at least 0). */
export default defineRuleFunction<unknown, PaginationOptions | null>(
  { input: null, options: PAGINATION_OPTIONS_SCHEMA as any },
  function paginationLimitBounded(_input, options, ctx) {
    const spec = specOf(ctx);
    const r = resolveOptions(options);
    const found = new Map<string, Finding>();
    for (const op of spec.operations()) {
      const params = paginationParams(spec, op, r);
      if (params.size.length === 0) continue;
      // A size parameter sets a page size when the operation paginates or returns a collection
      // (`limit` on a list); elsewhere `size` may mean anything (an image's size, a flag).
      if (params.style === undefined && params.time.length === 0 && !collectionOf(spec, op, r, params)) continue;
      for (const p of params.size) {
        const schema = spec.isOas2 ? p : spec.child(p, 'schema');
        if (!schema || !isObject(schema.value)) continue;
        const types = schemaTypes(schema.value);
        if (types.length > 0 && !types.some((x) => x === 'integer' || x === 'number')) continue;
        const problems = missingBounds(schema.value, r.requireMinimum);
        if (problems.length === 0) continue;
        const key = locationKey(spec, op, p);
        const where = `${opLabel(op)}`;
        // A top-N, random or autocomplete count is a result count; a list's limit sets its page size.
        const pages = params.style !== undefined || params.time.length > 0 || params.page.length > 0 || params.offset.length > 0 || fixedResultSet(spec, op, params) === undefined;
        const seen = found.get(key);
        if (seen) {
          seen.ops.push(where);
          seen.pages ||= pages;
        } else {
          const stated = problems.includes('no `maximum`') ? statedBound(p, schema.value) : undefined;
          found.set(key, { name: p.value.name, problems, path: spec.isOas2 ? p.path : [...p.path, 'schema'], ops: [where], pages, ...(stated ? { stated } : {}) });
        }
      }
    }
    return [...found.values()].map((f) => ({
      message: `${f.pages ? 'Page-size' : 'Result-count'} parameter \`${f.name}\` of ${operationsText(f.ops)} declares ${f.problems.join(' and ')}${f.stated ? ` (its description says "${f.stated}": put it in the schema, where clients and gateways read it)` : ''}.`,
      path: f.path,
    }));
  },
);
