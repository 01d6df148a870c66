// One corpus worker (forked by run.mjs): lints the specs it is sent, one at a time, with the built
// CLI bundle (dist/cli-main.js) exactly as `headroom lint <spec> --format json` does, and answers
// with a summary per spec. The parent owns the time limit: it kills this process when a spec takes
// too long, and records this process's death against the spec it was on.
'use strict';
const { AsyncLocalStorage } = require('node:async_hooks');
const { readFileSync, rmSync, writeFileSync } = require('node:fs');
const { basename, join } = require('node:path');
const { performance } = require('node:perf_hooks');

/** Messages of a rule function that threw (src/core/guard.ts crashMessage). */
const CRASHED_RULE = /^The rule function ".*" failed on this document and was skipped: /;
/** Not failures, but signs of a bug worth a look: a message that prints a missing value, a range that runs backwards. */
const ODD_MESSAGE = /\bundefined\b|\[object Object\]|\bNaN\b/;
function oddity(f) {
  if (ODD_MESSAGE.test(f.message)) return 'message';
  const { start, end } = f.range;
  if (start.line < 0 || start.character < 0 || end.line < start.line || (end.line === start.line && end.character < start.character)) return 'range';
  return undefined;
}

let current; // the job being linted (or the last one, for late events)
let unhandled = []; // unhandled rejections seen while on `current`

function describe(e) {
  return e instanceof Error ? e.stack || String(e) : `non-error value: ${String(e)}`;
}

// Each spec is linted inside its own async context, so a rejection or exception that surfaces later
// (from a timer or a promise the lint started) is blamed on the spec that started it.
const specContext = new AsyncLocalStorage();
const specOf = () => specContext.getStore() ?? current?.id;

process.on('unhandledRejection', (reason) => {
  const event = { kind: 'unhandledRejection', error: describe(reason) };
  const id = specOf();
  // After its spec was reported: report it against that spec on its own.
  if (current && !current.done && id === current.id) unhandled.push(event);
  else process.send({ type: 'late', id, ...event });
});

process.on('uncaughtException', (e) => {
  // The process state is unknown after this: report, then let the parent start a fresh worker.
  process.send({ type: 'uncaught', id: specOf(), kind: 'uncaughtException', error: describe(e) }, () => process.exit(70));
});

/** The spec as YAML, in the parent's temporary folder (`--yaml`: the corpus is JSON only). */
function asYaml(jsonFile, dir) {
  const { stringify } = require('yaml');
  const out = join(dir, `${process.pid}-${basename(jsonFile).replace(/\.json$/, '.yaml')}`);
  writeFileSync(out, stringify(JSON.parse(readFileSync(jsonFile, 'utf8')), { aliasDuplicateObjects: false, lineWidth: 0 }));
  return out;
}

// The CLI prints the stack of an internal error (and the errors it wraps) only with this set.
process.env.HEADROOM_DEBUG = '1';
const { main } = require(join(__dirname, '..', '..', 'dist', 'cli-main.js'));

process.on('message', async (job) => {
  if (job.type === 'drain') {
    setTimeout(() => process.send({ type: 'drained' }), 500);
    return;
  }
  current = { id: job.id, done: false };
  unhandled = [];
  // --yaml: the same spec written as YAML (the corpus is JSON only), to exercise the YAML path.
  const file = job.yamlDir ? asYaml(job.file, job.yamlDir) : job.file;
  let out = '';
  let err = '';
  const io = { out: { write: (s) => void (out += s) }, err: { write: (s) => void (err += s) }, cwd: job.cwd };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let code;
  let thrown;
  try {
    code = await specContext.run(job.id, () => main(['lint', file, '--format', 'json'], io));
  } catch (e) {
    thrown = describe(e);
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  // Let rejections left unhandled by this spec surface before it is reported.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  current.done = true;

  if (job.yamlDir) rmSync(file, { force: true });

  const byRule = {};
  const crashed = [];
  const odd = [];
  let findings = 0;
  let badOutput;
  if (code === 0 || code === 1) {
    try {
      for (const f of JSON.parse(out)) {
        findings++;
        byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
        const kind = oddity(f);
        if (kind && odd.push({ rule: f.rule, kind, message: f.message, path: f.path, range: f.range }) > 5) odd.length = 5;
        if (CRASHED_RULE.test(f.message)) crashed.push({ rule: f.rule, message: f.message, path: f.path, file: f.file === file ? undefined : f.file });
      }
    } catch (e) {
      badOutput = `the JSON output did not parse: ${e.message}`;
    }
  }
  process.send({
    type: 'result',
    id: job.id,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    code,
    thrown,
    stderr: err.slice(-4000),
    badOutput,
    findings,
    byRule,
    crashed: crashed.slice(0, 20),
    crashedCount: crashed.length,
    odd,
    unhandled,
    rss: process.memoryUsage().rss,
  });
});

process.send({ type: 'ready' });
