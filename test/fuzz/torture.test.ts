/**
 * Torture inputs, each linted in the fuzz worker (a hang or an out-of-memory is caught, see
 * harness.ts) by both engines — the one users get (lean when it can) and Spectral's (any custom
 * ruleset) — with the outcome asserted where it is known: nesting 10,000 levels deep (YAML and
 * JSON, flow and block), a 10 MB string, circular and self-referencing `$ref`s, a `$ref` to a
 * missing file or out of the allowed folders, alias bombs, invalid UTF-8, a BOM, CRLF and CR line
 * ends, NUL bytes, empty and comment-only files, top-level arrays and scalars.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { LintResult } from '../../src/core/engine';
import { MAX_NESTING } from '../../src/openapi/nesting';
import { describeFailure, FIXTURES, LintWorker, rangeText, ruleCounts, type Case, type Written } from './harness';

const worker = new LintWorker();
after(() => worker.close());

const ENGINES = ['lean', 'spectral'] as const;
const N = 10_000;

const zoo = readFileSync(join(FIXTURES, 'zoo.v31.json'), 'utf8');
const farm = readFileSync(join(FIXTURES, 'farm.v2.yaml'), 'utf8');
const billion = readFileSync(join(__dirname, '..', 'fixtures', 'engine', 'aliases', 'billion-laughs.yaml'), 'utf8');

/** A small valid 3.0 YAML spec with `extra` appended at the root (lines of YAML). */
function yamlSpec(extra = ''): string {
  return `openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n${extra}`;
}
/** The same as JSON, `extra` a `"key": value` member of the root. */
function jsonSpec(extra?: string): string {
  return `{\n  "openapi": "3.0.3",\n  "info": { "title": "T", "version": "1" },\n  "paths": { "/a": { "get": { "responses": { "200": { "description": "ok" } } } } }${extra ? `,\n  ${extra}` : ''}\n}\n`;
}

async function lint(c: Case): Promise<{ result: LintResult; written: Written }> {
  const { outcome, written, problems } = await worker.run(c);
  if (problems.length > 0) assert.fail(describeFailure(c, written, problems));
  assert.ok(outcome.kind === 'ok');
  return { result: outcome.result, written };
}

/** Findings without the case's folder, for comparing two cases. */
function portable(r: LintResult) {
  const dir = r.file.slice(0, r.file.lastIndexOf('/') + 1);
  return r.findings.map((f) => ({ ...f, file: f.file.replace(dir, '') }));
}

type Engine = (typeof ENGINES)[number];

/** Define one torture test per engine. */
function torture(name: string, files: Record<string, string | Uint8Array>, check?: (r: LintResult, w: Written, engine: Engine) => void, extra: Partial<Case> = {}) {
  for (const engine of ENGINES) {
    test(`${name} [${engine}]`, async () => {
      const { result, written } = await lint({ name: `${name} ${engine}`, files, engine, ...extra });
      check?.(result, written, engine);
    });
  }
}

const hasParse = (pattern: RegExp) => (r: LintResult) =>
  assert.ok(r.findings.some((f) => f.rule === 'parse' && pattern.test(f.message)), `no parse finding matching ${pattern}: ${JSON.stringify(ruleCounts(r.findings))} ${r.findings.filter((f) => f.rule === 'parse').map((f) => f.message).join(' | ')}`);
const TOO_DEEP = /nest deeper than 1,000 levels/;
/** JSON: the Spectral engine cuts it at 1,000 levels; the lean one (JSON.parse, no recursion) may take it whole. */
const jsonTooDeep = (r: LintResult, _w: Written, engine: Engine) => engine === 'spectral' && hasParse(TOO_DEEP)(r);

