/** The rule docs (`rules/docs/<id>.md`), shipped with the extension and the CLI, read offline. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let docsDir: string | undefined;

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
