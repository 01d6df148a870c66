/** rules/functions/lib/ratelimitFields.ts: RateLimit / RateLimit-Policy values read against draft-ietf-httpapi-ratelimit-headers-12. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readField, type FieldName } from '../rules/functions/lib/ratelimitFields';

const summary = (field: FieldName, text: string, names: string[] = []) => {
  const r = readField(field, text, names);
  if (r.kind === 'invalid') return { invalid: r.problem };
  if (r.kind === 'older') return { older: r.rewrite };
  return { names: r.items.map((i) => i.name), problems: r.problems };
};

test('current syntax: named policies with valid parameters have no problem', () => {
  assert.deepEqual(summary('RateLimit-Policy', '"default";q=100;w=60, "bytes";q=65535;qu="content-bytes";w=10;pk=:cHJvamVjdA==:'), { names: ['default', 'bytes'], problems: [] });
  assert.deepEqual(summary('RateLimit', '"default";r=0;t=30, "bytes";r=10;pk=:cHJvamVjdA==:;acme-note="x"'), { names: ['default', 'bytes'], problems: [] });
});

test('parameters that break the draft: one problem each', () => {
  assert.deepEqual(summary('RateLimit-Policy', '"p";w=0;qu=requests;pk="k"').problems, [
    'policy "p" has no q parameter (its quota), which the draft requires',
    'policy "p": qu must be one of "requests", "content-bytes", "concurrent-requests" in double quotes ("requests")',
    'policy "p": w must be a number of seconds greater than 0 (found the integer 0)',
    'policy "p": pk must be a Byte Sequence such as :cHJvamVjdA==: (found the string "k")',
  ]);
  assert.deepEqual(summary('RateLimit-Policy', '"p";q=1.5').problems, ['policy "p": q must be an integer of 0 or more (found the decimal 1.5)']);
  assert.deepEqual(summary('RateLimit', '"p";t=-1').problems, [
    '"p" has no r parameter (the quota left), which the draft requires',
    '"p": t must be a number of seconds, 0 or more (found the integer -1)',
  ]);
  assert.deepEqual(summary('RateLimit-Policy', '"a";q=1, "a";q=2').problems, ['names the policy "a" twice']);
});

test('older syntaxes are rewritten into the current one', () => {
  assert.deepEqual(summary('RateLimit-Policy', '100;w=60'), { older: '"default";q=100;w=60' });
  assert.deepEqual(summary('RateLimit-Policy', '100;w=60, 1000;w=3600, 5000;w=86400;comment="daily"'), {
    older: '"default";q=100;w=60, "per-hour";q=1000;w=3600, "per-day";q=5000;w=86400;comment="daily"',
  });
  assert.deepEqual(summary('RateLimit-Policy', 'default;q=100;w=60'), { older: '"default";q=100;w=60' });
  assert.deepEqual(summary('RateLimit', 'limit=100, remaining=50, reset=5'), { older: '"default";r=50;t=5' });
  assert.deepEqual(summary('RateLimit', 'limit=100, remaining=50, reset=5', ['hourly']), { older: '"hourly";r=50;t=5' });
  assert.deepEqual(summary('RateLimit', 'default;r=1'), { older: '"default";r=1' });
});

test('values that are not the field at all are one clear problem', () => {
  assert.deepEqual(summary('RateLimit', ''), { invalid: 'is empty: the field lists one or more service limits' });
  assert.deepEqual(summary('RateLimit', '50'), { invalid: 'has the integer 50 where a policy name (a String such as "default") belongs' });
  assert.deepEqual(summary('RateLimit-Policy', '("a" "b");q=1'), { invalid: 'has an inner list where a policy name belongs' });
  assert.deepEqual(summary('RateLimit', 'limit=100'), { invalid: 'is not a Structured Field List (RFC 9651): expected "," at character 6 (\'=\')' });
});
