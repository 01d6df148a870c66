/** Swagger 2.0 spec-level checks (what swagger-parser checks beyond the schema), one issue per node. */
import { isObject, type JsonPath, type Located, type Operation, type Spec } from '../../../../src/openapi/spec';
import type { Issue } from './types';

const SWAGGER2_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/** Spec-level problems of a Swagger 2.0 document that passed the schema. */
export function swagger2SpecIssues(spec: Spec): Issue[] {
  const issues: Issue[] = [];
  const root = spec.root;
  const firstWithId = new Map<string, Operation>();
  const templatesChecked = new Set<string>();
  const label = (op: Operation) => `${op.method.toUpperCase()} ${op.pathKey}`;

  for (const op of spec.operations()) {
    if (!SWAGGER2_METHODS.has(op.method)) continue;
    const id = op.value.operationId;
    if (typeof id === 'string' && id !== '') {
      const first = firstWithId.get(id);
      if (first) issues.push({ path: [...op.path, 'operationId'], message: `${label(op)} reuses operationId '${id}' of ${label(first)}; operationIds must be unique.` });
      else firstWithId.set(id, op);
    }

    for (const [code, response] of spec.responses(op)) {
      if (code !== 'default' && !(Number(code) >= 100 && Number(code) <= 599)) {
        issues.push({ path: [...op.path, 'responses', code], message: `${label(op)} has the response code ${code}, which is not an HTTP status code (100-599).` });
      }
      for (const [, header] of spec.headers(response)) {
        issues.push(...arrayWithoutItems(header, `Header '${String(header.path[header.path.length - 1])}' of the ${code} response of ${label(op)}`));
      }
      const schema = spec.child(response, 'schema');
      if (schema) issues.push(...arrayWithoutItems(schema, `The schema of the ${code} response of ${label(op)}`));
    }

    const placeholders: string[] = op.pathKey.match(/\{([^/}]+)}/g) ?? [];
    const repeated = placeholders.filter((p, i) => placeholders.indexOf(p) !== i);
    if (repeated.length > 0 && !templatesChecked.has(op.pathKey)) {
      templatesChecked.add(op.pathKey);
      issues.push({ path: op.pathItem.path, message: `Path ${op.pathKey} uses the placeholder ${repeated[0]} more than once.` });
    }

    // Parameters: each list on its own, then the effective set (operation overrides path item).
    const lists = [op.pathItem, op as Located].map((owner) => parameterList(spec, owner));
    for (const list of lists) {
      list.items.forEach((p, j) => {
        const dup = list.items.findIndex((q) => q.in === p.in && q.name === p.name);
        if (dup < j && p.name !== undefined) {
          issues.push({ path: p.usePath, message: `${label(op)} declares the ${p.in} parameter '${p.name}' twice in one list (items ${dup} and ${j}).` });
        }
      });
    }
    const [pathLevel, opLevel] = lists;
    // A parameter behind a `$ref` that cannot be followed (reported as rule `ref`) could be anything.
    if (pathLevel.unresolved || opLevel.unresolved) continue;
    const effective = [...opLevel.items, ...pathLevel.items.filter((p) => !opLevel.items.some((q) => q.in === p.in && q.name === p.name))];
    const listPath = opLevel.path ?? pathLevel.path ?? op.path;
    const body = effective.filter((p) => p.in === 'body');
    if (body.length > 1) issues.push({ path: listPath, message: `${label(op)} has ${body.length} body parameters; only one is allowed.` });
    else if (body.length === 1 && effective.some((p) => p.in === 'formData')) {
      issues.push({ path: listPath, message: `${label(op)} has both a body parameter and formData parameters; use one or the other.` });
    }

    const unmatched = [...new Set(placeholders)];
    for (const p of effective.filter((q) => q.in === 'path')) {
      const at = unmatched.indexOf(`{${p.name}}`);
      if (at === -1) issues.push({ path: p.usePath, message: `${label(op)} declares the path parameter '${p.name}', but its path has no {${p.name}}.` });
      else unmatched.splice(at, 1);
    }
    if (unmatched.length > 0) {
      issues.push({ path: op.path, message: `${label(op)} declares no path parameter for ${unmatched.join(', ')}.` });
    }

    for (const p of effective) {
      if (p.in === 'body') {
        const schema = spec.child(p.located, 'schema');
        if (schema) {
          const what = `The body schema of ${label(op)}`;
          issues.push(...arrayWithoutItems(schema, what), ...requiredNotDefined(spec, schema, what));
        }
        continue;
      }
      issues.push(...arrayWithoutItems(p.located, `The ${p.in} parameter '${p.name}' of ${label(op)}`));
      if (p.located.value.type === 'file') {
        const consumes = Array.isArray(op.value.consumes) ? op.value.consumes : Array.isArray(root.consumes) ? root.consumes : [];
        const ok = consumes.some((c: unknown) => typeof c === 'string' && (/multipart\/(.*\+)?form-data/.test(c) || /application\/(.*\+)?x-www-form-urlencoded/.test(c)));
        if (!ok) {
          issues.push({
            path: [...p.located.path, 'type'],
            message: `${label(op)} takes the file parameter '${p.name}', so it must consume multipart/form-data or application/x-www-form-urlencoded.`,
          });
        }
      }
    }
  }

  const definitions = spec.deref(root.definitions, ['definitions'], spec.rootFile);
  if (definitions && isObject(definitions.value)) {
    for (const name of Object.keys(definitions.value)) {
      const def = spec.child(definitions, name);
      if (def) issues.push(...requiredNotDefined(spec, def, `Definition '${name}'`));
    }
  }
  return issues;
}

