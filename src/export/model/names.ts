/** Names of services and routes: from the spec where it gives them, made up and made unique where not. */
import type { Operation } from '../../openapi/spec';

/** `Swagger Petstore` → `swagger-petstore`. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/**
 * `name`, else `name-2`, `name-3`… not in `taken`, ignoring case (added to it, lowercased, when
 * `add`): NGINX map keys and variable names ignore case, so `getUser` and `getuser` would be one.
 */
export function unique(name: string, taken: Set<string>, add = false): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name}-${n}`;
  if (add) taken.add(candidate.toLowerCase());
  return candidate;
}

/** Unique route names: names the spec gives (x-gateway-name, operationId) are served before made-up ones. */
export function routeNames(ops: Operation[]): Map<Operation, string> {
  const wanted = ops.map((op) => ({ op, ...routeName(op) }));
  const taken = new Set<string>();
  const out = new Map<Operation, string>();
  for (const given of [true, false]) {
    for (const w of wanted) if (w.given === given) out.set(w.op, unique(w.name, taken, true));
  }
  return out;
}

function routeName(op: Operation): { name: string; given: boolean } {
  if (typeof op.value['x-gateway-name'] === 'string') return { name: op.value['x-gateway-name'], given: true };
  const pathName = op.pathItem.value['x-gateway-name'];
  if (typeof pathName === 'string') return { name: `${pathName}-${op.method.toLowerCase()}`, given: true };
  if (typeof op.value.operationId === 'string') {
    const id = op.value.operationId.replace(/[^A-Za-z0-9._~-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
    if (id !== '') return { name: id, given: true };
  }
  return { name: `${op.method.toLowerCase()}-${slug(op.pathKey) || 'root'}`, given: false };
}
