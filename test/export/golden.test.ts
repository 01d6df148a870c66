/**
 * Golden cases, one behaviour each: test/fixtures/export/NN-what-it-covers/spec.yaml → kong.yaml,
 * nginx.conf, haproxy.cfg, envoy-gateway.yaml (byte for byte) and findings.txt (what the export reported; an error
 * case has no outputs; `findings.<target>.txt` when a target reports something else than Kong).
 * `options.json` gives per-target export options (e.g. HAProxy peers). Every golden output is also
 * checked by the gateway itself: decK's schema and Headroom's Kong plugin schemas, `nginx -t`,
 * `haproxy -c`, and every Kubernetes document against its CRD schema (Gateway API v1.6.1, Envoy
 * Gateway v1.9.0; test/fixtures/export/crds).
 *
 * HEADROOM_UPDATE_GOLDEN=1 rewrites the expected files from the current output.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { exportPolicy, type ExportOptions, type TargetName } from '../../src/export/index';
import { KONG_PLUGIN_SCHEMAS } from '../../src/export/kongSchemas';
import type { Finding } from '../../src/shared/types';
import { DECK_SCHEMA, envoyGatewayProblems, HAPROXY, haproxyCheck, kongPluginNames, kongProblems, NGINX, nginxTest } from './helpers';

const FIXTURES = join(__dirname, '..', 'fixtures', 'export');
const UPDATE = process.env.HEADROOM_UPDATE_GOLDEN === '1';
const OUTPUTS: [TargetName, string][] = [
  ['kong', 'kong.yaml'],
  ['nginx', 'nginx.conf'],
  ['haproxy', 'haproxy.cfg'],
  ['envoy-gateway', 'envoy-gateway.yaml'],
];
const cases = readdirSync(FIXTURES).filter((d) => /^\d\d-/.test(d)).sort();

function findingsText(findings: Finding[], dir: string): string {
  return findings
    .map((f) => `${relative(dir, f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${f.message}\n`)
    .join('');
}

function expectFile(file: string, actual: string | undefined): void {
  if (UPDATE) {
    if (actual === undefined) rmSync(file, { force: true });
    else writeFileSync(file, actual);
    return;
  }
  if (actual === undefined) {
    assert.ok(!existsSync(file), `${relative(FIXTURES, file)} should not exist: nothing is written for this case`);
    return;
  }
  assert.ok(existsSync(file), `missing ${relative(FIXTURES, file)} (run with HEADROOM_UPDATE_GOLDEN=1 to create it)`);
  assert.equal(actual, readFileSync(file, 'utf8'), relative(FIXTURES, file));
}

if (!existsSync(DECK_SCHEMA)) console.log(`# decK schema not found at ${DECK_SCHEMA}: Kong outputs are checked against Headroom's plugin schemas only`);
if (!NGINX) console.log('# nginx is not installed: skipping `nginx -t` of the golden outputs (CI installs it)');
if (!HAPROXY) console.log('# haproxy is not installed: skipping `haproxy -c` of the golden outputs (CI installs it)');

for (const name of cases) {
  describe(`export golden ${name}`, () => {
    const dir = join(FIXTURES, name);
    const spec = join(dir, 'spec.yaml');
    const optionsFile = join(dir, 'options.json');
    const options: Partial<Record<TargetName, Partial<ExportOptions>>> = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {};
    let kongFindings = '';
    for (const [target, file] of OUTPUTS) {
      test(`${target} → ${file}`, async () => {
        const result = await exportPolicy(spec, { ...options[target], target });
        expectFile(join(dir, file), result.text);
        const text = findingsText(result.findings, dir);
        if (target === 'kong') {
          kongFindings = text;
          expectFile(join(dir, 'findings.txt'), text === '' ? undefined : text);
        } else {
          expectFile(join(dir, `findings.${target}.txt`), text === kongFindings ? undefined : text);
        }
        if (result.text === undefined) return;
        const again = await exportPolicy(spec, { ...options[target], target });
        assert.equal(again.text, result.text, 'same spec, same bytes');
        if (target === 'envoy-gateway') assert.deepEqual(envoyGatewayProblems(result.text), []);
        if (target === 'kong') {
          assert.deepEqual(kongProblems(result.text), []);
          if (!name.includes('passthrough')) {
            for (const p of kongPluginNames(result.text)) assert.ok(p in KONG_PLUGIN_SCHEMAS, `Headroom writes ${p} without a schema for it`);
          }
        }
      });
    }
    // An error case writes nothing (for every target, or for one that cannot express the spec).
    if (existsSync(join(dir, 'nginx.conf'))) {
      test('nginx -t accepts nginx.conf', { skip: !NGINX && 'nginx not installed' }, () => {
        const r = nginxTest(readFileSync(join(dir, 'nginx.conf'), 'utf8'));
        assert.ok(r.ok, r.output);
      });
    }
    if (existsSync(join(dir, 'haproxy.cfg'))) {
      test('haproxy -c accepts haproxy.cfg', { skip: !HAPROXY && 'haproxy not installed' }, () => {
        const r = haproxyCheck(readFileSync(join(dir, 'haproxy.cfg'), 'utf8'));
        assert.ok(r.ok, r.output);
      });
    }
  });
}
