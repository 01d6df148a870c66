/** YAML merge keys read as the merge-key spec says: what a mapping writes wins over what `<<` merges, wherever `<<` stands. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseWithPointers } from '@stoplight/yaml';
import { Engine } from '../../src/core/engine';
import { loadRuleset } from '../../src/core/ruleset';
import { exportPolicy } from '../../src/export/index';
import { parseDocument } from '../../src/openapi/document';
import { parseYamlFull, YAML_OPTIONS } from '../../src/openapi/incrementalYaml';
import { inTempDir } from '../helpers/tempDir';
import { rangeText } from '../helpers/lint';

const TEXT = [
  'defaults: &defaults {limit: 1000, summary: merged, nested: {a: 1}}',
  'other: &other {limit: 2, extra: other}',
  'late:',
  '  limit: 5',
  '  <<: *defaults',
  'early:',
  '  <<: *defaults',
  '  limit: 5',
  'list:',
  '  limit: 5',
  '  <<: [*other, *defaults]',
  'deep:',
  '  inner:',
  '    limit: 7',
  '    <<: *defaults',
  '',
].join('\n');

const EXPECTED = {
  defaults: { limit: 1000, summary: 'merged', nested: { a: 1 } },
  other: { limit: 2, extra: 'other' },
  late: { limit: 5, summary: 'merged', nested: { a: 1 } },
  early: { limit: 5, summary: 'merged', nested: { a: 1 } },
  // Earlier mappings of a merged list win over later ones; the mapping's own keys over both.
  list: { limit: 5, extra: 'other', summary: 'merged', nested: { a: 1 } },
  deep: { inner: { limit: 7, summary: 'merged', nested: { a: 1 } } },
};

test('the parse the rules read: a key written before `<<` keeps its value (Spectral`s parser let the merge replace it)', () => {
  assert.equal((parseWithPointers(TEXT, YAML_OPTIONS).data as any).late.limit, 1000, 'the library alone reads the merged value');
  assert.deepEqual(parseYamlFull(TEXT).data, EXPECTED);
  assert.deepEqual(JSON.parse(JSON.stringify(parseDocument(TEXT, 'x.yaml').data)), EXPECTED);
  assert.deepEqual(parseYamlFull('a: &a {x: 1}\nb: {<<: *a, x: 2}\n').data, { a: { x: 1 }, b: { x: 2 } });
  // A document that writes the mark (`<~`) itself keeps its key: read as the parser reads it.
  assert.deepEqual(parseYamlFull('a: &a {x: 1}\nb: {x: 2, <<: *a}\nc: {<~: mine}\n').data, { a: { x: 1 }, b: { x: 1 }, c: { '<~': 'mine' } });
});

const SPEC = [
  'openapi: 3.0.3',
  "info: {title: t, version: '1'}",
  "servers: [{url: 'https://api.example.com'}]",
  'x-defaults: &defaults',
  '  x-gateway-rate-limit: {requests: 1000, window: 1m}',
  'x-std: &std',
  "  '429': {description: limited, headers: {Retry-After: {schema: {type: integer}}}}",
  'paths:',
  '  /login:',
  '    post:',
  '      x-gateway-rate-limit: {requests: 5, window: 1m}',
  '      <<: *defaults',
  '      responses:',
  "        '200': {description: ok}",
  "        '429': {description: overridden}",
  '        <<: *std',
  '',
].join('\n');

test('a limit written on the operation before `<<: *defaults` is the one exported and linted, on both engines', () =>
  inTempDir('headroom-merge-keys-', async (dir) => {
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, SPEC);
    const kong = await exportPolicy(spec, { target: 'kong' });
    assert.ok(kong.ok, JSON.stringify(kong.findings));
    assert.match(kong.text!, /- name: rate-limiting\n\s+config:\n\s+minute: 5\n/);
    const only = loadRuleset(undefined);
    for (const lean of [true, false]) {
      const findings = (await new Engine({ lean }).lint(spec, only)).findings.filter((f) => f.rule === 'ratelimit-retry-after');
      // The 429 the operation writes has no Retry-After; the merged one, which it replaces, had.
      assert.deepEqual(findings.map((f) => [f.path.join('.'), lean ? rangeText(f) : 'any']), [['paths./login.post.responses.429', lean ? '14:8-14:13' : 'any']], `lean: ${lean}`);
    }
  }));
