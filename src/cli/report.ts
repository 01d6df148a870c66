/**
 * `headroom report <spec> [--format html|json] [-o FILE] [--ruleset FILE] [--fail-under N]`: where
 * the API stands on capacity governance (src/core/coverage). Exit 0 written, 1 the score is below
 * `--fail-under`, 2 usage or I/O error (one line on stderr).
 */
import { resolve } from 'node:path';
import { Engine } from '../core/engine';
import { renderCoverageHtml } from '../core/coverage/html';
import { computeCoverage } from '../core/coverage/model';
import { isHomepage } from '../core/docs';
import { loadRuleset } from '../core/ruleset';
import { HEADROOM_VERSION } from '../shared/version';
import { isOneOf, writeAtomic } from '../shared/save';
import { refuseForeign } from './overwrite';
import { parseCommandArgs, UsageError, type CliIo } from './args';
import { ExportIoError } from './export';
import { refPolicyOptions, rulesetFileFor } from './policy';

export const REPORT_USAGE = `  headroom report <spec> [--format html|json] [-o FILE] [--ruleset FILE] [--fail-under N]
                  [--homepage URL] [--root DIR] [--allow-refs-outside-root] [--allow-remote-refs]`;

export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    ruleset: { type: 'string', short: 'r' },
    'fail-under': { type: 'string' },
    'allow-remote-refs': { type: 'boolean', default: false },
    'allow-refs-outside-root': { type: 'boolean', default: false },
    root: { type: 'string' },
    homepage: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no spec given' : 'report takes one spec');
  // Without --format: JSON when -o names a .json file, else HTML.
  const format = values.format ?? (values.output !== undefined && /\.json$/i.test(values.output) ? 'json' : 'html');
  if (format !== 'html' && format !== 'json') throw new UsageError(`unknown --format "${format}" (html or json)`);
  let failUnder: number | undefined;
  if (values['fail-under'] !== undefined) {
    failUnder = Number(values['fail-under']);
    if (!/^\d+$/.test(values['fail-under']) || failUnder > 100) throw new UsageError(`--fail-under takes a score from 0 to 100, not "${values['fail-under']}"`);
  }

  if (values.homepage !== undefined && !isHomepage(values.homepage)) throw new UsageError(`invalid --homepage "${values.homepage}" (an http(s) or file URL, optionally with {rule})`);
  const policyFor = refPolicyOptions(values, io.cwd);
  const spec = resolve(io.cwd, positionals[0]);
  const ruleset =
    values.ruleset !== undefined
      ? loadRuleset(resolve(io.cwd, values.ruleset), { trustFunctions: true })
      : loadRuleset(rulesetFileFor(values, io.cwd)(spec), { trustFunctions: true, policy: policyFor(spec) });
  for (const w of ruleset.warnings) io.err.write(`headroom: ${w}\n`);
  const result = await new Engine({ policyFor }).lint(spec, ruleset);
  if (result.version === null) io.err.write(`headroom: warning: ${positionals[0]} is not an OpenAPI 2.0 or 3.x document; the report has no operations\n`);
  const report = computeCoverage(result, { base: io.cwd, version: HEADROOM_VERSION, homepage: values.homepage });
  const text = format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderCoverageHtml(report);

  if (values.output !== undefined) {
    const file = resolve(io.cwd, values.output);
    if (isOneOf(file, [result.file, ...result.dependencies])) throw new ExportIoError(`not writing ${values.output}: it is a file the report read (the spec or a file it $refs)`);
    // Its own start: a JSON report's first members, or an HTML report's head with its generator.
    refuseForeign(file, values.output, /^\{\s*"version":\s*\d+,\s*"tool":\s*\{\s*"name":\s*"headroom"|^<!doctype html>\s*<html lang="en">\s*<head>[^]*?<meta name="generator" content="Headroom [^"]*">\s*<title>/, 'a report Headroom wrote');
    try {
      await writeAtomic(file, text);
    } catch (e) {
      throw new ExportIoError(`cannot write ${file}: ${(e as Error).message}`);
    }
    io.err.write(`headroom: score ${report.score ?? 'n/a'} (${report.operations.length} operations, ${report.findingCount} findings); wrote ${values.output}\n`);
  } else {
    io.out.write(text);
  }
  if (failUnder !== undefined && result.version === null) {
    io.err.write(`headroom: no score for ${positionals[0]}: it is no OpenAPI document Headroom reads, so --fail-under ${failUnder} fails\n`);
    return 1;
  }
  // A spec not read whole (a syntax error, a `$ref` that dangles) has no score to pass with: what
  // could not be read is not counted, so the score says nothing of it.
  const unread = result.findings.filter((f) => (f.rule === 'parse' || f.rule === 'ref') && f.severity === 'error').length;
  if (failUnder !== undefined && unread > 0) {
    io.err.write(`headroom: no score for ${positionals[0]}: ${unread === 1 ? 'an error' : `${unread} errors`} (syntax or $ref) keep${unread === 1 ? 's' : ''} part of it from being read, so --fail-under ${failUnder} fails\n`);
    return 1;
  }
  if (failUnder !== undefined && report.score !== null && report.score < failUnder) {
    io.err.write(`headroom: score ${report.score} is below --fail-under ${failUnder}\n`);
    return 1;
  }
  return 0;
}
