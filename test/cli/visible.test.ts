/** Text from the spec reaches terminals and CI logs: control characters are shown, never sent. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGithub } from '../../src/cli/formatters/github';
import { formatMarkdown } from '../../src/cli/formatters/markdown';
import { formatStylish } from '../../src/cli/formatters/stylish';
import { oneLine, visible } from '../../src/cli/formatters/visible';
import type { Finding } from '../../src/shared/types';

test('control characters become escapes; tabs, line breaks and other text stay', () => {
  assert.equal(visible('a\u001b[2Jb\u0000c\u0008d\u009be\tf\ng é ✓'), 'a\\u001b[2Jb\\u0000c\\u0008d\\u009be\tf\ng é ✓');
});

test('oneLine: line breaks become escapes too', () => {
  assert.equal(oneLine('a\u001b\tb\r\nc\u2028d\u2029'), 'a\\u001b\tb\\r\\nc\\u2028d\\u2029');
});

test('a path key holding a line break cannot start a line of the stylish output (a CI log reads "::error" lines as commands)', () => {
  const key = '/a\n::error file=evil.yaml,line=1::injected\r\n';
  const f: Finding = { file: '/w/spec.yaml', rule: 'ratelimit-429-response', severity: 'warn', message: `GET ${key} documents no 429 (Too Many Requests) response.`, path: ['paths', key, 'get', 'responses'], range: { start: { line: 3, character: 4 }, end: { line: 3, character: 7 } } };
  const out = formatStylish([f], '/w', false);
  assert.equal(out.split('\n').length, 3, out);
  assert.doesNotMatch(out, /^::/m);
});

test('a path key holding a terminal escape is shown, not sent, by stylish, github and markdown', () => {
  const key = '/pets\u001b[2J\u001b]0;pwned\u0007';
  const f: Finding = { file: '/w/spec.yaml', rule: 'ratelimit-429-response', severity: 'warn', message: `GET ${key} documents no 429 (Too Many Requests) response.`, path: ['paths', key, 'get', 'responses'], range: { start: { line: 3, character: 4 }, end: { line: 3, character: 7 } } };
  const shown = '/pets\\u001b[2J\\u001b]0;pwned\\u0007';
  const outputs = [formatStylish([f], '/w', false), formatGithub([f], '/w'), formatMarkdown([f], { cwd: '/w', maxLines: 50 })];
  // Markdown renders backslash escapes: what it shows is `shown`.
  const markdown = shown.replace(/[\\[\]]/g, '\\$&');
  for (const [i, out] of outputs.entries()) {
    assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, out);
    assert.ok(out.includes(i === 2 ? markdown : shown), out);
  }
  assert.equal(outputs[0], `spec.yaml\n  4:5      warning  ratelimit-429-response       GET ${shown} documents no 429 (Too Many Requests) response.  paths.${shown}.get.responses\n`);
});
