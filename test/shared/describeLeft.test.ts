/**
 * What "Fix All in File" tells the user it left: suggestions for the light bulb apart from fixes
 * that could not be applied, each with its reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeLeft } from '../../src/shared/settings';

test('Fix All names what it left as suggestions apart from what it could not fix', () => {
  assert.equal(describeLeft([]), '');
  assert.equal(
    describeLeft([
      { rule: 'ratelimit-headers', reason: 'the spec does not say which rate-limit headers the API sends', count: 2, suggestion: true },
      { rule: 'auth-401-response', reason: 'the node is the YAML alias *common: an edit would belong in &common and change each *common', count: 1, suggestion: false },
      { rule: 'ratelimit-policy-declared', reason: 'its numbers would be a default', count: 1, suggestion: true },
    ]),
    '3 left as suggestions for the light bulb (ratelimit-headers 2: the spec does not say which rate-limit headers the API sends; ratelimit-policy-declared 1: its numbers would be a default); ' +
      '1 not fixed (auth-401-response 1: the node is the YAML alias *common: an edit would belong in &common and change each *common)',
  );
  assert.equal(describeLeft([{ rule: 'ratelimit-headers', reason: 'why', count: 1, suggestion: true }]), '1 left as suggestion for the light bulb (ratelimit-headers 1: why)');
});
