import { defineRuleFunction } from './lib/define';
import { specOf, type JsonPath } from '../../src/openapi/spec';
import { oas32TagIssues } from './lib/validation/oas32';
import {
  inlineFirstUse,
  issuesFromErrors,
  officialSchemaRejects,
  physicalLocation,
  schemaVersionOf,
  swagger2SpecIssues,
  validatorFor,
  type Issue,
} from './lib/validation';
import type { Obj } from './lib/validation/types';
import { newTrace } from './lib/validation/inline';
import { changeBetween, validateChangedUnits, type CleanDocument } from './lib/validation/units';

/**
 * The document is a structurally valid OpenAPI 2.0 / 3.0 / 3.1 / 3.2 document: it matches the official
 * JSON Schema of its version (as `@apidevtools/swagger-parser` validates it, `$ref`ed content
 * included) and, for 2.0, passes swagger-parser's spec-level checks. See lib/validation/.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function validate(_input, _options, ctx) {
    const root = ctx.document.data as unknown;
    const rootFile = ctx.document.source ?? '';
    const version = schemaVersionOf(root);
    if (version === undefined) return [];
    if (typeof version === 'object') return [{ message: withSubject(version), path: version.path }];

    const docs = (ctx.documentInventory as any).referencedDocuments as Record<string, { data: unknown }> | undefined;
    // Typing in a large spec: the last document of this file validated clean and this one differs
    // from it only in free text (lib/validation/textOnly.ts), so it is valid too; or only inside
    // some path items and components, or in their keys, which alone are validated
    // (lib/validation/units.ts).
    const single = docs === undefined || Object.keys(docs).length === 0;
    const dataOf = (file: string) => (file === rootFile ? root : docs?.[file]?.data);
    const last = version !== '2.0' && single && lastClean?.file === rootFile ? lastClean : undefined;
    const change = last && changeBetween(last.root, root);
    // OpenAPI 3.2 tags: checked on every call (a `parent` is text, which the shortcuts skip).
    const tagIssues = version === '3.2' ? oas32TagIssues(root) : [];
    if (last && change?.kind === 'text') {
      last.root = root;
      lastPath = 'text';
      return tagIssues.map((issue) => ({ message: issue.message, path: issue.path }));
    }
    let valid: boolean;
    let issues: Issue[];
    const changed = last && change?.kind === 'units' ? validateChangedUnits(last, change, root, dataOf) : undefined;
    if (last && changed) {
      lastPath = 'units';
      valid = changed.issues.length === 0;
      issues = valid ? tagIssues : changed.issues;
      changed.commit?.();
    } else {
      lastPath = 'full';
      const validator = validatorFor(version);
      const trace = version !== '2.0' && single ? newTrace() : undefined;
      try {
        const tree = inlineFirstUse(root, rootFile, dataOf, trace);
        const clean = validator(tree);
        valid = clean || !officialSchemaRejects(version, tree);
        // Like swagger-parser, the spec-level checks run on documents the schema accepts.
        issues = valid ? (version === '2.0' ? swagger2SpecIssues(specOf(ctx)) : tagIssues) : issuesFromErrors(validator.errors ?? [], version);
        // Kept across invalid versions: the key that undoes a mistake compares with it.
        if (clean && trace && version !== '2.0') lastClean = { file: rootFile, root, version, trace, head: { openapi: (tree as Obj).openapi, info: (tree as Obj).info } };
      } catch (e) {
        // The schema validators recurse once per level of the document ($refs inlined): a schema
        // nested a few hundred levels deep exhausts the stack. Say so where the nesting gets deep.
        if (!(e instanceof RangeError)) throw e;
        return [{ message: TOO_DEEP, path: deepestPath(root).slice(0, DEEP_AT) }];
      }
    }

    // A node reached through several uses of a `$ref` is reported once, under its shortest
    // logical path; nothing is reported behind a `$ref` that cannot be followed (the engine
    // reports that `$ref` as rule `ref`).
    const byNode = new Map<string, Issue>();
    for (const issue of issues) {
      const at = physicalLocation(issue.subject ?? issue.path, root, rootFile, dataOf);
      if (at.dangling) continue;
      const key = `${at.file}\0${JSON.stringify(at.path)}\0${issue.kind ?? issue.message}`;
      const known = byNode.get(key);
      if (!known || shorter(issue.path, known.path)) byNode.set(key, issue);
    }
    return [...byNode.values()].map((issue) => ({ message: valid ? issue.message : withSubject(issue), path: issue.path }));
  },
);

/**
 * The last OpenAPI 3.x document the schema accepted without an error (one file, no `$ref`ed
 * files): the only one kept, so a CLI run over many files holds at most one document more.
 */
let lastClean: CleanDocument | undefined;

/** How the last call validated its document (tests check that the shortcuts are taken). */
let lastPath: 'full' | 'text' | 'units' | undefined;

export function lastValidation(): typeof lastPath {
  return lastPath;
}

/**
 * Forget the last clean document: the next call validates in full (tests compare both ways).
 * Returns it, for `rememberLastClean` (a test compares a run of edits with full validation of each).
 */
export function forgetLastClean(): CleanDocument | undefined {
  const forgotten = lastClean;
  lastClean = undefined;
  return forgotten;
}

export function rememberLastClean(document: CleanDocument | undefined): void {
  lastClean = document;
}

/** Schema problems read `<where>: <what>.` (spec-level ones are whole sentences already). */
function withSubject(issue: Issue): string {
  const subject = issue.subject ?? issue.path;
  return `${subject.length === 0 ? 'The document' : subject.join('.')}: ${issue.message}.`;
}

const DEEP_AT = 64;
const TOO_DEEP = 'The document nests too deeply ($refs followed) to be checked against the OpenAPI schema, so the validate rule checked nothing; its deepest branch runs through here.';

/**
 * Path of the deepest node of a tree (the first one found). Iterative, and each step keeps only
 * its parent and key (the path is spelled out once, at the end): the tree may be 100,000 levels
 * deep, where a copy of the path per node is quadratic.
 */
function deepestPath(root: unknown): JsonPath {
  interface Step {
    parent: Step | undefined;
    key: string | number;
    depth: number;
  }
  let deepest: Step | undefined;
  const stack: { node: unknown; step: Step | undefined }[] = [{ node: root, step: undefined }];
  while (stack.length > 0) {
    const { node, step } = stack.pop()!;
    if (step && step.depth > (deepest?.depth ?? 0)) deepest = step;
    if (node === null || typeof node !== 'object') continue;
    const depth = (step?.depth ?? 0) + 1;
    for (const [k, v] of Object.entries(node)) {
      if (v !== null && typeof v === 'object') stack.push({ node: v, step: { parent: step, key: Array.isArray(node) ? Number(k) : k, depth } });
    }
  }
  const path: JsonPath = [];
  for (let s = deepest; s; s = s.parent) path.push(s.key);
  return path.reverse();
}

function shorter(a: JsonPath, b: JsonPath): boolean {
  return a.length < b.length || (a.length === b.length && a.join('\0') < b.join('\0'));
}
