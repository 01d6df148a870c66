/** The engine: locations across files, load problems as findings, formats, overlay, remote refs. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { Engine } from '../../src/core/engine';
import { cliPolicy, workspacePolicy } from '../../src/openapi/policy';
import { FileSource } from '../../src/openapi/files';
import { loadRuleset } from '../../src/core/ruleset';
import type { Finding } from '../../src/shared/types';
import { rangeText } from '../helpers/lint';

const fixtures = join(__dirname, '..', 'fixtures', 'engine');
// Pinned to one rule so these tests are about the engine, whatever else the ruleset grows.
const recommended = loadRuleset(join(fixtures, 'only-429.spectral.json'));

function brief(findings: Finding[], base = fixtures) {
  return findings.map((f) => [f.file.slice(base.length + 1), f.rule, f.severity, rangeText(f), f.path.join('.')]);
}

/** A spec file `api.yaml` of these lines, in a new temporary folder. */
function specFile(prefix: string, lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), prefix)), 'api.yaml');
  writeFileSync(file, [...lines, ''].join('\n'));
  return file;
}

test('findings inside $ref-ed files carry that file and range; dangling refs are `ref` errors', async () => {
  const result = await new Engine().lint(join(fixtures, 'multi', 'root.yaml'), recommended);
  assert.deepEqual(brief(result.findings), [
    ['multi/paths/orders.yaml', 'ratelimit-429-response', 'warn', '2:2-2:11', 'get.responses'],
    ['multi/root.yaml', 'ref', 'error', '13:16-13:43', 'paths./items.get.responses.429.$ref'],
    ['multi/root.yaml', 'ref', 'error', '15:10-15:37', 'paths./gone.$ref'],
  ]);
  assert.equal(result.findings[1].message, '$ref "./responses.yaml#/Missing" points at nothing: no "/Missing" in ./responses.yaml.');
  assert.equal(result.findings[2].message, '$ref "./paths/nothing-here.yaml" cannot be resolved: file not found: ./paths/nothing-here.yaml');
  assert.deepEqual(result.dependencies.map((d) => d.slice(fixtures.length + 1)).sort(), ['multi/paths/orders.yaml', 'multi/responses.yaml']);
  assert.equal(result.version, '3.0');
});

test('a YAML syntax error is a `parse` finding, not an exception', async () => {
  const result = await new Engine().lint(join(fixtures, 'broken.yaml'), recommended);
  const parse = result.findings.filter((f) => f.rule === 'parse');
  assert.deepEqual(brief(parse), [['broken.yaml', 'parse', 'error', '9:0-9:0', '']]);
  assert.match(parse[0].message, /flow collection/);
});

test('a YAML file with a syntax error gets no findings made of the parser\'s guesses', async () => {
  // The unclosed `{` swallows `paths`: checked against that guess, the schema said "must have
  // required property 'paths'" and "info: unknown property 'aths'". A JSON text read past its
  // error keeps its findings (the tolerant reader guesses nothing: tolerantJson.test.ts).
  const file = specFile('hr-guess-', ['openapi: 3.0.3', 'info: {title: t, version: "1"', 'paths:', '  /a: {get: {responses: {"200": {description: ok}}}}', '  - broken']);
  const result = await new Engine().lint(file, loadRuleset(undefined));
  assert.deepEqual(
    result.findings.map((f) => [f.rule, rangeText(f), f.message]),
    [
      ['parse', '2:0-2:6', 'Invalid mixed usage of block and flow styles'],
      ['parse', '4:2-4:2', 'Bad indentation of a mapping entry'],
      ['parse', '5:0-5:0', 'Can not read a block mapping entry; a multiline key may not be an implicit key'],
      ['parse', '5:0-5:0', 'Can not read an implicit mapping pair; a colon is missed'],
    ],
  );
  // A scheme written below the error: the auth rules read the guess, where none is defined.
  const below = specFile('hr-guess-', ['openapi: 3.0.3', "info: {title: t, version: '1'}", 'paths:', '  /a:', '    get:', "      responses: {'200': {description: ok}", 'components:', '  securitySchemes:', '    key: {type: apiKey, in: header, name: X-Key}']);
  assert.deepEqual([...new Set((await new Engine().lint(below, loadRuleset(undefined))).findings.map((f) => f.rule))], ['parse']);
});

