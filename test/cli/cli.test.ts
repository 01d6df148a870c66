/** The CLI as CI runs it: the built bundle in a child process; exit codes, formats, errors. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inTempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const dir = join(__dirname, '..', 'fixtures', 'cli');
const only429 = ['--ruleset', join(dir, 'only-429.spectral.json')];

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('exit 0 and a clean summary when nothing is found', () => {
  const r = run(['lint', 'clean.yaml', ...only429]);
  assert.equal(r.code, 0);
  assert.equal(r.out, 'No problems found.\n');
});

test('warnings pass by default, fail with --fail-severity warn', () => {
  assert.equal(run(['lint', 'dirty.yaml', ...only429]).code, 0);
  const r = run(['lint', 'dirty.yaml', ...only429, '--fail-severity', 'warn']);
  assert.equal(r.code, 1);
  assert.equal(
    r.out,
    'dirty.yaml\n  8:7      warning  ratelimit-429-response       GET /a documents no 429 (Too Many Requests) response.  paths./a.get.responses\n\n1 problem (0 errors, 1 warnings, 0 infos, 0 hints)\n',
  );
});

test('--format json prints 0-based findings', () => {
  const r = run(['lint', '*.yaml', ...only429, '--format', 'json']);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.out), [
    {
      file: join(dir, 'dirty.yaml'),
      rule: 'ratelimit-429-response',
      severity: 'warn',
      message: 'GET /a documents no 429 (Too Many Requests) response.',
      path: ['paths', '/a', 'get', 'responses'],
      range: { start: { line: 7, character: 6 }, end: { line: 7, character: 15 } },
    },
  ]);
});

test('--format sarif is SARIF 2.1.0 with rule help from the docs', () => {
  const r = run(['lint', 'dirty.yaml', ...only429, '-f', 'sarif']);
  const log = JSON.parse(r.out);
  assert.equal(log.version, '2.1.0');
  const run0 = log.runs[0];
  assert.equal(run0.tool.driver.name, 'Headroom');
  assert.equal(run0.tool.driver.rules[0].id, 'ratelimit-429-response');
  assert.match(run0.tool.driver.rules[0].help.markdown, /^# ratelimit-429-response/);
  assert.match(run0.tool.driver.rules[0].shortDescription.text, /^Every operation documents a `429 Too Many Requests` response/);
  assert.deepEqual(run0.results, [
    {
      ruleId: 'ratelimit-429-response',
      ruleIndex: 0,
      level: 'warning',
      message: { text: 'GET /a documents no 429 (Too Many Requests) response.' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'dirty.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 8, startColumn: 7, endLine: 8, endColumn: 16 },
          },
          logicalLocations: [{ fullyQualifiedName: 'paths./a.get.responses' }],
        },
      ],
    },
  ]);
});

test('--quiet prints only what fails, without a summary', () => {
  assert.equal(run(['lint', 'dirty.yaml', ...only429, '--quiet']).out, '\n');
  const r = run(['lint', 'dirty.yaml', ...only429, '--quiet', '--fail-severity', 'warn']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^dirty\.yaml\n  8:7 /);
  assert.doesNotMatch(r.out, /problem/);
});

test('usage and I/O errors exit 2 with one line, no stack trace', () => {
  const missing = run(['lint', 'nope.yaml']);
  assert.equal(missing.code, 2);
  assert.equal(missing.err, 'headroom: file not found: nope.yaml\n');
  const badFormat = run(['lint', 'dirty.yaml', '--format', 'xml']);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.err, /^headroom: unknown --format "xml" \(stylish, json, sarif, github, junit or markdown\)\n/);
  const badRuleset = run(['lint', 'dirty.yaml', '--ruleset', 'nope.yaml']);
  assert.equal(badRuleset.code, 2);
  assert.equal(badRuleset.err, `headroom: cannot read ruleset: file not found: ${join(dir, 'nope.yaml')}\n`);
  const noGlobMatch = run(['lint', '*.raml']);
  assert.equal(noGlobMatch.code, 2);
  assert.equal(noGlobMatch.err, 'headroom: no files match *.raml\n');
  for (const r of [missing, badFormat, badRuleset, noGlobMatch]) assert.doesNotMatch(r.err, /\n\s+at /);
});

test('--version prints the package version', () => {
  const r = run(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.out.trim(), require('../../package.json').version);
});

test('the launcher keeps a V8 code cache and survives a corrupt one', () => {
  const { readdirSync, writeFileSync, existsSync } = require('node:fs') as typeof import('node:fs');
  const cacheDir = join(root, 'dist', '.cache');
  run(['--version']);
  run(['--version']);
  assert.ok(existsSync(cacheDir) && readdirSync(cacheDir).some((f) => f.endsWith('.v8cache')), 'a cache file beside the bundle');
  for (const f of readdirSync(cacheDir)) if (f.endsWith('.v8cache')) writeFileSync(join(cacheDir, f), 'not a code cache');
  const r = run(['lint', 'dirty.yaml', ...only429, '--fail-severity', 'warn']);
  assert.equal(r.code, 1);
  assert.match(r.out, /ratelimit-429-response/);
  assert.equal(run(['--version']).out.trim(), require('../../package.json').version);
});

test('a spec that is a pipe, a device or too large: one line, exit 2, never a hang', () =>
  inTempDir('headroom-cli-files-', (work) => {
    execFileSync('mkfifo', [join(work, 'pipe.yaml')]);
    // Sparse: 257 MiB on paper, nothing on disk.
    const big = join(work, 'big.json');
    closeSync(openSync(big, 'w'));
    truncateSync(big, 257 * 2 ** 20);
    const cases: [string, string][] = [
      [join(work, 'pipe.yaml'), `not a regular file (a pipe, socket or device): ${join(work, 'pipe.yaml')}`],
      ['/dev/zero', 'not a regular file (a pipe, socket or device): /dev/zero'],
      [big, `too large: ${big} is 257 MiB, over the 256 MiB Headroom reads`],
    ];
    for (const [file, why] of cases) {
      for (const args of [['lint', file], ['export', file, '--target', 'nginx'], ['report', file]]) {
        const r = run([...args, '--allow-refs-outside-root']);
        assert.equal(r.code, 2, args.join(' '));
        assert.equal(r.err, `headroom: ${why}\n`, args.join(' '));
      }
    }
  }));

test('export -o and report -o never overwrite the spec or a file it $refs', () =>
  inTempDir('headroom-cli-out-', (work) => {
    const spec = join(work, 'spec.yaml');
    const text = readFileSync(join(root, 'examples', 'petstore.yaml'), 'utf8');
    writeFileSync(spec, text);
    symlinkSync('spec.yaml', join(work, 'link.yaml'));
    for (const out of ['spec.yaml', 'link.yaml']) {
      const exported = spawnSync(process.execPath, [cli, 'export', 'spec.yaml', '--target', 'kong', '-o', out], { cwd: work, encoding: 'utf8' });
      assert.equal(exported.status, 2);
      assert.equal(exported.stderr, `headroom: not writing ${out}: it is a file the export read (the spec or a file it $refs)\n`);
      const report = spawnSync(process.execPath, [cli, 'report', 'spec.yaml', '-o', out], { cwd: work, encoding: 'utf8' });
      assert.equal(report.status, 2);
      assert.equal(report.stderr, `headroom: not writing ${out}: it is a file the report read (the spec or a file it $refs)\n`);
      assert.equal(readFileSync(spec, 'utf8'), text);
    }
  }));

test('export -o and report -o replace only what they wrote before: the ruleset the run read, or any other file, is refused', () =>
  inTempDir('headroom-cli-out-', (work) => {
    writeFileSync(join(work, 'spec.yaml'), readFileSync(join(root, 'examples', 'petstore.yaml'), 'utf8'));
    const ruleset = 'extends: [headroom:recommended]\n';
    writeFileSync(join(work, '.spectral.yaml'), ruleset);
    writeFileSync(join(work, 'notes.txt'), 'mine\n');
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8' });
    for (const out of ['.spectral.yaml', 'notes.txt']) {
      const exported = run('export', 'spec.yaml', '--target', 'nginx', '-o', out);
      assert.equal(exported.status, 2);
      assert.match(exported.stderr, new RegExp(`\\nheadroom: not writing ${out.replace('.', '\\.')}: it exists and is not a config headroom export wrote; remove it or choose another file\\n$`));
      for (const format of ['html', 'json']) {
        const report = run('report', 'spec.yaml', '--format', format, '-o', out);
        assert.equal(report.status, 2);
        assert.equal(report.stderr, `headroom: not writing ${out}: it exists and is not a report Headroom wrote; remove it or choose another file\n`);
      }
    }
    // The mark must start the file, as the command writes it: a file that only mentions it is someone else's.
    writeFileSync(join(work, 'mentions.json'), '{"notes": "see <meta name=\\"generator\\" content=\\"Headroom 1\\"> and \\"tool\\": {\\"name\\": \\"headroom\\""}\n');
    assert.equal(run('report', 'spec.yaml', '-o', 'mentions.json').status, 2);
    assert.equal(readFileSync(join(work, '.spectral.yaml'), 'utf8'), ruleset);
    assert.equal(readFileSync(join(work, 'notes.txt'), 'utf8'), 'mine\n');
    // What the command wrote before, or an empty file, it replaces.
    writeFileSync(join(work, 'empty.conf'), '');
    for (const args of [['export', 'spec.yaml', '--target', 'nginx', '-o', 'nginx.conf'], ['export', 'spec.yaml', '--target', 'nginx', '-o', 'empty.conf'], ['report', 'spec.yaml', '-o', 'r.html'], ['report', 'spec.yaml', '-o', 'r.json']]) {
      assert.equal(run(...args).status, 0);
      const again = run(...args);
      assert.equal(again.status, 0, again.stderr);
    }
  }));

test('a glob does not follow symbolic links: a linked folder may lead out of the work tree', () =>
  inTempDir('headroom-cli-glob-', (work) => {
    const spec = readFileSync(join(root, 'examples', 'petstore.yaml'), 'utf8');
    for (const d of ['repo/specs', 'outside']) mkdirSync(join(work, d), { recursive: true });
    writeFileSync(join(work, 'repo', 'specs', 'a.yaml'), spec);
    writeFileSync(join(work, 'outside', 'secret.yaml'), spec);
    symlinkSync(join(work, 'outside'), join(work, 'repo', 'specs', 'out'));
    const r = spawnSync(process.execPath, [cli, 'lint', 'specs/**/*.yaml', '--format', 'json'], { cwd: join(work, 'repo'), encoding: 'utf8' });
    assert.deepEqual([...new Set((JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file))], [join(work, 'repo', 'specs', 'a.yaml')]);
  }));