interface Param {
  located: Located;
  /** Where a problem with this use of the parameter is shown: the item, or its list when the item is a `$ref`. */
  usePath: JsonPath;
  name: string | undefined;
  in: string | undefined;
}

function parameterList(spec: Spec, owner: Located): { path?: JsonPath; items: Param[]; unresolved: boolean } {
  const list = spec.child<unknown[]>(owner, 'parameters');
  if (!list || !Array.isArray(list.value)) return { items: [], unresolved: false };
  const items: Param[] = [];
  let unresolved = false;
  list.value.forEach((raw, i) => {
    const located = spec.child(list as Located, i);
    if (!located || !isObject(located.value)) {
      unresolved = true;
      return;
    }
    const isRef = isObject(raw) && typeof raw.$ref === 'string';
    items.push({
      located,
      usePath: isRef ? list.path : located.path,
      name: typeof located.value.name === 'string' ? located.value.name : undefined,
      in: typeof located.value.in === 'string' ? located.value.in : undefined,
    });
  });
  return { path: list.path, items, unresolved };
}

function arrayWithoutItems(node: Located, what: string): Issue[] {
  if (!isObject(node.value) || node.value.type !== 'array' || node.value.items !== undefined) return [];
  return [{ path: node.path, message: `${what} is an array, so it must define items.` }];
}

/** `required` names an object schema lists but does not define (in `properties`, through `allOf`). */
function requiredNotDefined(spec: Spec, schema: Located, what: string): Issue[] {
  const v = schema.value;
  if (!isObject(v) || !Array.isArray(v.required)) return [];
  const types = Array.isArray(v.type) ? v.type : [v.type];
  if (!types.includes('object')) return [];
  const defined = new Set<string>();
  const seen = new Set<unknown>();
  const collect = (s: Located | undefined) => {
    if (!s || !isObject(s.value) || seen.has(s.value)) return;
    seen.add(s.value);
    if (isObject(s.value.properties)) Object.keys(s.value.properties).forEach((k) => s.value.properties[k] && defined.add(k));
    if (Array.isArray(s.value.allOf)) s.value.allOf.forEach((_: unknown, i: number) => collect(spec.child(spec.child(s, 'allOf')!, i)));
  };
  collect(schema);
  const issues: Issue[] = [];
  v.required.forEach((name: unknown, i: number) => {
    if (typeof name === 'string' && !defined.has(name)) {
      issues.push({
        path: [...schema.path, 'required', i],
        message: `${what} lists '${name}' as required but does not define it in properties.`,
        kind: 'required-not-defined',
      });
    }
  });
  return issues;
}
