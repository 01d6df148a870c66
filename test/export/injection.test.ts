/**
 * Text from a spec never becomes configuration of its own: a line break in a path key, in a server
 * URL (`%0A`), in an API key's name or in an annotation's string would end the config line it is
 * written on and start a directive (a spec from elsewhere could then rewrite the gateway). Each
 * such text is refused with a warning or a lint error, and what is written passes `nginx -t` and
 * `haproxy -c`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportPolicy } from '../../src/export/index';
import { HAPROXY, haproxyCheck, NGINX, nginxTest } from './helpers';
import { inTempDir } from '../helpers/tempDir';

const INJECTED = 'error_log /tmp/headroom-injected.log;';

const spec = {
  openapi: '3.0.3',
  info: { title: `Injection\n${INJECTED}`, version: '1' },
  servers: [{ url: `http://127.0.0.1:18081/v1%0A${encodeURIComponent(INJECTED)}` }, { url: 'http://127.0.0.1:18082' }],
  components: {
    securitySchemes: {
      key: { type: 'apiKey', in: 'header', name: `X-Key\n${INJECTED}` },
      query: { type: 'apiKey', in: 'query', name: `key")\n${INJECTED}` },
      ok: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
    },
  },
  paths: {
    [`/a\n${INJECTED}\n`]: { get: { security: [], 'x-gateway-rate-limit': false, responses: { 200: { description: 'ok' } } } },
    '/c': { get: { security: [{ key: [] }, { query: [] }], 'x-gateway-rate-limit': false, responses: { 200: { description: 'ok' }, 401: { description: 'no' } } } },
    '/b': {
      get: {
        security: [{ ok: [] }],
        'x-gateway-rate-limit': { requests: 5, window: '1m', key: 'consumer' },
        responses: { 200: { description: 'ok' }, 401: { description: 'no' }, 429: { description: 'slow', headers: { 'Retry-After': { schema: { type: 'integer' } } } } },
      },
    },
  },
};

test('a line break in a path, a server URL or an API key name never starts a line of NGINX or HAProxy configuration', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-injection-'));
  try {
    const file = join(dir, 'spec.json');
    writeFileSync(file, JSON.stringify(spec, null, 1));
    for (const target of ['nginx', 'haproxy'] as const) {
      const result = await exportPolicy(file, { target });
      assert.equal(result.ok, true, target);
      const text = result.text ?? '';
      const injected = text.split('\n').filter((line) => line.startsWith('error_log /tmp/'));
      assert.deepEqual(injected, [], `${target}: lines the spec wrote`);
      assert.match(text, /x.api.key/i, `${target}: the plain API key is still checked`);
      const warnings = result.findings.map((f) => f.message);
      assert.ok(warnings.includes(`GET ${JSON.stringify(`/a\n${INJECTED}\n`)} is not exported: its path holds a control character (a line break, a tab…), which no request path can.`), target);
      assert.ok(warnings.some((w) => w.startsWith('Server URL "http://127.0.0.1:18081/v1%0A') && w.endsWith('has a path that decodes to a control character (a line break, a tab…); it is ignored.')), target);
      assert.ok(result.notes.some((n) => n.startsWith('Security scheme key (apiKey in header named "X-Key\\nerror_log')), target);
      const check = target === 'nginx' ? (NGINX ? nginxTest(text) : undefined) : HAPROXY ? haproxyCheck(text) : undefined;
      if (check === undefined) console.log(`# ${target} is not installed: its check of the config was skipped`);
      else assert.ok(check.ok, `${target} refuses the config:\n${check.output}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a ";" in a request path is refused (400) unless a path of the spec has one', () =>
  inTempDir('headroom-semicolon-', async (dir) => {
    for (const [path, refused] of [['/plain', true], ['/matrix;v=1', false]] as const) {
      const file = join(dir, 'spec.json');
      writeFileSync(file, JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, servers: [{ url: 'http://127.0.0.1:18081' }], paths: { [path]: { get: { responses: { 200: { description: 'ok' } } } } } }));
      for (const target of ['nginx', 'haproxy'] as const) {
        const result = await exportPolicy(file, { target });
        const guard = result.text!.split('\n').find((l) => l.includes('%([01][0-9A-Fa-f]'))!;
        assert.equal(guard.includes('//|;|'), refused, `${target} ${path}: ${guard}`);
      }
    }
  }));

test('a raw backslash in a request path is refused (400); when a path of the spec has one, only as a separator of dot segments', async () => {
  const { ambiguousPath } = await import('../../src/export/text');
  const refused = (specPath: string, requestPath: string) => new RegExp(`^[^?]*${ambiguousPath({ routes: [{ publicPath: specPath }] } as never)}`).test(requestPath);
  assert.deepEqual(['/files/x\\..\\admin', '/files/x\\y', '/files/x'].map((p) => refused('/files/{name}', p)), [true, true, false]);
  assert.deepEqual(['/files/x\\..\\admin', '/files/x\\..', '/files/..\\x', '/a\\b', '/a\\b.c'].map((p) => refused('/a\\b', p)), [true, true, true, false, false]);
});
