/**
 * Every real public spec in ../shared/specs, with a root `x-gateway-rate-limit` added, exports to
 * each target, and the result is accepted: decK's schema and Headroom's Kong plugin schemas,
 * `nginx -t` (named upstream hosts pointed at 127.0.0.1: there is no DNS in CI), `haproxy -c`.
 * Prints each export's size and time. Skips with a reason when ../shared or a gateway is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { exportPolicy, TARGETS } from '../../src/export/index';
import { HAPROXY, haproxyCheck, kongProblems, NGINX, nginxTest, SHARED } from './helpers';

const SPECS = join(SHARED, 'specs');
const manifest = join(SPECS, 'manifest.tsv');
const present = existsSync(manifest);
if (!present) console.log(`# ${SPECS} not found: skipping the export of real specs`);

/** The spec's text with a root rate limit, without re-serialising it (YAML: a last root key; JSON: a first one). */
function withRootRateLimit(file: string, text: string): string {
  if (file.endsWith('.json')) return text.replace(/^\s*\{/, '{"x-gateway-rate-limit":{"requests":100,"window":"1m"},');
  return `${text.replace(/\s*$/, '')}\nx-gateway-rate-limit: {requests: 100, window: 1m}\n`;
}

describe('export of the real specs in ../shared/specs', { skip: !present && '../shared/specs is absent' }, () => {
  const files = present
    ? readFileSync(manifest, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t')[0])
    : [];
  const dir = mkdtempSync(join(tmpdir(), 'headroom-real-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const file of files) {
    test(file, async (t) => {
      const copy = join(dir, file);
      writeFileSync(copy, withRootRateLimit(file, readFileSync(join(SPECS, file), 'utf8')));
      for (const target of TARGETS) {
        const started = performance.now();
        const result = await exportPolicy(copy, { target });
        const ms = Math.round(performance.now() - started);
        assert.ok(result.ok && result.text, `${target}: ${JSON.stringify(result.findings.filter((f) => f.severity === 'error'))}`);
        const routes = (result.text.match(target === 'kong' ? /^ {6}- name: /gm : target === 'nginx' ? /^ {8}"[A-Z]+ P\d+" /gm : /set-var\(txn\.route\)/g) ?? []).length;
        t.diagnostic(`${target}: ${result.text.length} bytes, ${routes} routes, ${ms} ms, ${result.notes.length} notes`);
        if (target === 'kong') assert.deepEqual(kongProblems(result.text), []);
        if (target === 'nginx' && NGINX) {
          const r = nginxTest(result.text, true);
          assert.ok(r.ok, r.output);
        }
        if (target === 'haproxy' && HAPROXY) {
          const r = haproxyCheck(result.text);
          assert.ok(r.ok, r.output);
        }
      }
    });
  }
});
