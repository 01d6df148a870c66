/** Why an export stopped, worded by the kind of error (the CLI and the editor say the same). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stopReason } from '../../src/export/index';
import type { Finding, Severity } from '../../src/shared/types';

const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const f = (rule: string, severity: Severity = 'error'): Finding => ({ file: '/s.yaml', rule, severity, message: 'm', path: [], range: at });

test('each kind of error has its words; warnings do not count', () => {
  assert.equal(stopReason([f('parse'), f('parse')]), 'the spec has 2 syntax errors');
  assert.equal(stopReason([f('parse')]), 'the spec has 1 syntax error');
  assert.equal(stopReason([f('unrecognized-format')]), 'the file is not an OpenAPI document');
  assert.equal(stopReason([f('ref')]), 'the spec has 1 $ref or path item it cannot follow (outside the allowed root, remote, an alias bomb, or a path item leading nowhere)');
  assert.equal(stopReason([f('ratelimit-policy-valid'), f('gateway-annotation-valid'), f('kong-plugin-valid'), f('export', 'warn')]), 'the spec has 3 errors in its gateway annotations');
  assert.equal(stopReason([f('export'), f('export')]), 'the spec has 2 annotations this gateway cannot enforce');
  assert.equal(stopReason([f('export-too-long')]), 'the spec has 1 path or name too long for this gateway');
  assert.equal(stopReason([f('export-too-long'), f('export-too-long')]), 'the spec has 2 paths or names too long for this gateway');
  assert.equal(stopReason([f('gateway-annotation-valid'), f('export')]), 'the spec has 1 error in its gateway annotations and 1 annotation this gateway cannot enforce');
  assert.equal(stopReason([f('parse'), f('mystery')]), 'the spec has 1 syntax error and 1 other error');
  assert.equal(stopReason([f('export', 'warn')]), '');
});