describe('nesting 10,000 levels deep: what lies below 1,000 levels is left out, with a parse finding', () => {
  assert.equal(MAX_NESTING, 1000);
  torture('YAML flow sequences', { 'spec.yaml': yamlSpec(`x-deep: ${'['.repeat(N)}${']'.repeat(N)}\n`) }, hasParse(TOO_DEEP));
  torture('YAML flow mappings', { 'spec.yaml': yamlSpec(`x-deep: ${'{a: '.repeat(N)}1${'}'.repeat(N)}\n`) }, hasParse(TOO_DEEP));
  torture('YAML block sequences (compact)', { 'spec.yaml': yamlSpec(`x-deep: ${'- '.repeat(N)}1\n`) });
  torture(
    'YAML block mappings (one space per level)',
    { 'spec.yaml': yamlSpec('x-deep:\n' + Array.from({ length: N }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n') + ' 1\n') },
    hasParse(TOO_DEEP),
  );
  torture('JSON arrays', { 'spec.json': jsonSpec(`"x-deep": ${'['.repeat(N)}${']'.repeat(N)}`) }, jsonTooDeep);
  torture('JSON objects', { 'spec.json': jsonSpec(`"x-deep": ${'{"a": '.repeat(N)}1${'}'.repeat(N)}`) }, jsonTooDeep);
  torture('JSON arrays, unclosed', { 'spec.json': jsonSpec(`"x-deep": ${'['.repeat(N)}`) }, hasParse(/./));
  torture(
    'a JSON schema 10,000 levels deep in a response',
    { 'spec.json': jsonSpec().replace('"description": "ok"', `"description": "ok", "content": {"application/json": {"schema": ${'{"type": "array", "items": '.repeat(N)}{}${'}'.repeat(N)}}}`) },
    (r) => assert.ok(r.findings.some((f) => f.rule === 'validate' && /nests too deeply/.test(f.message)), JSON.stringify(ruleCounts(r.findings))),
  );
  torture('a YAML schema 600 levels deep (no parse finding; the validate rule copes)', {
    'spec.yaml': yamlSpec().replace('description: ok', `description: ok\n          content:\n            application/json:\n              schema: ${'{type: array, items: '.repeat(600)}{}${'}'.repeat(600)}`),
  }, (r) => {
    assert.deepEqual(r.findings.filter((f) => f.rule === 'parse'), []);
    assert.ok(r.findings.some((f) => f.rule === 'validate' && /nests too deeply/.test(f.message)), JSON.stringify(ruleCounts(r.findings)));
  });
  torture(
    'a $ref-ed file nested 10,000 levels deep (JSON)',
    { 'spec.yaml': yamlSpec('x-part:\n  $ref: ./deep.json\n'), 'deep.json': `{"a": ${'['.repeat(N)}${']'.repeat(N)}}` },
    (r) => assert.ok(r.findings.some((f) => f.rule === 'ref' && /deep\.json, where values nest deeper than 1,000 levels \(line 1\)/.test(f.message)), JSON.stringify(r.findings.map((f) => f.message))),
  );
  torture(
    'a $ref-ed file nested 10,000 levels deep (YAML)',
    { 'spec.yaml': yamlSpec('x-part:\n  $ref: ./deep.yaml\n'), 'deep.yaml': `a: ${'['.repeat(N)}${']'.repeat(N)}\n` },
    (r) => assert.ok(r.findings.some((f) => f.rule === 'ref' && /deep\.yaml, where values nest deeper than 1,000 levels/.test(f.message)), JSON.stringify(r.findings.map((f) => f.message))),
  );
});

describe('what was quadratic or worse in depth or length stays linear', () => {
  // 100,000 levels: the deepest path was copied at each level (validate's deepestPath).
  torture(
    'JSON arrays 100,000 levels deep in a schema example',
    { 'spec.json': jsonSpec(`"components": {"schemas": {"A": {"example": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}}`) },
    (r, w, engine) => (engine === 'spectral' ? hasParse(TOO_DEEP)(r) : assert.ok(r.findings.some((f) => f.rule === 'validate' && /nests too deeply/.test(f.message)), JSON.stringify(ruleCounts(r.findings)))),
  );
  // A chain of 3,000 $refs: each was walked to its end, with a linear search per hop (refs.ts dropRefCycles).
  const links = Array.from({ length: 3000 }, (_, i) => `    S${i}: {$ref: '#/components/schemas/S${i + 1}'}`).join('\n');
  torture(
    'a chain of 3,000 $refs',
    { 'spec.yaml': yamlSpec(`components:\n  schemas:\n${links}\n    S3000: {type: string}\n`) },
    (r) => assert.deepEqual(r.findings.filter((f) => f.rule === 'ref' || f.rule === 'validate' || f.rule === 'parse'), []),
  );
});

describe('a YAML mapping key __proto__ is a key, never a prototype', () => {
  const PROTO = 'A mapping key __proto__ was read as __PROTO__: as a key it would replace the prototype of the objects the YAML parser builds.';
  torture(
    'at the root, holding an annotation; in a quoted description it is text',
    { 'spec.yaml': yamlSpec().replace("  title: T\n", "  title: T\n  description: 'see __proto__: here'\n") + "__proto__: {x-gateway-rate-limit: {requests: 1, window: 1s}}\n" },
    (r) => {
      assert.deepEqual(r.findings.filter((f) => f.rule === 'parse').map((f) => [f.range.start.line, f.message]), [[11, PROTO]]);
      // The annotation under it applies nowhere: the root's own keys are the spec's.
      assert.ok(r.findings.some((f) => f.rule === 'ratelimit-policy-declared'), JSON.stringify(ruleCounts(r.findings)));
      assert.ok(!r.findings.some((f) => f.rule === 'validate' && /paths/.test(f.message) && /required/.test(f.message)), JSON.stringify(r.findings.map((f) => f.message)));
    },
  );
  torture('escaped in double quotes', { 'spec.yaml': yamlSpec().replace("        '200':", '        "\\x5f_proto__": {}\n        \'200\':') }, (r) =>
    assert.deepEqual(r.findings.filter((f) => f.rule === 'parse').map((f) => f.message), [PROTO]),
  );
});

describe('a 10 MB string value lints like a short one', () => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  const baseline = (r: LintResult, short: LintResult) => assert.deepEqual(ruleCounts(r.findings), ruleCounts(short.findings));
  for (const [style, value] of [
    ['plain', big],
    ['double-quoted', `"${big}"`],
    ['single-quoted', `'${big}'`],
    ['literal block', `|\n            ${big}`],
  ] as const) {
    for (const engine of ENGINES) {
      test(`YAML ${style} [${engine}]`, async () => {
        const short = await lint({ name: 'short', files: { 'spec.yaml': farm }, engine });
        const { result } = await lint({ name: `10MB ${style}`, files: { 'spec.yaml': farm.replace('description: Cows', `description: ${value}`) }, engine });
        baseline(result, short.result);
      });
    }
  }
  for (const engine of ENGINES) {
    test(`JSON string [${engine}]`, async () => {
      const short = await lint({ name: 'short', files: { 'spec.json': zoo }, engine });
      const { result } = await lint({ name: '10MB JSON', files: { 'spec.json': zoo.replace('"Animals"', JSON.stringify(big)) }, engine });
      baseline(result, short.result);
    });
  }
});

describe('circular and self-referencing $refs', () => {
  const response = (ref: string) => yamlSpec().replace("'200':\n          description: ok", `'200':\n          $ref: '${ref}'`);
  torture('a path item that is `$ref: "#"` (the whole document)', { 'spec.yaml': yamlSpec().replace('    get:\n      responses:\n        \'200\':\n          description: ok\n', '    $ref: "#"\n') });
  torture('a schema that is `$ref: "#"`', { 'spec.yaml': yamlSpec().replace('description: ok', 'description: ok\n          content:\n            application/json:\n              schema:\n                $ref: "#"') });
  // A $ref on a cycle names no value: a `ref` error at each $ref of the cycle (not at the one leading into it).
  const circular = (...expected: [string, string][]) => (r: LintResult) =>
    assert.deepEqual(
      r.findings.filter((f) => f.rule === 'ref').map((f) => [f.path.join('.'), f.message]),
      expected.map(([path, ref]) => [path, `$ref "${ref}" is circular: following it leads back to it, and to no value.`]),
    );
  torture('#/x-a → #/x-b → #/x-a, used as a response', { 'spec.yaml': response('#/x-a') + 'x-a:\n  $ref: "#/x-b"\nx-b:\n  $ref: "#/x-a"\n' }, circular(['x-a.$ref', '#/x-b'], ['x-b.$ref', '#/x-a']));
  torture('a response that is its own $ref', { 'spec.yaml': response('#/components/responses/R') + 'components:\n  responses:\n    R:\n      $ref: "#/components/responses/R"\n' }, circular(['components.responses.R.$ref', '#/components/responses/R']));
  torture('a schema cycle through properties, items, allOf and additionalProperties', {
    'spec.yaml':
      yamlSpec().replace('description: ok', 'description: ok\n          content:\n            application/json:\n              schema: {$ref: "#/components/schemas/A"}') +
      'components:\n  schemas:\n    A: {type: object, properties: {b: {$ref: "#/components/schemas/B"}}, additionalProperties: {$ref: "#/components/schemas/A"}}\n    B: {allOf: [{$ref: "#/components/schemas/A"}], items: {$ref: "#/components/schemas/B"}}\n',
  });
  torture('a parameter and a header that $ref themselves', {
    'spec.yaml':
      yamlSpec().replace("    get:\n", "    get:\n      parameters:\n        - $ref: '#/components/parameters/P'\n").replace('description: ok', "description: ok\n          headers:\n            RateLimit: {$ref: '#/components/headers/H'}") +
      "components:\n  parameters:\n    P: {$ref: '#/components/parameters/P'}\n  headers:\n    H: {$ref: '#/components/headers/H'}\n",
  });
  torture('a file that $refs itself', { 'spec.yaml': yamlSpec().replace("    get:\n      responses:\n        '200':\n          description: ok\n", "    $ref: 'spec.yaml#/paths/~1a'\n") });
  torture('two files that $ref each other', {
    'spec.yaml': response('./other.yaml#/R'),
    'other.yaml': "R:\n  $ref: './spec.yaml#/paths/~1a/get/responses/200'\n",
  });
  torture('a path item $ref-ed from another file that $refs back into the root', {
    'spec.yaml': yamlSpec().replace("    get:\n      responses:\n        '200':\n          description: ok\n", "    $ref: './item.yaml'\n") + 'x-ops:\n  $ref: ./item.yaml\n',
    'item.yaml': "get:\n  responses:\n    '200':\n      $ref: './spec.yaml#/x-ops/get/responses/200'\n",
  });
});

describe('$ref cycles that a finding passes through (they hung Spectral\'s DocumentInventory, fixed in refs.ts)', () => {
  torture('a root `$ref: "#"` in a document with a syntax error', { 'spec.yaml': farm.replace("info:\n", 'info:\n$ref: "#"\n').replace('  title: Farm', ' title: [Farm') });
  torture(
    'a security requirement and a security scheme that $ref each other',
    { 'spec.yaml': farm.replace('  key:\n    type: apiKey\n    in: query\n    name: key\n', '  key:\n    $ref: "#/paths/~1cows/post/security/0/key"\n').replace('        - key: []', '        - key:\n            $ref: "#/securityDefinitions/key"') },
  );
});

describe('$refs that lead nowhere or out of bounds are `ref` findings at the $ref', () => {
  torture('a $ref with a malformed percent escape', { 'spec.yaml': yamlSpec("x-r:\n  $ref: './a%zz.yaml'\n") }, (r) => assert.ok(r.findings.some((f) => f.rule === 'ref')));
  const refAt = (value: string) => (r: LintResult, w: Written) => {
    const refs = r.findings.filter((f) => f.rule === 'ref');
    assert.equal(refs.length, 1, JSON.stringify(r.findings));
    assert.equal(rangeText(refs[0], w.texts.get(refs[0].file)!), value);
    assert.deepEqual(refs[0].path.slice(-1), ['$ref']);
  };
  torture('a $ref to a missing file', { 'spec.yaml': yamlSpec().replace("'200':\n          description: ok", "'200':\n          $ref: './missing.yaml#/R'") }, refAt("'./missing.yaml#/R'"));
  torture('a $ref to a missing file (JSON)', { 'spec.json': jsonSpec().replace('{ "description": "ok" }', '{ "$ref": "missing.json" }') }, refAt('"missing.json"'));
  torture('a $ref to a folder', { 'spec.yaml': yamlSpec('x-dir:\n  $ref: ./sub\n'), 'sub/keep.yaml': 'a: 1\n' }, refAt('./sub'));
  torture('a $ref to a missing pointer', { 'spec.yaml': yamlSpec('x-r:\n  $ref: "#/nowhere/at/all"\n') }, refAt('"#/nowhere/at/all"'));
  torture(
    'a $ref out of the allowed folders (confineRefsTo)',
    { 'ws/spec.yaml': yamlSpec("x-out:\n  $ref: '../outside/secret.yaml'\n"), 'outside/secret.yaml': 'a: 1\n' },
    (r, w) => {
      refAt("'../outside/secret.yaml'")(r, w);
      assert.match(r.findings.find((f) => f.rule === 'ref')!.message, /points outside the workspace folder and was not read/);
      assert.deepEqual(r.dependencies, []);
    },
    { confineTo: ['ws'] },
  );
  torture(
    'an absolute $ref out of the allowed folders',
    { 'ws/spec.yaml': yamlSpec("x-out:\n  $ref: '/etc/passwd'\n") },
    (r, w) => refAt("'/etc/passwd'")(r, w),
    { confineTo: ['ws'] },
  );
  torture('an absolute $ref to a non-YAML file, without confinement', { 'spec.yaml': yamlSpec("x-bin:\n  $ref: '/proc/self/status'\n") });
});

describe('YAML alias bombs are not expanded', () => {
  const BOMB = /YAML aliases here expand to more than 500,000 nodes/;
  torture('billion laughs', { 'spec.yaml': billion }, hasParse(BOMB));
  torture('billion laughs with a syntax error further down', { 'spec.yaml': billion + 'broken: [unclosed\n' }, hasParse(BOMB));
  torture('billion laughs after an alias of no anchor', { 'spec.yaml': billion.replace('x-a:', 'x-0: *nope\nx-a:') }, hasParse(BOMB));
  torture('billion laughs through merge keys', {
    'spec.yaml': yamlSpec('x-a: &a {a0: 1, a1: 1, a2: 1, a3: 1, a4: 1, a5: 1, a6: 1, a7: 1, a8: 1}\n' + 'bcdefghij'.split('').map((c, i) => `x-${c}: &${c} {<<: *${'abcdefghij'[i]}, ${Array.from({ length: 9 }, (_, k) => `${c}${k}: *${'abcdefghij'[i]}`).join(', ')}}`).join('\n') + '\n'),
  }, hasParse(BOMB));
  torture('aliases that nest 4,000 levels deep', {
    'spec.yaml': yamlSpec('x-0: &a0 ' + '['.repeat(400) + ']'.repeat(400) + '\n' + Array.from({ length: 10 }, (_, i) => `x-${i + 1}: &a${i + 1} ${'['.repeat(400)}*a${i}${']'.repeat(400)}`).join('\n') + '\n'),
  }, hasParse(/YAML aliases here nest values deeper than 1,000 levels/));
  torture('a $ref-ed bomb with a syntax error', {
    'spec.yaml': yamlSpec('x-part:\n  $ref: ./bomb.yaml\n'),
    'bomb.yaml': billion + 'broken: [unclosed\n',
  }, (r) => assert.ok(r.findings.some((f) => f.rule === 'ref' && /YAML aliases expand to more than 500,000 nodes/.test(f.message))));
  torture('an alias before its anchor is no bomb', { 'spec.yaml': yamlSpec('x-b: *a\nx-a: &a 1\n') }, (r) =>
    assert.ok(!r.findings.some((f) => /billion laughs/.test(f.message)), JSON.stringify(r.findings.map((f) => f.message))),
  );
});

describe('encodings, line ends and odd bytes', () => {
  const same = (a: LintResult, b: LintResult) => assert.deepEqual(portable(a), portable(b));
  for (const engine of ENGINES) {
    test(`a JSON file with a BOM lints exactly like the one without [${engine}]`, async () => {
      const plain = await lint({ name: 'no BOM', files: { 'spec.json': zoo }, engine });
      const bom = await lint({ name: 'BOM', files: { 'spec.json': '\uFEFF' + zoo }, engine });
      same(bom.result, plain.result);
    });
    test(`a YAML file with a BOM lints exactly like the one without [${engine}]`, async () => {
      const plain = await lint({ name: 'no BOM', files: { 'spec.yaml': farm }, engine });
      const bom = await lint({ name: 'BOM', files: { 'spec.yaml': '\uFEFF' + farm }, engine });
      same(bom.result, plain.result);
    });
    for (const [label, eol] of [['CRLF', '\r\n'], ['CR', '\r']] as const) {
      test(`${label} line ends lint exactly like LF (YAML and JSON) [${engine}]`, async () => {
        for (const [name, text] of [['spec.yaml', farm], ['spec.json', zoo]] as const) {
          const lf = await lint({ name: `LF ${name}`, files: { [name]: text }, engine });
          const other = await lint({ name: `${label} ${name}`, files: { [name]: text.replace(/\n/g, eol) }, engine });
          same(other.result, lf.result);
        }
      });
    }
  }
  // Byte offsets: the texts are ASCII.
  const bytes = (text: string | Buffer, at: number, inject: number[]) => {
    const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    return Buffer.concat([b.subarray(0, at), Buffer.from(inject), b.subarray(at)]);
  };
  torture('invalid UTF-8 in a YAML value and a key', { 'spec.yaml': bytes(bytes(farm, farm.indexOf('Cows'), [0xff, 0xfe, 0xc3, 0x28]), farm.indexOf('basic:'), [0xe2, 0x82]) });
  torture('invalid UTF-8 in a JSON string', { 'spec.json': bytes(zoo, zoo.indexOf('Animals'), [0xc0, 0xaf, 0xed, 0xa0, 0x80]) });
  torture('a lone surrogate escape in JSON', { 'spec.json': zoo.replace('"Animals"', '"\\ud800"') });
  torture('a NUL byte in a YAML value', { 'spec.yaml': farm.replace('Cows', 'Co\0ws') });
  torture('a NUL byte in a JSON string', { 'spec.json': zoo.replace('Animals', 'Ani\0mals') }, hasParse(/./));
  torture('a NUL byte first', { 'spec.yaml': '\0' + farm });
  torture('binary noise', { 'spec.yaml': Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256) });
  const notOpenApi = (r: LintResult) => {
    assert.equal(r.version, null);
    assert.ok(r.findings.some((f) => f.rule === 'unrecognized-format'), JSON.stringify(r.findings));
  };
  torture('an empty YAML file', { 'spec.yaml': '' }, notOpenApi);
  torture('an empty JSON file', { 'spec.json': '' }, notOpenApi);
  torture('only whitespace and comments (YAML)', { 'spec.yaml': '  \n\n# nothing here\n   # nor here\n\n' }, notOpenApi);
  torture('only whitespace and comments (JSON)', { 'spec.json': '\n  // nothing\n  /* at all */\n' }, notOpenApi);
  torture('a top-level YAML sequence', { 'spec.yaml': '- openapi: 3.0.3\n- paths: {}\n' }, notOpenApi);
  torture('a top-level YAML scalar', { 'spec.yaml': 'openapi\n' }, notOpenApi);
  torture('a top-level JSON array', { 'spec.json': '[{"openapi": "3.0.3"}]' }, notOpenApi);
  torture('a top-level JSON scalar', { 'spec.json': '"openapi: 3.0.3"' }, notOpenApi);
  torture('a top-level JSON null', { 'spec.json': 'null' }, notOpenApi);
  torture('a YAML stream of two documents', { 'spec.yaml': farm + '---\n' + farm }, hasParse(/./));
  torture('duplicate root keys', { 'spec.yaml': farm + "swagger: '2.0'\n" }, hasParse(/[Dd]uplicate/));
  torture('YAML tags the parser cannot read: !!binary, an empty !!str', { 'spec.yaml': farm.replace('description: Cows', 'description: !!binary Q293cw==').replace("basePath: /v1", 'basePath: !!str\nx-bin: !!binary\n  a: 1') }, hasParse(/!!binary/));
  torture('a $ref-ed file with a !!binary tag', { 'spec.yaml': yamlSpec('x-part:\n  $ref: ./part.yaml\n'), 'part.yaml': 'a: !!binary aGk=\n' }, (r) =>
    assert.ok(r.findings.some((f) => f.rule === 'ref' && /part\.yaml, where YAML tags !!binary/.test(f.message)), JSON.stringify(r.findings.map((f) => f.message))),
  );
  torture('JSON in a .yml file', { 'spec.yml': zoo });
  torture('a file without extension', { spec: farm });
});
