/**
 * `headroom lint|export` for CI. Exit 0 clean, 1 findings at or above --fail-severity, 2 usage or
 * I/O error (one line on stderr, no stack trace).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { isOneOf } from '../shared/save';
import { Engine, LintInputError } from '../core/engine';
import { loadRuleset, RulesetError, type LoadedRuleset } from '../core/ruleset';
import { SEVERITY_ORDER, type Finding, type Severity } from '../shared/types';
import { HEADROOM_VERSION } from '../shared/version';
import { parseCommandArgs, UsageError, type CliIo } from './args';
import { EXPORT_USAGE, exportCommand, ExportIoError } from './export';
import { fixFile } from './fix';
import { formatGithub } from './formatters/github';
import { refPolicyOptions, rulesetFileFor } from './policy';
import { REPORT_USAGE, reportCommand } from './report';
import { Baseline, BaselineError, type BaselineMatch } from '../core/baseline';
import { baselineSummary, writeBaseline } from './baseline';
import { formatJson } from './formatters/json';
import { formatJunit } from './formatters/junit';
import { formatMarkdown } from './formatters/markdown';
import { formatSarif } from './formatters/sarif';
import { formatStylish } from './formatters/stylish';
import { isHomepage, ruleDocUrl } from '../core/docs';
import { LSP_USAGE, lspCommand } from './lsp';

const FORMATS = ['stylish', 'json', 'sarif', 'github', 'junit', 'markdown'];
const DEFAULT_MAX_LINES = 50;

const USAGE = `Usage:
  headroom lint <files or globs...> [--ruleset FILE]
                [--format stylish|json|sarif|github|junit|markdown] [--max-lines N]
                [--fail-severity error|warn|info|hint] [--quiet] [--fix] [--homepage URL]
                [--root DIR] [--allow-refs-outside-root] [--allow-remote-refs]
                [--baseline FILE | --write-baseline FILE]
${EXPORT_USAGE}
${REPORT_USAGE}
${LSP_USAGE}
  headroom --version

Without --ruleset, each spec uses the nearest .spectral.yaml/.yml/.json found walking up from
its folder to its root (see below), else the built-in headroom:recommended. --fix applies every preferred quick fix that
invents nothing (writing the spec and the files it $refs); fixes that would write a number the
spec does not state or a parameter, header or response the API may not have are suggestions: it
lists them with why on stderr (the editor offers each as a quick fix), then reports what is left.
--write-baseline records today's findings; --baseline FILE reports and fails only on findings not
recorded there.
$refs to files stay inside a root: --root DIR, else the git work tree that holds the spec, else
the current folder if it holds the spec, else the spec's folder. --allow-refs-outside-root lifts
that limit; --allow-remote-refs fetches http(s) $refs.
--homepage is where your team publishes the rule docs (a URL with {rule} in it, or a base the
rule id and .md are appended to); rule links use it instead of the docs shipped in the package.
--max-lines caps the markdown summary (default ${DEFAULT_MAX_LINES}).`;


export async function main(argv: string[], io: CliIo = { out: process.stdout, err: process.stderr, cwd: process.cwd() }): Promise<number> {
  for (const stream of [io.out, io.err]) {
    // Streams of the process (a caller's own writer has no pipe to close), each once.
    if (typeof stream.on === 'function' && !quieted.has(stream)) {
      quieted.add(stream);
      stream.on('error', dropWhenClosed);
    }
  }
  try {
    const [command, ...rest] = argv;
    if (command === '--version' || command === '-v') {
      io.out.write(HEADROOM_VERSION + '\n');
      return 0;
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    if (command === 'lint') return await lint(rest, io);
    if (command === 'export') return await exportCommand(rest, io);
    if (command === 'report') return await reportCommand(rest, io);
    if (command === 'lsp') return await lspCommand(rest);
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`headroom: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof RulesetError || e instanceof LintInputError || e instanceof ExportIoError || e instanceof BaselineError) {
      io.err.write(`headroom: ${e.message}\n`);
      return 2;
    }
    io.err.write(`headroom: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.HEADROOM_DEBUG) io.err.write(debugStack(e));
    return 2;
  }
}

/** HEADROOM_DEBUG=1: where an internal error came from, with the errors it wraps (Spectral aggregates them). */
function debugStack(e: unknown, depth = 0): string {
  if (depth > 3) return '';
  const err = e as { stack?: string; errors?: unknown[]; cause?: unknown };
  let out = `${err?.stack ?? String(e)}\n`;
  for (const inner of Array.isArray(err?.errors) ? err.errors.slice(0, 5) : []) out += `caused by: ${debugStack(inner, depth + 1)}`;
  if (err?.cause !== undefined) out += `caused by: ${debugStack(err.cause, depth + 1)}`;
  return out;
}