test('a .spectral.yaml above the spec\'s root is never loaded (its JavaScript never runs); one inside it is', () =>
  inTempDir('headroom-cli-ruleset-', (work) => {
    const marker = join(work, 'ran');
    mkdirSync(join(work, 'functions'));
    writeFileSync(join(work, 'functions', 'pwn.js'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = () => [];\n`);
    writeFileSync(join(work, '.spectral.yaml'), 'extends: [headroom:recommended]\nfunctions: [pwn]\nrules:\n  pwn: {given: $, then: {function: pwn}}\n');
    mkdirSync(join(work, 'proj', 'specs'), { recursive: true });
    writeFileSync(join(work, 'proj', 'specs', 'api.yaml'), readFileSync(join(root, 'examples', 'petstore.yaml'), 'utf8'));
    execFileSync('git', ['init', '-q'], { cwd: join(work, 'proj') });
    const lint = (args: string[]) => spawnSync(process.execPath, [cli, 'lint', 'specs/api.yaml', '--format', 'json', ...args], { cwd: join(work, 'proj'), encoding: 'utf8' });
    for (const args of [[], ['--root', '.'], ['--allow-refs-outside-root']]) {
      const r = lint(args);
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      assert.equal(existsSync(marker), false, `the ruleset above the git work tree ran (${args.join(' ')})`);
    }
    const report = spawnSync(process.execPath, [cli, 'report', 'specs/api.yaml', '--format', 'json', '-o', 'r.json'], { cwd: join(work, 'proj'), encoding: 'utf8' });
    assert.equal(report.status, 0, report.stderr);
    assert.equal(existsSync(marker), false, 'report loaded the ruleset above the work tree');
    // Inside the work tree, a ruleset is found from the spec's folder up.
    writeFileSync(join(work, 'proj', '.spectral.yaml'), 'extends: [headroom:recommended]\nrules:\n  ratelimit-429-response: off\n');
    const inside = JSON.parse(lint([]).stdout) as { rule: string }[];
    assert.ok(inside.length > 0 && !inside.some((f) => f.rule === 'ratelimit-429-response'));
  }));

test('a ruleset inside the root that extends a file or loads functions outside it: refused in one line, nothing outside read', () =>
  inTempDir('headroom-cli-ruleset-', (work) => {
    const marker = join(work, 'ran');
    mkdirSync(join(work, 'functions'));
    writeFileSync(join(work, 'functions', 'pwn.js'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = () => [];\n`);
    writeFileSync(join(work, 'outside.yaml'), 'rules:\n  outside: {given: $, then: {function: truthy, field: nope}, message: OUTSIDE}\n');
    mkdirSync(join(work, 'proj'));
    writeFileSync(join(work, 'proj', 'api.yaml'), readFileSync(join(root, 'examples', 'petstore.yaml'), 'utf8'));
    const lint = (...args: string[]) => spawnSync(process.execPath, [cli, 'lint', 'api.yaml', '--root', '.', ...args], { cwd: join(work, 'proj'), encoding: 'utf8' });
    writeFileSync(join(work, 'proj', '.spectral.yaml'), 'extends: [headroom:recommended, ../outside.yaml]\n');
    let r = lint();
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `headroom: "extends": ../outside.yaml (${join(work, 'outside.yaml')}) is outside the root ${join(work, 'proj')} and was not read (set the root with --root DIR, or lift the limit with --allow-refs-outside-root)\n`);
    assert.match(lint('--allow-refs-outside-root').stdout, /OUTSIDE/, 'lifted with the flag that lifts it for $refs');
    writeFileSync(join(work, 'proj', '.spectral.yaml'), 'extends: [headroom:recommended]\nfunctionsDir: ../functions\nfunctions: [pwn]\nrules:\n  pwn: {given: $, then: {function: pwn}}\n');
    r = lint();
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^headroom: "functionsDir": \S+\/functions is outside the root /);
    // Nor a function name that climbs out of a functions folder inside the root.
    mkdirSync(join(work, 'proj', 'functions'));
    writeFileSync(join(work, 'proj', '.spectral.yaml'), 'extends: [headroom:recommended]\nfunctions: [../../functions/pwn]\nrules:\n  pwn: {given: $, then: {function: ../../functions/pwn}}\n');
    r = lint();
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^headroom: custom function "\.\.\/\.\.\/functions\/pwn" \(\S+\) is outside the root /);
    assert.equal(existsSync(marker), false, 'the function outside the root ran');
  }));