test('a broken $ref-ed YAML file gets no guessed findings on the full engine either', async () => {
  // A user rule that needs resolved documents runs every rule on Spectral with its own resolver;
  // the fragment's text is then read through the engine's files, as the lean resolver reads it.
  const dir = mkdtempSync(join(tmpdir(), 'hr-guess-full-'));
  writeFileSync(join(dir, 'api.yaml'), ['openapi: 3.0.3', "info: {title: t, version: '1'}", 'paths:', "  /a: {$ref: './a.yaml'}", ''].join('\n'));
  // The unclosed `{` swallows the 200: read as guessed, ratelimit-429-response and the schema would speak.
  writeFileSync(join(dir, 'a.yaml'), ['get:', "  responses: {'200': {description: ok}", "  security: []", ''].join('\n'));
  const ruleset = join(dir, '.spectral.yaml');
  writeFileSync(ruleset, ['extends: [[headroom:recommended, off]]', 'rules:', '  ratelimit-429-response: warn', '  title-set:', '    given: $.info', '    then: {field: title, function: truthy}', ''].join('\n'));
  const result = await new Engine().lint(join(dir, 'api.yaml'), loadRuleset(ruleset));
  assert.equal(result.engine, 'spectral');
  assert.deepEqual(result.findings.map((f) => [f.file.slice(dir.length + 1), f.rule]), [
    ['a.yaml', 'parse'],
    ['a.yaml', 'parse'],
  ]);
});

test('a file that is not OpenAPI says so and runs no rule', async () => {
  const result = await new Engine().lint(join(fixtures, 'not-openapi.yaml'), recommended);
  assert.equal(result.version, null);
  assert.deepEqual(brief(result.findings), [['not-openapi.yaml', 'unrecognized-format', 'warn', '0:0-0:16', '']]);
  assert.match(result.findings[0].message, /^Not an OpenAPI document/);
});

test('JSON documents get exact ranges too', async () => {
  const result = await new Engine().lint(join(fixtures, 'pets.json'), recommended);
  assert.equal(result.version, '3.1');
  assert.deepEqual(brief(result.findings), [['pets.json', 'ratelimit-429-response', 'warn', '6:8-6:19', 'paths./pets.get.responses']]);
});

test('unsaved text in the overlay is what gets linted', async () => {
  const files = new FileSource();
  const file = join(fixtures, 'pets.json');
  const text = readFileSync(file, 'utf8').replace('"200": { "description": "ok" }', '"200": { "description": "ok" }, "429": { "description": "slow down" }');
  files.setOverlay(file, text);
  const result = await new Engine({ files }).lint(file, recommended);
  assert.deepEqual(result.findings, []);
});

test('remote $refs are not fetched unless allowed', async () => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.setHeader('content-type', 'application/yaml');
    res.end('TooMany:\n  description: slow down\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/common.yaml#/TooMany`;
    const dir = mkdtempSync(join(tmpdir(), 'headroom-remote-'));
    const spec = join(dir, 'remote.yaml');
    writeFileSync(spec, readFileSync(join(fixtures, 'remote.yaml'), 'utf8').replace('REMOTE_URL', url));

    const off = await new Engine().lint(spec, recommended);
    assert.equal(requests, 0);
    assert.deepEqual(brief(off.findings, dir), [['remote.yaml', 'ref', 'warn', `9:16-9:${16 + url.length + 2}`, 'paths./a.get.responses.429.$ref']]);
    assert.match(off.findings[0].message, /was not fetched/);

    const on = await new Engine({ policyFor: (s) => cliPolicy(s, { allowRemote: true }) }).lint(spec, recommended);
    assert.equal(requests, 1);
    assert.deepEqual(on.findings, []);
  } finally {
    server.close();
  }
});

test('x-lint-ignore on an operation, a path item ($ref-ed too) or the root silences those rules', async () => {
  const only429 = (fs: Finding[]) => fs.filter((f) => f.rule === 'ratelimit-429-response');
  const spec = await new Engine().lint(join(fixtures, 'suppress', 'spec.yaml'), recommended);
  assert.deepEqual(brief(only429(spec.findings)), [
    ['suppress/item.part.yaml', 'ratelimit-429-response', 'warn', '6:2-6:11', 'put.responses'],
    ['suppress/spec.yaml', 'ratelimit-429-response', 'warn', '12:6-12:15', 'paths./a.post.responses'],
  ]);
  const fileLevel = await new Engine().lint(join(fixtures, 'suppress', 'file-level.yaml'), recommended);
  assert.deepEqual(only429(fileLevel.findings), []);
});