async function lint(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ruleset: { type: 'string', short: 'r' },
    format: { type: 'string', short: 'f', default: 'stylish' },
    'fail-severity': { type: 'string', short: 'F', default: 'error' },
    quiet: { type: 'boolean', short: 'q', default: false },
    'allow-remote-refs': { type: 'boolean', default: false },
    'allow-refs-outside-root': { type: 'boolean', default: false },
    root: { type: 'string' },
    fix: { type: 'boolean', default: false },
    homepage: { type: 'string' },
    'max-lines': { type: 'string' },
    baseline: { type: 'string', short: 'b' },
    'write-baseline': { type: 'string' },
  });
  const format = values.format!;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format "${format}" (${FORMATS.slice(0, -1).join(', ')} or ${FORMATS.at(-1)})`);
  const homepage = values.homepage;
  if (homepage !== undefined && !isHomepage(homepage)) throw new UsageError(`invalid --homepage "${homepage}" (an http(s) or file URL, optionally with {rule})`);
  const maxLines = values['max-lines'] === undefined ? DEFAULT_MAX_LINES : Number(values['max-lines']);
  if (!Number.isInteger(maxLines) || maxLines < 3) throw new UsageError(`invalid --max-lines "${values['max-lines']}" (a whole number, at least 3)`);
  if (values['max-lines'] !== undefined && format !== 'markdown') throw new UsageError('--max-lines applies to --format markdown only');
  const failSeverity = values['fail-severity'] as Severity;
  if (!(failSeverity in SEVERITY_ORDER)) throw new UsageError(`unknown --fail-severity "${failSeverity}" (error, warn, info or hint)`);
  if (positionals.length === 0) throw new UsageError('no files given');
  if (values.baseline !== undefined && values['write-baseline'] !== undefined) throw new UsageError('use --baseline or --write-baseline, not both');
  // Read before linting: a corrupt baseline stops the run at once.
  const baseline = values.baseline !== undefined ? Baseline.read(resolve(io.cwd, values.baseline)) : undefined;

  const policyFor = refPolicyOptions(values, io.cwd);
  const rulesetFor = rulesetFileFor(values, io.cwd);
  // A glob that reaches the baseline itself (`*.json` beside `headroom-baseline.json`) does not lint it.
  const baselineFiles = [values.baseline, values['write-baseline']].filter((f): f is string => f !== undefined).map((f) => resolve(io.cwd, f));
  const files = await expand(positionals, io.cwd, baselineFiles);
  const engine = new Engine({ policyFor });
  const rulesets = new Map<string, LoadedRuleset>();
  const explicit = values.ruleset !== undefined ? loadRuleset(resolve(io.cwd, values.ruleset), { trustFunctions: true }) : undefined;
  const warned = new Set<string>();
  let findings: Finding[] = [];
  const linted = new Set<string>();
  /** Each linted file's parsed data, as its lint read it (the baseline asks whether a node is still there). */
  const dataOf = new Map<string, () => unknown>();
  /** The spec whose lint found each finding (a file two specs `$ref` holds findings of both). */
  const specOf = new Map<Finding, string>();
  /** --fix left a file it had fixed unwritten (it says why): the run fails, whatever the findings. */
  let notWritten = false;
  for (const file of files) {
    let ruleset = explicit;
    if (!ruleset) {
      const rulesetFile = rulesetFor(file);
      const key = rulesetFile ?? '';
      // A ruleset found beside the specs reads what it extends from inside their root only.
      ruleset = rulesets.get(key) ?? loadRuleset(rulesetFile, { trustFunctions: true, policy: policyFor(file) });
      rulesets.set(key, ruleset);
    }
    for (const w of ruleset.warnings) {
      if (!warned.has(w)) io.err.write(`headroom: ${w}\n`);
      warned.add(w);
    }
    if (values.fix && !(await fixFile(file, ruleset, { policyFor, err: io.err, cwd: io.cwd }))) notWritten = true;
    const result = await engine.lint(file, ruleset);
    // One by one: spreading 125,000 findings into push's arguments overflows the stack.
    for (const f of result.findings) {
      findings.push(f);
      specOf.set(f, file);
    }
    for (const f of [result.file, ...result.dependencies]) {
      linted.add(f);
      if (!dataOf.has(f)) dataOf.set(f, () => result.dataOf(f));
    }
  }
  // A file linted as a root and also reached through another root's $ref is reported once.
  const seen = new Set<string>();
  findings = findings.filter((f) => {
    const k = JSON.stringify([f.file, f.rule, f.range, f.message]);
    return seen.has(k) ? false : (seen.add(k), true);
  });
  if (values['write-baseline'] !== undefined) {
    await writeBaseline(resolve(io.cwd, values['write-baseline']), findings, io.err, io.cwd, linted, (f) => specOf.get(f));
    return 0;
  }
  // Against a baseline only new findings are printed and can fail the run; SARIF gets all, marked.
  let match: BaselineMatch | undefined;
  const all = findings;
  if (baseline) {
    match = baseline.match(findings, linted, files, (f) => dataOf.get(f)?.());
    findings = findings.filter((_, i) => match!.states[i] === 'new');
  }
  const failing = findings.filter((f) => SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[failSeverity]);
  const shown = values.quiet ? failing : findings;
  const summary = baseline && match && !values.quiet ? baselineSummary(findings, match, baseline, io.cwd, linted, files) : '';
  if (format === 'json') io.out.write(formatJson(shown));
  else if (format === 'sarif') {
    // Against a baseline: every finding marked new or unchanged, and the fixed ones absent (--quiet: the failing new ones).
    if (baseline && match && !values.quiet) io.out.write(formatSarif(all, io.cwd, HEADROOM_VERSION, homepage, { states: match.states, absent: match.absent, baseDir: dirname(baseline.file) }));
    else if (baseline) io.out.write(formatSarif(shown, io.cwd, HEADROOM_VERSION, homepage, { states: shown.map(() => 'new'), absent: [], baseDir: dirname(baseline.file) }));
    else io.out.write(formatSarif(shown, io.cwd, HEADROOM_VERSION, homepage));
  } else if (format === 'github') io.out.write(formatGithub(shown, io.cwd));
  else if (format === 'junit') io.out.write(formatJunit(shown, files, io.cwd, failSeverity));
  // A pull-request comment links only pages a reviewer can open: the team's homepage, not a file on the CI machine.
  else if (format === 'markdown') io.out.write(formatMarkdown(shown, { cwd: io.cwd, maxLines, link: homepage ? (rule) => ruleDocUrl(rule, homepage) : undefined }));
  else io.out.write((shown.length > 0 || !baseline ? formatStylish(shown, io.cwd, !values.quiet && !baseline) : '') + (shown.length > 0 && summary ? '\n' : '') + summary);
  // Other formats are read by machines: the baseline summary goes to stderr.
  if (format !== 'stylish') io.err.write(summary);
  return failing.length > 0 || notWritten ? 1 : 0;
}

/**
 * Files and globs → existing files, in order, without duplicates. A name that matches nothing is a
 * usage error. A glob leaves out `skip` (the baseline); a file named on its own is kept.
 */
async function expand(patterns: string[], cwd: string, skip: readonly string[] = []): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) {
    const abs = resolve(cwd, p);
    if (existsSync(abs)) {
      if (statSync(abs).isDirectory()) throw new UsageError(`${p} is a directory; pass files or a glob such as "${p}/**/*.yaml"`);
      out.push(abs);
      continue;
    }
    if (!/[*?[\]{}]/.test(p)) throw new LintInputError(`file not found: ${p}`);
    // Symbolic links are not followed: a linked folder may lead out of the work tree (a file named
    // on the command line is the user's choice; what a glob reaches through a link is not).
    const matches = await glob(p, { cwd, absolute: true, onlyFiles: true, ignore: ['**/node_modules/**'], followSymbolicLinks: false });
    if (matches.length === 0) throw new LintInputError(`no files match ${p}`);
    out.push(...matches.filter((m) => !isOneOf(m, skip)).sort());
  }
  return [...new Set(out)];
}

/**
 * A reader that stops early (`headroom lint … | head`) closes the pipe: the rest of the output is
 * not wanted, which is no error (the run still ends with its own exit code). Anything else is.
 */
const quieted = new WeakSet<object>();

function dropWhenClosed(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