test('more findings than a call can take as arguments (130,000) are all reported, not an internal error', () =>
  inTempDir('headroom-many-findings-', (work) => {
    // 1,300 operations with 100 responses each: a warning per 2xx response and more.
    const lines = ['openapi: 3.0.3', "info: {title: big, version: '1'}", 'paths:'];
    const responses = Array.from({ length: 100 }, (_, i) => `'${200 + i}': {description: ok}`).join(', ');
    for (let i = 0; i < 1300; i++) lines.push(`  /p${i}:`, '    get:', `      responses: {${responses}}`);
    writeFileSync(join(work, 'big.yaml'), lines.join('\n') + '\n');
    const r = spawnSync(process.execPath, [cli, 'lint', 'big.yaml'], { cwd: work, encoding: 'utf8', maxBuffer: 1 << 30 });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 1);
    const count = Number(/\n(\d+) problems \(/.exec(r.stdout)?.[1]);
    assert.ok(count > 130000, r.stdout.slice(-200));
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('  ')).length, count);
  }));

test('a reader that stops early (| head) closes the pipe: no stack trace, the lint`s own exit code', () =>
  inTempDir('headroom-closed-pipe-', (work) => {
    const lines = ['openapi: 3.0.3', "info: {title: many, version: '1'}", 'paths:'];
    for (let i = 0; i < 3000; i++) lines.push(`  /p${i}:`, '    get:', "      responses: {'200': {description: ok}}");
    writeFileSync(join(work, 'many.yaml'), lines.join('\n') + '\n');
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" lint many.yaml | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: work, encoding: 'utf8' });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '1\n', 'exit 1: the spec has errors');
  }));
