/**
 * The fuzz tests' side of the worker (worker.ts): writes a case's files to a temporary folder,
 * has the worker lint it, and turns what happened into an Outcome — a result, an exception, a
 * hang (no answer within the timeout: the worker is killed and a new one started) or a death
 * (the worker exited, e.g. out of memory). `problems()` lists what is wrong with an outcome:
 * anything but a well-formed LintResult whose ranges lie inside their file's lines.
 *
 * Seeds and run counts: fixed in CI, overridable locally to explore more:
 *   HEADROOM_FUZZ_SEED=123 HEADROOM_FUZZ_RUNS=2000 node --import tsx --test test/fuzz/*.test.ts
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { LintResult } from '../../src/core/engine';
import type { Finding } from '../../src/shared/types';
import type { LintReply, LintRequest } from './worker';

/** fast-check seed: fixed, so CI runs the same cases every time. */
export const SEED = process.env.HEADROOM_FUZZ_SEED ? Number(process.env.HEADROOM_FUZZ_SEED) : 20_061_931;

/** Runs of a property: `ci` unless HEADROOM_FUZZ_RUNS says otherwise. */
export function runs(ci: number): number {
  return process.env.HEADROOM_FUZZ_RUNS ? Number(process.env.HEADROOM_FUZZ_RUNS) : ci;
}

/** fast-check parameters: the seed, the runs, and no shrinking unless HEADROOM_FUZZ_SHRINK (a hang shrinks slowly). */
export function fcParams(ciRuns: number) {
  return { seed: SEED, numRuns: runs(ciRuns), endOnFailure: !process.env.HEADROOM_FUZZ_SHRINK, verbose: 1 } as const;
}

/** The real public specs beside the checkout (absent in a user's clone). */
export const SHARED_SPECS = resolve(__dirname, '..', '..', '..', 'shared', 'specs');
export const SHARED_MISSING = existsSync(SHARED_SPECS) ? undefined : `${SHARED_SPECS} is absent (it exists only beside the project's own checkout)`;

export const FIXTURES = join(__dirname, '..', 'fixtures', 'fuzz');

/** A hang is an answer that takes longer than this; generous, so a slow CI machine is not a hang. */
export const HANG_MS = Number(process.env.HEADROOM_FUZZ_HANG_MS ?? 60_000);
/** The worker's heap: far above what any case here needs, far below "unbounded". */
export const HEAP_MB = 1536;

export interface Case {
  name: string;
  /** Files relative to the case's folder; the first one is linted unless `root` says otherwise. */
  files: Record<string, string | Uint8Array>;
  root?: string;
  /** Folders (relative to the case's folder) for the engine's `confineRefsTo`. */
  confineTo?: string[];
  ruleset?: LintRequest['ruleset'];
  engine?: LintRequest['engine'];
}

export type Outcome =
  | { kind: 'ok'; result: LintResult; ms: number; heapMB: number }
  | { kind: 'threw'; error: string }
  | { kind: 'hang'; ms: number }
  | { kind: 'died'; code: number | null; signal: string | null; stderr: string };

export interface Written {
  dir: string;
  root: string;
  /** Text of each file as the engine reads it (UTF-8, invalid bytes replaced), by absolute path. */
  texts: Map<string, string>;
}

let caseCounter = 0;
let baseDir: string | undefined;

