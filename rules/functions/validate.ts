import { createRulesetFunction } from '@stoplight/spectral-core';
import { specOf, type JsonPath } from './lib/spec';
import {
  inlineFirstUse,
  issuesFromErrors,
  physicalLocation,
  schemaVersionOf,
  swagger2SpecIssues,
  validatorFor,
  type Issue,
} from './lib/validation';

/**
 * The document is a structurally valid OpenAPI 2.0 / 3.0 / 3.1 document: it matches the official
 * JSON Schema of its version (as `@apidevtools/swagger-parser` validates it, `$ref`ed content
 * included) and, for 2.0, passes swagger-parser's spec-level checks. See lib/validation.ts.
 */
export default createRulesetFunction<unknown, null>(
  { input: null, options: null },
  function validate(_input, _options, ctx) {
    const root = ctx.document.data as unknown;
    const rootFile = ctx.document.source ?? '';
    const version = schemaVersionOf(root);
    if (version === undefined) return [];
    if (typeof version === 'object') return [result(version)];

    const docs = (ctx.documentInventory as any).referencedDocuments as Record<string, { data: unknown }> | undefined;
    const dataOf = (file: string) => (file === rootFile ? root : docs?.[file]?.data);
    const tree = inlineFirstUse(root, rootFile, dataOf);
    const validator = validatorFor(version);
    if (validator(tree)) {
      return version === '2.0' ? swagger2SpecIssues(specOf(ctx)).map((i) => ({ message: i.message, path: i.path })) : [];
    }

    // The same node can be reached through several uses of a `$ref`: report it once, under
    // its shortest logical path.
    const byNode = new Map<string, Issue>();
    for (const issue of issuesFromErrors(validator.errors ?? [], version)) {
      const at = physicalLocation(issue.path, root, rootFile, dataOf);
      const key = `${at.file}\0${JSON.stringify(at.path)}\0${issue.message}`;
      const known = byNode.get(key);
      if (!known || shorter(issue.path, known.path)) byNode.set(key, issue);
    }
    return [...byNode.values()].map(result);
  },
);

function result(issue: Issue): { message: string; path: JsonPath } {
  const subject = issue.subject ?? issue.path;
  const where = subject.length === 0 ? 'The document' : subject.join('.');
  return { message: `${where}: ${issue.message}.`, path: issue.path };
}

function shorter(a: JsonPath, b: JsonPath): boolean {
  return a.length < b.length || (a.length === b.length && a.join('\0') < b.join('\0'));
}
