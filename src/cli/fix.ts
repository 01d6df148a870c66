/**
 * `headroom lint --fix`: fix each spec to a fixpoint (bounded rounds, one lint per round), write
 * the files that changed, and say on stderr what changed. A file is written only if it still holds
 * what was read (nothing else edited it meanwhile), in the encoding it was read in, atomically
 * (src/shared/save.ts: an interrupted run never leaves half a spec, a symbolic link stays a
 * link); each round was already checked to parse and to keep every value the spec had
 * (src/core/fixes/fixpoint.ts).
 */
import { relative } from 'node:path';
import { hasFix, summariseLeft } from '../core/fixes';
import { fixToFixpoint } from '../core/fixes/fixpoint';
import type { LoadedRuleset } from '../core/ruleset';
import { encodeSpec } from '../openapi/encoding';
import { readSpecFile } from '../openapi/files';
import type { RefPolicy } from '../openapi/policy';
import { isOneOf, writeAtomic } from '../shared/save';
import type { Finding } from '../shared/types';

/** Fix `file`; false when a file that needed writing was not written (the run then fails). */
export async function fixFile(file: string, ruleset: LoadedRuleset, options: { policyFor: (spec: string) => RefPolicy; err: NodeJS.WritableStream; cwd: string }): Promise<boolean> {
  const { err, cwd } = options;
  const run = await fixToFixpoint(file, ruleset, { policyFor: options.policyFor });
  const written: string[] = [];
  // The spec first, then the files it `$ref`s. A fix may span files (a `$ref` written in one, its
  // target in another): all of them are checked before any is written, so none is left half done.
  const fixed = byRule(run.before, run.after);
  // Edits that made no finding go (they landed where the lint did not look) are not written.
  const madeNoFindingGo = run.files.size > 0 && fixed.size === 0;
  if (madeNoFindingGo) err.write(`headroom: nothing written: the fixes planned for ${relative(cwd, file)} made no finding go\n`);
  const files = madeNoFindingGo ? [] : [...run.files].sort(([a], [b]) => Number(b === file) - Number(a === file) || a.localeCompare(b));
  const ready: { path: string; bytes: Buffer }[] = [];
  // One file under two names (a symbolic or hard link, each name $ref'd): each name's edits were
  // planned on the same text, and the second write would undo the first.
  const twice = files.find(([path], i) => isOneOf(path, files.slice(0, i).map(([p]) => p)));
  if (twice) {
    const first = files.find(([p]) => isOneOf(p, [twice[0]]))![0];
    err.write(`headroom: nothing written: ${relative(cwd, first)} and ${relative(cwd, twice[0])} are one file (a link), and fixes would edit it under both names; $ref it by one name\n`);
    return false;
  }
  for (const [path, changed] of files) {
    const now = readSpecFile(path);
    if (now instanceof Error || now.text !== changed.before) {
      err.write(`headroom: ${relative(cwd, path)} changed while it was being fixed; not written\n`);
      continue;
    }
    // Bytes the text cannot hold (not valid UTF-8) were read as U+FFFD: writing the text back would replace them.
    if (!now.bytes.equals(encodeSpec(now.text, now.encoding))) {
      err.write(`headroom: ${relative(cwd, path)} not written: it holds bytes that are not valid ${now.encoding === 'utf8' ? 'UTF-8' : 'UTF-16'}, which writing it would replace; fix them first\n`);
      continue;
    }
    ready.push({ path, bytes: encodeSpec(changed.after, now.encoding) });
  }
  let allWritten = ready.length === files.length;
  if (!allWritten && ready.length > 0) err.write(`headroom: ${ready.map((r) => relative(cwd, r.path)).join(', ')} not written either: the fixes span the files\n`);
  for (const { path, bytes } of allWritten ? ready : []) {
    try {
      await writeAtomic(path, bytes);
      written.push(relative(cwd, path));
    } catch (e) {
      err.write(`headroom: ${relative(cwd, path)} not written: ${(e as Error).message}\n`);
      allWritten = false;
    }
  }
  if (run.stopped) err.write(`headroom: ${run.stopped}\n`);
  if (written.length > 0) {
    const total = [...fixed.values()].reduce((a, b) => a + b, 0);
    const detail = [...fixed].map(([rule, n]) => `${rule} ${n}`).join(', ');
    err.write(`headroom: fixed ${total} finding${total === 1 ? '' : 's'} in ${relative(cwd, file)} (${detail}); wrote ${written.join(', ')}\n`);
  }
  // What --fix leaves, and why: fixes that would invent a value (the editor offers each as a quick
  // fix), and fixes that cannot be applied here (a node shared through a YAML alias, a file that
  // does not parse cleanly).
  const left = summariseLeft(run.left);
  const list = (entries: typeof left, head: (total: number) => string) => {
    const total = entries.reduce((n, l) => n + l.count, 0);
    if (total === 0) return;
    err.write(`headroom: ${head(total)}:\n`);
    for (const l of entries) err.write(`  ${l.rule} ${l.count}: ${l.reason}\n`);
  };
  list(left.filter((l) => l.suggestion), (n) => `left ${n} suggestion${n === 1 ? '' : 's'} in ${relative(cwd, file)} (quick fixes in the editor; --fix applies only fixes that invent nothing)`);
  list(left.filter((l) => !l.suggestion), (n) => `could not fix ${n} finding${n === 1 ? '' : 's'} in ${relative(cwd, file)}`);
  // And what no quick fix can do (as Fix All in the editor counts them): the rule's doc says what to write.
  const unfixable = [...countByRule(run.after.filter((f) => !hasFix(f)))].sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  if (unfixable.length > 0) {
    const total = unfixable.reduce((n, [, c]) => n + c, 0);
    err.write(`headroom: ${total} finding${total === 1 ? ' has' : 's have'} no quick fix in ${relative(cwd, file)} (each rule's doc says what to write): ${unfixable.map(([rule, n]) => `${rule} ${n}`).join(', ')}\n`);
  }
  return allWritten;
}

/** Per rule, how many fewer findings there are after than before. */
function byRule(before: Finding[], after: Finding[]): Map<string, number> {
  const a = countByRule(after);
  return new Map([...countByRule(before)].map(([rule, n]): [string, number] => [rule, n - (a.get(rule) ?? 0)]).filter(([, n]) => n > 0));
}

function countByRule(list: Finding[]): Map<string, number> {
  return list.reduce((m, f) => m.set(f.rule, (m.get(f.rule) ?? 0) + 1), new Map<string, number>());
}
