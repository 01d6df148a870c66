/** How reports name a finding's file: relative to the working folder, a fetched file by its URL. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shownPath } from '../../src/cli/formatters/shownPath';
import { formatStylish } from '../../src/cli/formatters/stylish';

test('a file is named relative to the working folder; a fetched one by its URL, not as a mangled path', () => {
  assert.equal(shownPath('/work/api/specs/pets.yaml', '/work/api'), 'specs/pets.yaml');
  assert.equal(shownPath('/work/api/specs/pets.yaml', '/elsewhere'), '../work/api/specs/pets.yaml');
  assert.equal(shownPath('http://127.0.0.1:18765/pets.yaml', '/work/api'), 'http://127.0.0.1:18765/pets.yaml');
  const finding = { file: 'https://example.com/shared/pets.yaml', rule: 'ref', severity: 'error' as const, message: 'm', path: [], range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
  assert.equal(formatStylish([finding], '/work/api', false).split('\n')[0], 'https://example.com/shared/pets.yaml');
});
