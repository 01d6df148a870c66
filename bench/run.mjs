// `npm run bench`: Headroom CLI lint vs `spectral lint` (spectral:oas) vs `redocly lint`, and the
// parse floor, on every spec in ../shared/specs (and any path given), medians over N runs,
// interleaved; also `headroom report` (the coverage report: one lint plus the coverage model).
// Prints a table and writes bench/results.md and bench/results.svg.
// Also `headroom export` to every target beside `headroom lint` of the same spec with a root
// x-gateway-rate-limit added (a second table). `--export` measures only that (results.md is kept,
// the export table printed).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const shared = resolve(root, '..', 'shared', 'specs');
const exportOnly = process.argv.includes('--export');
const extra = process.argv.slice(2).filter((a) => a !== '--export').map((p) => resolve(p));
const specs = [
  ...(existsSync(shared) ? readdirSync(shared).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(shared, f)) : []),
  ...extra,
];
if (specs.length === 0) {
  console.error(`bench: no specs (${shared} is absent and no path was given)`);
  process.exit(2);
}
if (!existsSync(join(root, 'dist', 'cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

const tmp = mkdtempSync(join(tmpdir(), 'headroom-bench-'));
const spectralRuleset = join(tmp, '.spectral.yaml');
writeFileSync(spectralRuleset, 'extends: ["spectral:oas"]\n');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/**
 * A copy of the spec with a root x-gateway-rate-limit, the rest byte for byte (JSON: after the
 * first `{`; YAML: a last line). In a folder of its own: the lint must not find the spectral:oas
 * ruleset written above for spectral.
 */
const annotatedDir = mkdtempSync(join(tmpdir(), 'headroom-bench-annotated-'));
const annotatedCopies = new Map();
function annotated(spec) {
  let copy = annotatedCopies.get(spec);
  if (copy === undefined) {
    const text = readFileSync(spec, 'utf8');
    copy = join(annotatedDir, basename(spec));
    writeFileSync(
      copy,
      /\.json$/i.test(spec) ? text.replace('{', '{"x-gateway-rate-limit": {"requests": 100, "window": "1m"}, ') : `${text.replace(/\n*$/, '\n')}x-gateway-rate-limit: {requests: 100, window: 1m}\n`,
    );
    annotatedCopies.set(spec, copy);
  }
  return copy;
}
const EXPORT_TARGETS = ['kong', 'nginx', 'haproxy', 'envoy-gateway'];
const exportTools = {
  'lint:annotated': (spec) => [process.execPath, [join(root, 'dist', 'cli.js'), 'lint', annotated(spec), '-f', 'json', '--fail-severity', 'hint'], (out) => JSON.parse(out).length],
  ...Object.fromEntries(
    EXPORT_TARGETS.map((t) => [`export:${t}`, (spec) => [process.execPath, [join(root, 'dist', 'cli.js'), 'export', annotated(spec), '--target', t, '-o', join(tmp, `out.${t}`)], () => 0]]),
  ),
};

const lintTools = {
  headroom: (spec) => [process.execPath, [join(root, 'dist', 'cli.js'), 'lint', spec, '-f', 'json', '--fail-severity', 'hint'], (out) => JSON.parse(out).length],
  report: (spec) => [process.execPath, [join(root, 'dist', 'cli.js'), 'report', spec, '-f', 'json'], (out) => JSON.parse(out).operations.length],
  spectral: (spec) => [bin('spectral'), ['lint', spec, '-r', spectralRuleset, '-f', 'json', '--quiet'], (out) => JSON.parse(out).length],
  redocly: (spec) => [bin('redocly'), ['lint', spec, '--format', 'json'], (out) => {
    const t = JSON.parse(out).totals;
    return t.errors + t.warnings;
  }],
  floor: (spec) => [process.execPath, [join(root, 'bench', 'parse-floor.mjs'), spec], () => 0],
  fastest: (spec) => [process.execPath, [join(root, 'bench', 'parse-floor.mjs'), spec, '--fastest'], () => 0],
};
const tools = exportOnly ? exportTools : { ...lintTools, ...exportTools };

/** Wall seconds and peak RSS (MB) of one whole process, from GNU time. */
function measure(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, rssKb] = last.split(' ').map(Number);
  return { wall, rss: rssKb / 1024, out: r.stdout, status: r.status };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const rows = [];
for (const spec of specs) {
  const samples = Object.fromEntries(Object.keys(tools).map((t) => [t, { wall: [], rss: [], count: undefined, failed: undefined }]));
  for (let i = 0; i < runs; i++) {
    for (const [name, make] of Object.entries(tools)) {
      const [cmd, args, count] = make(spec);
      const m = measure(cmd, args);
      const s = samples[name];
      try {
        if (name.startsWith('export:') && m.status !== 0) throw new Error(`exit ${m.status}`);
        s.count = count(m.out);
        s.wall.push(m.wall);
        s.rss.push(m.rss);
      } catch {
        s.failed = `exit ${m.status}`;
      }
    }
  }
  const row = { spec: basename(spec), mb: statSync(spec).size / 1e6 };
  for (const [name, s] of Object.entries(samples)) {
    row[name] = s.wall.length ? { wall: median(s.wall), rss: median(s.rss), count: s.count } : { failed: s.failed };
  }
  rows.push(row);
  console.error(`bench: ${row.spec} done`);
}

const f = (x, d = 2) => (x === undefined ? '–' : x.toFixed(d));
const exportCell = (t) => (t.failed ? `fails (${t.failed})` : `${f(t.wall)} s / ${f(t.rss, 0)} MB`);
const exportLines = [
  '## Export vs lint',
  '',
  `Each spec with a root \`x-gateway-rate-limit: {requests: 100, window: 1m}\` added (so every operation gets a rate limit), whole process, median of ${runs} interleaved runs (wall / peak RSS). Export/lint: the slowest target over the lint of the same file.`,
  '',
  `| spec | MB | lint | ${EXPORT_TARGETS.map((t) => `export ${t}`).join(' | ')} | export/lint |`,
  `|---|---|---|${EXPORT_TARGETS.map(() => '---|').join('')}---|`,
  ...rows.map((r) => {
    const lint = r['lint:annotated'];
    const exports = EXPORT_TARGETS.map((t) => r[`export:${t}`]);
    const slowest = exports.some((e) => e.failed) || lint.failed ? undefined : Math.max(...exports.map((e) => e.wall));
    return `| ${r.spec} | ${f(r.mb, 1)} | ${exportCell(lint)} | ${exports.map(exportCell).join(' | ')} | ${slowest === undefined ? '–' : `${f(slowest / lint.wall)}×`} |`;
  }),
  '',
];
if (exportOnly) {
  console.log(exportLines.join('\n'));
  process.exit(0);
}
const cell = (t) => (t.failed ? `fails (${t.failed})` : `${f(t.wall)} s / ${f(t.rss, 0)} MB / ${t.count}`);
const ratio = (a, b) => (a.failed || b.failed ? '–' : `${f(a.wall / b.wall)}×`);
const rssRatio = (a, b) => (a.failed || b.failed ? '–' : `${f(a.rss / b.rss)}×`);
const compared = rows.filter((r) => !r.headroom.failed && !r.redocly.failed);
const faster = compared.filter((r) => r.headroom.wall < r.redocly.wall).length;
const leaner = compared.filter((r) => r.headroom.rss <= r.redocly.rss).length;
const fasterSpectral = rows.filter((r) => !r.headroom.failed && !r.spectral.failed && r.headroom.wall < r.spectral.wall).length;
const lines = [
  `# Headroom benchmark`,
  '',
  `${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · median of ${runs} interleaved runs, whole process (wall / peak RSS / findings)`,
  '',
  'Parse floor: the parser Headroom uses, alone (JSON.parse; for YAML Spectral\'s range-keeping parser with Headroom\'s options). Fastest parser: JSON.parse, or js-yaml (no ranges) for YAML.',
  '',
  '| spec | MB | Headroom | spectral lint (spectral:oas) | redocly lint | parse floor | fastest parser | Headroom/spectral | Headroom/redocly | RSS Headroom/redocly | Headroom/floor | Headroom/fastest |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.spec} | ${f(r.mb, 1)} | ${cell(r.headroom)} | ${cell(r.spectral)} | ${cell(r.redocly)} | ${f(r.floor.wall)} s / ${f(r.floor.rss, 0)} MB | ${f(r.fastest.wall)} s / ${f(r.fastest.rss, 0)} MB | ${ratio(r.headroom, r.spectral)} | ${ratio(r.headroom, r.redocly)} | ${rssRatio(r.headroom, r.redocly)} | ${ratio(r.headroom, r.floor)} | ${ratio(r.headroom, r.fastest)} |`),
  '',
  '`headroom report` (coverage report, JSON; wall / peak RSS / operations) next to `headroom lint`:',
  '',
  '| spec | MB | headroom lint | headroom report | report/lint |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.spec} | ${f(r.mb, 1)} | ${cell(r.headroom)} | ${cell(r.report)} | ${ratio(r.report, r.headroom)} |`),
  '',
  `Faster than spectral lint on ${fasterSpectral} of ${rows.length} specs; faster than redocly lint on ${faster} of ${compared.length} (redocly fails on ${rows.length - compared.length}); peak RSS at or below redocly's on ${leaner} of ${compared.length}.`,
  '',
];
// The keystroke section (bench/keystroke.mjs, pasted by hand) is kept.
const resultsFile = join(root, 'bench', 'results.md');
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
const keystroke = previous.indexOf('\n## Keystroke');
writeFileSync(resultsFile, lines.join('\n') + '\n' + exportLines.join('\n') + (keystroke === -1 ? '' : previous.slice(keystroke)));
writeFileSync(join(root, 'bench', 'results.svg'), chart(rows));
console.log(lines.join('\n'));
console.log(exportLines.join('\n'));

/** Horizontal bars per spec: wall time of each tool, log scale. */
function chart(rows) {
  const colors = { headroom: '#2b7a4b', redocly: '#c2571a', spectral: '#3b5ba5', floor: '#999999' };
  const names = ['headroom', 'redocly', 'spectral', 'floor'];
  const max = Math.max(...rows.flatMap((r) => names.map((n) => r[n].wall ?? 0)));
  const scale = (s) => (Math.log10(1 + s * 10) / Math.log10(1 + max * 10)) * 560;
  const rowH = 14 * names.length + 14;
  const h = 40 + rows.length * rowH + 30;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="900" height="${h}" font-family="sans-serif" font-size="11">`,
    `<rect width="900" height="${h}" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">Lint wall time per spec (log scale, lower is better)</text>`];
  names.forEach((n, i) => parts.push(`<rect x="${560 + i * 85}" y="10" width="10" height="10" fill="${colors[n]}"/><text x="${574 + i * 85}" y="19">${n}</text>`));
  rows.forEach((r, i) => {
    const y0 = 40 + i * rowH;
    parts.push(`<text x="10" y="${y0 + 24}">${r.spec}</text>`);
    names.forEach((n, j) => {
      const t = r[n];
      const y = y0 + j * 14;
      if (t.wall === undefined) {
        parts.push(`<text x="230" y="${y + 10}" fill="${colors[n]}">${n}: ${t.failed}</text>`);
        return;
      }
      parts.push(`<rect x="230" y="${y}" width="${Math.max(1, scale(t.wall)).toFixed(1)}" height="11" fill="${colors[n]}"/>`);
      parts.push(`<text x="${236 + scale(t.wall)}" y="${y + 10}">${t.wall.toFixed(2)} s</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