test('with the editor\'s policy, $refs out of the workspace folder, also through a symlink, are not read', async () => {
  const spec = join(fixtures, 'confine', 'ws', 'spec.yaml');
  const folders = [join(fixtures, 'confine', 'ws')];
  const confined = await new Engine({ policyFor: (s) => workspacePolicy(s, { folders, trusted: true, allowOutside: false, allowRemote: false }) }).lint(spec, recommended);
  assert.deepEqual(brief(confined.findings), [
    ['confine/ws/spec.yaml', 'ref', 'error', '8:10-8:34', 'paths./outside.$ref'],
    ['confine/ws/spec.yaml', 'ref', 'error', '10:10-10:34', 'paths./linked.$ref'],
  ]);
  assert.equal(
    confined.findings[0].message,
    '$ref "../outside/secret.yaml" points outside the workspace folder and was not read (allow it with the headroom.allowRefsOutsideWorkspace setting).',
  );
  assert.deepEqual(confined.dependencies.map((d) => d.slice(fixtures.length + 1)), ['confine/ws/inside.part.yaml']);
  // The CLI's default root is the git work tree holding the spec: both files lie in it.
  const open = await new Engine().lint(spec, recommended);
  assert.deepEqual(brief(open.findings), []);
});

test('the CLI root of a spec reached through a symlink (the file or a folder) is chosen where the link is, where its $refs are read from', async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'headroom-linked-spec-')));
  mkdirSync(join(dir, 'outside'));
  mkdirSync(join(dir, 'proj'));
  writeFileSync(join(dir, 'outside', 'real.yaml'), ['openapi: 3.0.3', 'info: {title: t, version: "1"}', 'paths:', '  /a:', '    $ref: ./a.yaml', ''].join('\n'));
  writeFileSync(join(dir, 'proj', 'a.yaml'), ['get:', '  responses:', "    '200': {description: ok}", ''].join('\n'));
  symlinkSync(join(dir, 'outside', 'real.yaml'), join(dir, 'proj', 'spec.yaml'));
  const spec = join(dir, 'proj', 'spec.yaml');
  // The cwd holds the link: its folder is the root, and the file beside the link is read.
  const policy = cliPolicy(spec, { cwd: join(dir, 'proj') });
  assert.deepEqual(policy.roots, [join(dir, 'proj')]);
  const result = await new Engine({ policyFor: () => policy }).lint(spec, recommended);
  assert.deepEqual(result.findings.filter((f) => f.rule === 'ref'), []);
  assert.deepEqual(result.dependencies, [join(dir, 'proj', 'a.yaml')]);
  // The same through a linked folder (`proj/api` → `../elsewhere/api`): a `$ref` to `../shared` is `proj/shared`.
  mkdirSync(join(dir, 'elsewhere', 'api'), { recursive: true });
  mkdirSync(join(dir, 'proj', 'shared'));
  writeFileSync(join(dir, 'elsewhere', 'api', 'spec.yaml'), ['openapi: 3.0.3', 'info: {title: t, version: "1"}', 'paths:', '  /a:', '    $ref: ../shared/a.yaml', ''].join('\n'));
  writeFileSync(join(dir, 'proj', 'shared', 'a.yaml'), ['get:', '  responses:', "    '200': {description: ok}", ''].join('\n'));
  symlinkSync(join(dir, 'elsewhere', 'api'), join(dir, 'proj', 'api'));
  const linked = join(dir, 'proj', 'api', 'spec.yaml');
  const folderPolicy = cliPolicy(linked, { cwd: join(dir, 'proj') });
  assert.deepEqual(folderPolicy.roots, [join(dir, 'proj')]);
  const throughFolder = await new Engine({ policyFor: () => folderPolicy }).lint(linked, recommended);
  assert.deepEqual(throughFolder.findings.filter((f) => f.rule === 'ref'), []);
  assert.deepEqual(throughFolder.dependencies, [join(dir, 'proj', 'shared', 'a.yaml')]);
});

