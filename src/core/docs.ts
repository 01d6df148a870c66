/** The rule docs (`rules/docs/<id>.md`), shipped with the extension and the CLI, read offline. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

let docsDir: string | undefined;
const hasDoc = new Map<string, boolean>();

/** `rules/docs`, found upward from this module (source tree or the `dist/` bundle). */
export function ruleDocsDir(): string | undefined {
  if (docsDir !== undefined) return docsDir;
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'rules', 'docs');
    if (existsSync(candidate)) return (docsDir = candidate);
    dir = dirname(dir);
  }
  return undefined;
}

/** Markdown of a rule's doc, or undefined when the rule has none (e.g. a user's own rule). */
export function ruleDoc(ruleId: string): string | undefined {
  const dir = ruleDocsDir();
  if (!dir || !/^[a-z0-9-]+$/.test(ruleId)) return undefined;
  const file = join(dir, `${ruleId}.md`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The first paragraph after the title: a one-paragraph explanation. */
export function ruleSummary(markdown: string): string {
  const body = markdown.replace(/^#.*\n/, '').trim();
  return body.split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Where a user can read a rule's doc: `homepage` (a team's own copy of the docs: a URL with
 * `{rule}` in it, or a base URL the rule id and `.md` are appended to), else the doc shipped with
 * the package as a `file:` URI. Only rules Headroom ships a doc for get a link (a user's own rule,
 * or a load problem such as `parse`, has no page anywhere Headroom knows of).
 */
export function ruleDocUrl(ruleId: string, homepage?: string): string | undefined {
  const dir = ruleDocsDir();
  if (!dir || !/^[a-z0-9-]+$/.test(ruleId)) return undefined;
  const file = join(dir, `${ruleId}.md`);
  // Asked once per diagnostic (6,000 on GitHub's spec): whether a rule has a doc is looked up once.
  let shipped = hasDoc.get(ruleId);
  if (shipped === undefined) hasDoc.set(ruleId, (shipped = existsSync(file)));
  if (!shipped) return undefined;
  const base = homepage?.trim();
  if (!base) return pathToFileURL(file).href;
  if (base.includes('{rule}')) return base.split('{rule}').join(ruleId);
  return `${base.endsWith('/') ? base : base + '/'}${ruleId}.md`;
}

/** A `homepage` value is usable when it is an absolute http(s) or file URL (with or without `{rule}`). */
export function isHomepage(value: string): boolean {
  try {
    return ['http:', 'https:', 'file:'].includes(new URL(value.split('{rule}').join('x')).protocol);
  } catch {
    return false;
  }
}
