/**
 * `headroom lint --write-baseline FILE` and `--baseline FILE` (src/core/baseline.ts): writing a
 * baseline, and what a run against one says about known and fixed findings.
 */
import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { Baseline, type BaselineEntry, type BaselineMatch } from '../core/baseline';
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
export function baselineSummary(newFindings: Finding[], match: BaselineMatch, baseline: Baseline, cwd: string): string {
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
  return lines.join('\n') + '\n';
}

function fixedLine(e: BaselineEntry): string {
  // A hand-edited baseline is text from anywhere: shown on one line, as the spec's own text is.
  return oneLine(`${e.file}  ${e.rule}  ${e.path || '/'}  ${e.message}`);
}