test('a $ref to an empty file, or one holding only comments, points at nothing, with one finding each', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-empty-ref-'));
  writeFileSync(join(dir, 'empty.yaml'), '');
  writeFileSync(join(dir, 'comments.yaml'), '\uFEFF# responses live here\r\n   \r\n# soon\r\n');
  writeFileSync(
    join(dir, 'api.yaml'),
    [
      'openapi: 3.0.3', 'info: {title: t, version: "1"}', 'paths:', '  /a:', '    $ref: ./empty.yaml', '  /b:', '    get:', '      responses:', "        '429':",
      '          $ref: ./comments.yaml#/TooMany', '  /c:', '    $ref: ./empty.yaml', '  /d:', '    $ref: ./missing.yaml', '  /e:', '    $ref: ./missing.yaml', '',
    ].join('\n'),
  );
  const result = await new Engine().lint(join(dir, 'api.yaml'), recommended);
  assert.deepEqual(
    result.findings.filter((f) => f.rule === 'ref').map((f) => [rangeText(f), f.path.join('.'), f.message]),
    [
      ['4:10-4:22', 'paths./a.$ref', '$ref "./empty.yaml" points at nothing: ./empty.yaml is empty.'],
      ['9:16-9:40', 'paths./b.get.responses.429.$ref', '$ref "./comments.yaml#/TooMany" points at nothing: ./comments.yaml is empty.'],
      // A second $ref to the same file is told the same reason, not "could not be loaded".
      ['11:10-11:22', 'paths./c.$ref', '$ref "./empty.yaml" points at nothing: ./empty.yaml is empty.'],
      ['13:10-13:24', 'paths./d.$ref', '$ref "./missing.yaml" cannot be resolved: file not found: ./missing.yaml'],
      ['15:10-15:24', 'paths./e.$ref', '$ref "./missing.yaml" cannot be resolved: file not found: ./missing.yaml'],
    ],
  );
  // The built-in rules say it once: no schema complaint about the null a comments-only file reads as.
  const builtin = await new Engine().lint(join(dir, 'api.yaml'), loadRuleset(undefined));
  assert.deepEqual(builtin.findings.filter((f) => f.rule === 'validate').map((f) => f.message), []);
});

test('a plain-name $ref is followed as a pointer to its $anchor: findings behind it are placed there, cycles through anchors are found', async () => {
  const file = specFile('headroom-anchor-place-', [
    'openapi: 3.1.0',
    'info: {title: t, version: "1"}',
    'paths:',
    '  /pets:',
    "    $ref: '#pets'",
    'components:',
    '  pathItems:',
    '    Pets:',
    '      $anchor: pets',
    '      get:',
    '        responses:',
    "          '200': {description: ok}",
    '  schemas:',
    "    Loop: {$anchor: loop, $ref: '#loop'}",
  ]);
  const result = await new Engine().lint(file, recommended);
  assert.deepEqual(
    result.findings.map((f) => [f.rule, rangeText(f), f.path.join('.'), f.message]),
    [
      ['ratelimit-429-response', '10:8-10:17', 'components.pathItems.Pets.get.responses', 'GET /pets documents no 429 (Too Many Requests) response.'],
      ['ref', '13:32-13:39', 'components.schemas.Loop.$ref', '$ref "#loop" is circular: following it leads back to it, and to no value.'],
    ],
  );
});

test('a $ref to a plain-name fragment reaches the schema with that $anchor (OAS 3.1); an unknown name points at nothing, a name declared twice is ambiguous, "#/" is the member ""', async () => {
  const file = specFile('headroom-anchor-ref-', [
    'openapi: 3.1.0',
    'info: {title: t, version: "1"}',
    'paths:',
    '  /pets:',
    '    get:',
    '      responses:',
    "        '200': {description: ok, content: {application/json: {schema: {$ref: '#pet'}}}}",
    "        '429': {$ref: '#/components/responses/Busy'}",
    '  /tags:',
    '    get:',
    '      responses:',
    "        '200': {description: ok, content: {application/json: {schema: {$ref: '#tag'}}}}",
    '  /owners:',
    '    get:',
    '      responses:',
    "        '200': {description: ok, content: {application/json: {schema: {$ref: '#owner'}}, application/xml: {schema: {$ref: '#/'}}}}",
    'components:',
    '  responses:',
    '    Busy: {description: busy}',
    '  schemas:',
    '    Pet: {$anchor: pet, type: object}',
    '    Owner: {$anchor: owner, type: object}',
    '    Keeper: {$anchor: owner, type: string}',
    '    Example: {type: object, example: {$anchor: pet}}',
  ]);
  const result = await new Engine().lint(file, recommended);
  assert.deepEqual(
    result.findings.filter((f) => f.rule === 'ref').map((f) => [rangeText(f), f.message]),
    [
      ['11:77-11:83', '$ref "#tag" points at nothing: no "tag" in this document.'],
      [
        '15:77-15:85',
        '$ref "#owner" is ambiguous: 2 objects of this document declare the anchor "owner" (components.schemas.Owner, components.schemas.Keeper); it is read as the first. Give each its own name.',
      ],
      ['15:122-15:126', '$ref "#/" points at nothing: "#/" names the member "" of the root (RFC 6901), which this document does not have; "#" names the whole document.'],
    ],
  );
});

