/**
 * OpenAPI 3.2 checks the schema cannot express: a tag's `parent` names a tag of the document, and
 * following parents never leads back to where it started (the specification: "The named tag MUST
 * exist in the API description, and circular references between parent and child tags MUST NOT
 * be used").
 */
import { isObject } from '../../../../src/openapi/spec';
import type { Issue } from './types';

export function oas32TagIssues(root: unknown): Issue[] {
  const tags = isObject(root) && Array.isArray(root.tags) ? root.tags : [];
  const parentOf = new Map<string, string>();
  const indexOf = new Map<string, number>();
  tags.forEach((t: unknown, i: number) => {
    if (!isObject(t) || typeof t.name !== 'string' || indexOf.has(t.name)) return;
    indexOf.set(t.name, i);
    if (typeof t.parent === 'string') parentOf.set(t.name, t.parent);
  });
  const issues: Issue[] = [];
  const onCycle = new Set<string>();
  for (const [name, parent] of parentOf) {
    const at = ['tags', indexOf.get(name)!, 'parent'];
    if (!indexOf.has(parent)) {
      issues.push({ path: at, message: `Tag '${name}' has the parent '${parent}', which is no tag of this document.` });
      continue;
    }
    if (onCycle.has(name)) continue;
    const chain = [name];
    for (let p: string | undefined = parent; p !== undefined && chain.length <= parentOf.size; p = parentOf.get(p)) {
      chain.push(p);
      if (p === name) {
        for (const n of chain) onCycle.add(n);
        issues.push({ path: at, message: `Tag '${name}' is nested under itself: its parents lead back to it (${chain.join(' → ')}).` });
        break;
      }
    }
  }
  return issues;
}
