/** Which files the editor treats as OpenAPI roots. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeOpenApi } from '../../src/shared/sniff';

test('a YAML root key openapi/swagger anywhere at column 0 (sorted keys put it after components)', () => {
  assert.equal(looksLikeOpenApi('openapi: 3.1.0\ninfo: {}\n'), true);
  assert.equal(looksLikeOpenApi("swagger: '2.0'\n"), true);
  assert.equal(looksLikeOpenApi(`components:\n${'  x: y\n'.repeat(5000)}openapi: 3.0.1\n`), true);
  assert.equal(looksLikeOpenApi('# comment\n---\n"openapi": 3.0.0\n'), true);
});

test('nested keys and other YAML are not OpenAPI', () => {
  assert.equal(looksLikeOpenApi('name: x\nspec:\n  openapi: 3.0.0\n'), false);
  assert.equal(looksLikeOpenApi('apiVersion: v1\nkind: Service\n'), false);
});

test('JSON: a string-valued openapi/swagger key anywhere; a BOM is fine', () => {
  assert.equal(looksLikeOpenApi('{\n  "components": {},\n  "openapi": "3.0.0"\n}'), true);
  assert.equal(looksLikeOpenApi('\uFEFF{"swagger": "2.0"}'), true);
  assert.equal(looksLikeOpenApi('{"name": "openapi"}'), false);
});