test('an anchor is ambiguous only within one schema resource and when the objects differ; the places listed are capped', async () => {
  const lines = (extra: string[]) => [
    'openapi: 3.1.0',
    'info: {title: t, version: "1"}',
    'x-base: &p {$anchor: pet, type: object}',
    'paths:',
    '  /a:',
    '    get:',
    '      responses:',
    "        '200': {description: ok, content: {application/json: {schema: {$ref: '#pet'}}, application/xml: {schema: {$ref: '#item'}}}}",
    'components:',
    '  schemas:',
    '    Pet: *p',
    '    A: {$id: "https://example.com/a", $defs: {Item: {$anchor: item, type: string}}}',
    '    B: {$id: "https://example.com/b", $defs: {Item: {$anchor: item, type: integer}}}',
    ...extra,
  ];
  // A YAML alias repeats one object; two `$id` resources each have their own `item`.
  const quiet = await new Engine().lint(specFile('headroom-anchor-scope-', lines([])), recommended);
  assert.deepEqual(quiet.findings.filter((f) => f.rule === 'ref'), []);
  // Five different objects named `pet` in the root resource: three places and how many more.
  const many = await new Engine().lint(specFile('headroom-anchor-many-', lines([0, 1, 2, 3].map((i) => `    P${i}: {$anchor: pet, type: string, title: p${i}}`))), recommended);
  assert.deepEqual(
    many.findings.filter((f) => f.rule === 'ref').map((f) => f.message),
    ['$ref "#pet" is ambiguous: 5 objects of this document declare the anchor "pet" (x-base, components.schemas.P0, components.schemas.P1 and 2 more); it is read as the first. Give each its own name.'],
  );
});

test('a second YAML document is one parse finding on its `---`, not at 0:0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-two-docs-'));
  const file = join(dir, 'api.yaml');
  writeFileSync(file, ['%YAML 1.2', '---', '# the API', 'openapi: 3.0.3', 'info: {title: t, version: "1"}', 'paths: {}', '---', 'openapi: 3.1.0', ''].join('\n'));
  const result = await new Engine().lint(file, recommended);
  assert.deepEqual(
    result.findings.filter((f) => f.rule === 'parse').map((f) => [rangeText(f), f.message]),
    [['6:0-6:3', 'A second YAML document starts here: a spec is one document, and only the first is read. Move the rest into the first, or into its own file.']],
  );
  // A trailing `---` with nothing after it: nothing to move, only the marker to remove.
  writeFileSync(file, ['openapi: 3.0.3', 'info: {title: t, version: "1"}', 'paths: {}', '---', '# the end', ''].join('\n'));
  assert.deepEqual(
    (await new Engine().lint(file, recommended)).findings.filter((f) => f.rule === 'parse').map((f) => [rangeText(f), f.message]),
    [['3:0-3:3', 'A second, empty YAML document starts here: a spec is one document. Remove this marker.']],
  );
  // The same in a `$ref`ed file (Spectral parses it itself, and said 1:1).
  writeFileSync(join(dir, 'pets.yaml'), ['Pet:', '  type: object', '---', 'Other: 1', ''].join('\n'));
  writeFileSync(file, ['openapi: 3.1.0', 'info: {title: t, version: "1"}', 'paths:', '  /a:', '    get:', '      responses:', "        '200':", '          description: ok', '          content:', '            application/json:', "              schema: {$ref: './pets.yaml#/Pet'}", ''].join('\n'));
  const referenced = (await new Engine().lint(file, recommended)).findings.filter((f) => f.rule === 'parse');
  assert.deepEqual(
    referenced.map((f) => [f.file, rangeText(f), f.message]),
    [[join(dir, 'pets.yaml'), '2:0-2:3', 'A second YAML document starts here: a spec is one document, and only the first is read. Move the rest into the first, or into its own file.']],
  );
  // A flow document on the marker's line, an empty first document, a bare document after `...`.
  const cases: [string[], string, string][] = [
    [["--- {openapi: 3.1.0, info: {title: t, version: '1'}, paths: {}}", '--- {a: 1}'], '1:0-1:3', 'only the first is read'],
    [['---', '---', 'openapi: 3.1.0', "info: {title: t, version: '1'}", 'paths: {}'], '1:0-1:3', 'only the first, which is empty, is read'],
    [['openapi: 3.1.0', "info: {title: t, version: '1'}", 'paths: {}', '...', 'foo: bar'], '4:0-4:8', 'only the first is read'],
  ];
  for (const [lines, range, words] of cases) {
    writeFileSync(file, [...lines, ''].join('\n'));
    const parse = (await new Engine().lint(file, recommended)).findings.filter((f) => f.rule === 'parse');
    assert.deepEqual(parse.map((f) => [rangeText(f), f.message.includes(words)]), [[range, true]], lines.join(' / '));
  }
});