export function writeCase(c: Case): Written {
  baseDir ??= mkdtempSync(join(tmpdir(), 'headroom-fuzz-'));
  const dir = join(baseDir, `${++caseCounter}-${c.name.replace(/[^\w.-]+/g, '_').slice(0, 40)}`);
  const texts = new Map<string, string>();
  for (const [rel, content] of Object.entries(c.files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    texts.set(file, typeof content === 'string' ? content : Buffer.from(content).toString('utf8'));
  }
  return { dir, root: join(dir, c.root ?? Object.keys(c.files)[0]), texts };
}

export class LintWorker {
  private child?: ChildProcess;
  private ready?: Promise<void>;
  private stderr = '';
  private nextId = 0;
  private pending?: { id: number; child: ChildProcess; settle: (o: Outcome) => void };

  private start(): Promise<void> {
    this.stderr = '';
    const child = fork(join(__dirname, 'worker.ts'), [], {
      execArgv: ['--import', 'tsx', `--max-old-space-size=${HEAP_MB}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    const ready = new Promise<void>((resolveReady, reject) => {
      child.on('message', (m: LintReply | { ready: true }) => {
        if ('ready' in m) return resolveReady();
        if (this.pending?.id === m.id) {
          const { settle } = this.pending;
          this.pending = undefined;
          settle(m.ok ? { kind: 'ok', result: m.result, ms: m.ms, heapMB: m.heapMB } : { kind: 'threw', error: m.error });
        }
      });
      child.on('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        reject(new Error(`fuzz worker exited before it was ready (${code ?? signal}): ${this.stderr}`));
        // Only this worker's request (a killed worker's exit can come after its successor started).
        if (this.pending?.child === child) {
          const { settle } = this.pending;
          this.pending = undefined;
          settle({ kind: 'died', code, signal, stderr: this.stderr });
        }
      });
    });
    this.ready = ready;
    return ready;
  }

  /** Lint a case's root in the worker. Never rejects: every way it can go is an Outcome. */
  async lint(w: Written, c: Case): Promise<Outcome> {
    if (!this.child) await this.start();
    else await this.ready;
    const child = this.child!;
    const id = ++this.nextId;
    const started = Date.now();
    return new Promise<Outcome>((settle) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.child = undefined;
        child.kill('SIGKILL');
        settle({ kind: 'hang', ms: Date.now() - started });
      }, HANG_MS);
      this.pending = {
        id,
        child,
        settle: (o) => {
          clearTimeout(timer);
          settle(o);
        },
      };
      const req: LintRequest = { id, root: w.root, confineRefsTo: c.confineTo?.map((f) => join(w.dir, f)), ruleset: c.ruleset, engine: c.engine };
      child.send(req);
    });
  }

  /** Write, lint, and remove the case's files again unless something is wrong with the outcome. */
  async run(c: Case): Promise<{ outcome: Outcome; written: Written; problems: string[] }> {
    const written = writeCase(c);
    const outcome = await this.lint(written, c);
    const found = problems(outcome, written);
    if (found.length === 0) rmSync(written.dir, { recursive: true, force: true });
    return { outcome, written, problems: found };
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}

const SEVERITIES = new Set(['error', 'warn', 'info', 'hint']);

/** Lines as an editor (and the LSP) counts them: CRLF, CR and LF all end a line; a leading byte order mark is not shown. */
export function editorLines(text: string): string[] {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/);
}

/** What is wrong with an outcome: not a result, or a result that is not well-formed. Empty: fine. */
export function problems(outcome: Outcome, w: Written): string[] {
  if (outcome.kind === 'threw') return [`the engine threw: ${outcome.error}`];
  if (outcome.kind === 'hang') return [`no result within ${outcome.ms} ms (a hang): the worker was killed`];
  if (outcome.kind === 'died') return [`the worker died (exit ${outcome.code}, signal ${outcome.signal}; out of memory above ${HEAP_MB} MB?): ${outcome.stderr.slice(-1500)}`];
  const out: string[] = [];
  const { result } = outcome;
  if (result.file !== w.root) out.push(`result.file ${result.file} is not the linted file ${w.root}`);
  if (![null, '2.0', '3.0', '3.1', '3.2'].includes(result.version)) out.push(`version ${String(result.version)}`);
  for (const d of result.dependencies) if (!isAbsolute(d)) out.push(`dependency ${d} is not absolute`);
  for (const f of result.findings) {
    const bad = findingProblem(f, w);
    if (bad) out.push(`${bad}: ${JSON.stringify({ ...f, path: f.path.slice(0, 12) })}`);
  }
  return out;
}

function findingProblem(f: Finding, w: Written): string | undefined {
  if (typeof f.rule !== 'string' || f.rule === '') return 'no rule id';
  if (!SEVERITIES.has(f.severity)) return 'bad severity';
  if (typeof f.message !== 'string' || f.message.trim() === '') return 'no message';
  if (!Array.isArray(f.path) || f.path.some((s) => typeof s !== 'string' && typeof s !== 'number')) return 'bad path';
  if (/failed on this document and was skipped/.test(f.message)) return 'a rule function crashed';
  const text = w.texts.get(f.file) ?? readIfThere(f.file);
  if (text === undefined) return `finding in ${f.file}, which is no file of the case`;
  const lines = editorLines(text);
  const { start, end } = f.range;
  for (const p of [start, end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return 'range has a non-integer or negative position';
    if (p.line >= lines.length) return `range line ${p.line} is past the file's last line ${lines.length - 1}`;
    if (p.character > lines[p.line].length) return `range character ${p.character} is past the end of line ${p.line} (length ${lines[p.line].length})`;
  }
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) return 'range ends before it starts';
  return undefined;
}

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The finding's text in its file, by editor lines (for exact-range assertions). */
export function rangeText(f: Finding, text: string): string {
  const lines = editorLines(text);
  const { start, end } = f.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}

/** A readable failure: the problems, the case's name and where its files were kept. */
export function describeFailure(c: Case, w: Written, found: string[]): string {
  writeFileSync(join(w.dir, 'PROBLEMS.txt'), found.join('\n') + '\n');
  return `${c.name} (files kept in ${w.dir}):\n  ${found.slice(0, 5).map((p) => p.slice(0, 600)).join('\n  ')}${found.length > 5 ? `\n  … and ${found.length - 5} more (all in PROBLEMS.txt)` : ''}`;
}

/** Counts of rule ids, for messages. */
export function ruleCounts(findings: Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
  return counts;
}
