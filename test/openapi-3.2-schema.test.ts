/** The 3.2 schema the code imports (schema.json) is the OAI's schema.yaml, key for key. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

test('schemas/openapi-3.2/schema.json equals schema.yaml', () => {
  const dir = join(__dirname, '..', 'schemas', 'openapi-3.2');
  const fromYaml = parse(readFileSync(join(dir, 'schema.yaml'), 'utf8'));
  const json = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8'));
  assert.deepEqual(json, fromYaml);
  assert.equal(JSON.stringify(Object.keys(json.$defs)), JSON.stringify(Object.keys(fromYaml.$defs)));
});
