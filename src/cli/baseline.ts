/**
 * `headroom lint --write-baseline FILE` and `--baseline FILE` (src/core/baseline.ts): writing a
 * baseline, and what a run against one says about known and fixed findings.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { Baseline, relativeFile, type BaselineEntry, type BaselineMatch } from '../core/baseline';
import type { Finding, Severity } from '../shared/types';
import { isOneOf, writeAtomic } from '../shared/save';
import { ExportIoError } from './export';
import { oneLine } from './formatters/visible';

/**
 * Write the baseline, unless `file` is a spec the run read, or a file that is not a baseline
 * (rewriting an existing baseline is what --write-baseline is for, and an empty file holds
 * nothing; anything else is the user's).
 */
export async function writeBaseline(
  file: string,
  findings: Finding[],
  err: NodeJS.WritableStream,
  cwd: string,
  read: Iterable<string>,
  specOf?: (f: Finding) => string | undefined,
): Promise<void> {
  const name = relative(cwd, file) || file;
  if (isOneOf(file, read)) throw new ExportIoError(`not writing the baseline to ${name}: it is a file the lint read`);
  if (existsSync(file) && statSync(file).size > 0) {
    try {
      Baseline.read(file);
    } catch (e) {
      // Why it is none, without the advice to write one there: that is what is being refused.
      const why = (e as Error).message.replace(/; write one with headroom lint --write-baseline .*$/, '');
      throw new ExportIoError(`not writing the baseline to ${name}: it exists and is not a Headroom baseline (${why}); remove it or choose another file`);
    }
  }
  try {
    await writeAtomic(file, Baseline.text(file, findings, specOf));
  } catch (e) {
    throw new ExportIoError(`cannot write ${file}: ${(e as Error).message}`);
  }
  err.write(`headroom: wrote ${findings.length} finding${findings.length === 1 ? '' : 's'} to the baseline ${relative(cwd, file) || file}\n`);
}

/** The summary of a run against a baseline: new problems, known ones left, and each fixed one. */
export function baselineSummary(newFindings: Finding[], match: BaselineMatch, baseline: Baseline, cwd: string, linted: Iterable<string> = [], specs: readonly string[] = []): string {
  const count = (s: Severity) => newFindings.filter((f) => f.severity === s).length;
  const known = match.states.filter((s) => s === 'unchanged').length;
  const name = relative(cwd, baseline.file) || baseline.file;
  const lines = [
    newFindings.length === 0
      ? 'No new problems.'
      : `${newFindings.length} new problem${newFindings.length === 1 ? '' : 's'} (${count('error')} errors, ${count('warn')} warnings, ${count('info')} infos, ${count('hint')} hints)`,
    `${known} known finding${known === 1 ? '' : 's'} remain${known === 1 ? 's' : ''} (baseline ${name}); ${match.absent.length} fixed since it was written${match.absent.length > 0 ? ':' : '.'}`,
  ];
  for (const e of match.absent) lines.push(`  fixed  ${fixedLine(e)}`);
  const moved = renamedSpecs(baseline, newFindings, linted, specs);
  if (moved) lines.push(moved);
  return lines.join('\n') + '\n';
}

/**
 * A spec renamed or moved since the baseline was written (`openapi.yaml` → `openapi.json`): its
 * findings are all new, and the baseline's are of a file the run did not lint (neither known nor
 * fixed). Said when a spec with new findings has no entry at all and the baseline records files
 * not linted; undefined otherwise.
 */
function renamedSpecs(baseline: Baseline, newFindings: Finding[], linted: Iterable<string>, specs: readonly string[]): string | undefined {
  const rel = (f: string) => relativeFile(f, dirname(baseline.file));
  const lintedRel = new Set([...linted].map(rel));
  const recorded = new Set(baseline.entries.flatMap((e) => (e.spec === undefined ? [e.file] : [e.file, e.spec])));
  const elsewhere = [...recorded].filter((f) => !lintedRel.has(f)).sort();
  const withNew = new Set(newFindings.map((f) => f.file));
  const unrecorded = specs.filter((s) => withNew.has(s) && !recorded.has(rel(s))).map(rel);
  if (elsewhere.length === 0 || unrecorded.length === 0) return undefined;
  const list = (names: string[]) => oneLine(names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : ''));
  return `The baseline records no finding of ${list(unrecorded)}, and findings of ${list(elsewhere)}, not linted here: if a spec was renamed or moved, write the baseline again (--write-baseline).`;
}

function fixedLine(e: BaselineEntry): string {
  // A hand-edited baseline is text from anywhere: shown on one line, as the spec's own text is.
  return oneLine(`${e.file}  ${e.rule}  ${e.path || '/'}  ${e.message}`);
}