test('a JSON spec that repeats a key is told so even when nothing else is found (JSON.parse keeps the last in silence)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-json-dup-'));
  const file = join(dir, 'api.json');
  writeFileSync(file, '{\n  "openapi": "3.1.0",\n  "openapi": "3.0.0",\n  "info": {"title": "t", "version": "1"},\n  "paths": {}\n}\n');
  const result = await new Engine().lint(file, recommended);
  assert.deepEqual(result.findings.map((f) => [f.rule, rangeText(f), f.message]), [['parse', '2:2-2:11', 'Duplicate key: openapi']]);
});

test('findings behind a $ref written percent-encoded or as a file: URL are placed in that file, as behind a plain path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-encoded-ref-'));
  mkdirSync(join(dir, 'paths dir'));
  writeFileSync(join(dir, 'paths dir', 'pets.yaml'), ['get:', '  responses:', "    '200': {description: ok}", ''].join('\n'));
  for (const ref of ['./paths%20dir/pets.yaml', `${pathToFileURL(join(dir, 'paths dir', 'pets.yaml')).href}`]) {
    writeFileSync(join(dir, 'api.yaml'), ['openapi: 3.0.3', 'info: {title: t, version: "1"}', 'paths:', '  /pets:', `    $ref: '${ref}'`, ''].join('\n'));
    const result = await new Engine().lint(join(dir, 'api.yaml'), recommended);
    assert.deepEqual(brief(result.findings, dir), [['paths dir/pets.yaml', 'ratelimit-429-response', 'warn', '1:2-1:11', 'get.responses']], ref);
  }
});

test('a $ref to a name objects inherit (constructor, hasOwnProperty) or to an array\'s length points at nothing', async () => {
  const file = join(fixtures, 'proto', 'inherited-refs.yaml');
  const result = await new Engine().lint(file, recommended);
  assert.deepEqual(
    result.findings.filter((f) => f.rule === 'ref').map((f) => [rangeText(f), f.message]),
    [
      ['12:29-12:63', '$ref "#/components/schemas/constructor" points at nothing: no "/components/schemas/constructor" in this document.'],
      ['17:29-17:72', '$ref "#/components/schemas/Thing/hasOwnProperty" points at nothing: no "/components/schemas/Thing/hasOwnProperty" in this document.'],
      ['22:29-22:73', '$ref "#/components/schemas/Thing/required/length" points at nothing: no "/components/schemas/Thing/required/length" in this document.'],
    ],
  );
  // The built-in rules do not stumble on them either (the validate rule used to fail on this file).
  const builtin = await new Engine().lint(file, loadRuleset(undefined));
  assert.deepEqual(builtin.findings.filter((f) => /failed on this document/.test(f.message)), []);
  assert.equal(builtin.findings.filter((f) => f.rule === 'ref').length, 3);
});
