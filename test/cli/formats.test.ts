/**
 * The CI output formats, byte for byte: `--format github` (workflow annotations), `junit` and
 * `markdown` (a pull-request comment) of the built CLI on a fixed two-file spec with pinned rules,
 * against golden files in test/fixtures/cli/formats/golden/; rule links (SARIF `helpUri`,
 * `--homepage`); and each format's escaping of hostile text.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatGithub } from '../../src/cli/formatters/github';
import { formatJunit } from '../../src/cli/formatters/junit';
import { formatMarkdown } from '../../src/cli/formatters/markdown';
import type { Finding } from '../../src/shared/types';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const dir = join(__dirname, '..', 'fixtures', 'cli');
const golden = (name: string) => readFileSync(join(dir, 'formats', 'golden', name), 'utf8');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SPECS = ['lint', 'formats/api.yaml', 'formats/clean.yaml'];

for (const format of ['github', 'junit', 'markdown']) {
  test(`--format ${format} prints exactly its golden file, exit 1 for the errors`, () => {
    const r = run([...SPECS, '--format', format]);
    assert.equal(r.err, '');
    assert.equal(r.out, golden(`lint.${format}.txt`));
    assert.equal(r.code, 1);
  });
}

test('--format junit and markdown of a clean spec: one passing test case; "no problems found"', () => {
  assert.deepEqual(run(['lint', 'formats/clean.yaml', '-f', 'junit']), { code: 0, out: golden('clean.junit.txt'), err: '' });
  assert.deepEqual(run(['lint', 'formats/clean.yaml', '-f', 'markdown']), { code: 0, out: golden('clean.markdown.txt'), err: '' });
  assert.deepEqual(run(['lint', 'formats/clean.yaml', '-f', 'github']), { code: 0, out: '', err: '' });
});

test('--format markdown --max-lines 9 --homepage: at most 9 lines, rule links to the homepage, the rest counted', () => {
  const r = run([...SPECS, '-f', 'markdown', '--max-lines', '9', '--homepage', 'https://docs.example.com/rules/{rule}.html']);
  assert.equal(r.out, golden('lint.markdown-max9-homepage.txt'));
  assert.ok(r.out.trimEnd().split('\n').length <= 9);
});

test('--format junit: --fail-severity warn makes the warnings failures too', () => {
  const r = run([...SPECS, '-f', 'junit', '--fail-severity', 'warn']);
  assert.match(r.out, /^<testsuites name="headroom" tests="6" failures="4" errors="0">$/m);
  assert.match(r.out, /<failure message="POST \/items documents no 429 \(Too Many Requests\) response\." type="warning">/);
});

test('usage errors: unknown format, bad --max-lines, --max-lines without markdown, bad --homepage', () => {
  for (const [args, message] of [
    [['-f', 'html'], 'headroom: unknown --format "html" (stylish, json, sarif, github, junit or markdown)'],
    [['-f', 'markdown', '--max-lines', '2'], 'headroom: invalid --max-lines "2" (a whole number, at least 3)'],
    [['-f', 'markdown', '--max-lines', 'ten'], 'headroom: invalid --max-lines "ten" (a whole number, at least 3)'],
    [['--max-lines', '10'], 'headroom: --max-lines applies to --format markdown only'],
    [['--homepage', 'docs/rules'], 'headroom: invalid --homepage "docs/rules" (an http(s) or file URL, optionally with {rule})'],
  ] as const) {
    const r = run([...SPECS, ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.err.split('\n')[0], message);
  }
});

test('SARIF helpUri: the rule doc shipped in the package (a file: URI that exists), or the --homepage page', () => {
  const shipped = JSON.parse(run([...SPECS, '-f', 'sarif']).out).runs[0].tool.driver;
  assert.deepEqual(
    shipped.rules.map((r: { id: string; helpUri: string }) => [r.id, r.helpUri]),
    ['auth-schemes-defined', 'cache-validator', 'ratelimit-429-response', 'ratelimit-retry-after'].map((id) => [id, `file://${join(root, 'rules', 'docs', `${id}.md`)}`]),
  );
  for (const r of shipped.rules) assert.ok(existsSync(fileURLToPath(r.helpUri)), r.helpUri);
  assert.equal(shipped.informationUri, undefined, 'no link to a site that does not exist');
  const team = JSON.parse(run([...SPECS, '-f', 'sarif', '--homepage', 'https://wiki.example.com/api-rules/']).out).runs[0].tool.driver;
  assert.equal(team.rules[0].helpUri, 'https://wiki.example.com/api-rules/auth-schemes-defined.md');
});

const hostile: Finding = {
  file: '/repo/specs/a,b:c%.yaml',
  rule: 'my-rule',
  severity: 'warn',
  message: 'Value "50%\r\n::error::<script>" by @octocat & co',
  path: ['paths', '/x'],
  range: { start: { line: 4, character: 2 }, end: { line: 6, character: 0 } },
};

test('github: %, CR, LF escaped in the message; also : and , in properties; no columns across lines', () => {
  assert.equal(
    formatGithub([hostile], '/repo'),
    '::warning file=specs/a%2Cb%3Ac%25.yaml,line=5,endLine=7,title=Headroom my-rule::Value "50%25%0D%0A::error::<script>" by @octocat & co\n',
  );
});

test('junit: XML entities, and characters XML cannot hold replaced', () => {
  const out = formatJunit([{ ...hostile, message: 'a\u0000b <c> & "d" \'e\'' }], ['/repo/specs/a,b:c%.yaml'], '/repo', 'error');
  assert.match(out, /<system-out>specs\/a,b:c%\.yaml:5:3 warning my-rule: a\uFFFDb &lt;c&gt; &amp; &quot;d&quot; &apos;e&apos;\nat paths\.\/x<\/system-out>/);
});

test('markdown: HTML and @mentions neutralised, a message on one line', () => {
  assert.equal(
    formatMarkdown([hostile], { cwd: '/repo', maxLines: 50 }),
    '### Headroom: 1 problem (1 warning) in 1 file\n\n**`my-rule`** · warning · 1\n- `specs/a,b:c%.yaml:5:3` Value "50% ::error::&lt;script&gt;" by &#64;octocat &amp; co\n',
  );
});

test('markdown: a link written in the spec shows as its text, never as a link with a hidden target', () => {
  const out = formatMarkdown([{ ...hostile, message: 'GET /[docs](https://evil.example) and ![x](https://evil.example/i.png) \\[y\\]' }], { cwd: '/repo', maxLines: 50 });
  assert.equal(out.split('\n')[3], '- `specs/a,b:c%.yaml:5:3` GET /\\[docs\\](https://evil.example) and !\\[x\\](https://evil.example/i.png) \\\\\\[y\\\\\\]');
});
