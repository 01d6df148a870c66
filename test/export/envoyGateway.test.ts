/**
 * The Envoy Gateway target beyond its golden files: the CRD check fails on what Kubernetes would
 * refuse, and the HTTPRoutes, ordered as Envoy Gateway orders them (Exact paths first, then
 * regular expressions, longest first), send each request to the operation the spec means.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { exportPolicy } from '../../src/export/index';
import { envoyGatewayProblems } from './helpers';

const FIXTURES = join(__dirname, '..', 'fixtures', 'export');

test('the CRD check fails on a wrong enum, a missing required field, a bad name and a dangling reference', () => {
  const text = readFileSync(join(FIXTURES, '25-cluster-scope', 'envoy-gateway.yaml'), 'utf8');
  assert.deepEqual(envoyGatewayProblems(text), []);
  const broken = text
    .replace('unit: Minute', 'unit: Minutes')
    .replace('type: RoundRobin', 'type: Roundrobin')
    .replace('      kind: HTTPRoute\n      name: cluster-scope-health', '      kind: HTTPRoute\n      name: nowhere')
    .replace('name: cluster-scope-getreport\n', 'name: Cluster_Scope\n')
    .replace('method: POST', 'method: FETCH')
    .replace(/requests: 1000\n/, '');
  const problems = envoyGatewayProblems(broken);
  const expected = [
    /BackendTrafficPolicy .*\/spec\/loadBalancer\/type must be equal to one of the allowed values/,
    /BackendTrafficPolicy .*\/spec\/rateLimit\/global\/rules\/0\/limit\/unit must be equal to one of the allowed values/,
    /HTTPRoute cluster-scope-createorder.*\/spec\/rules\/0\/matches\/0\/method must be equal to one of the allowed values/,
    /BackendTrafficPolicy .*\/spec\/rateLimit\/global\/rules\/\d\/limit must have required property 'requests'/,
    /HTTPRoute Cluster_Scope.*name is not a DNS-1123 label/,
    /targetRef HTTPRoute nowhere is not in the file/,
  ];
  for (const re of expected) assert.ok(problems.some((p) => re.test(p)), `${re} in:\n${problems.join('\n')}`);
});

/** The route Envoy Gateway picks for a request: Exact matches first, then regular expressions, longest first (its sort), first match wins. */
function pick(routes: { name: string; method: string; type: string; value: string }[], method: string, path: string): string | undefined {
  const sorted = [...routes].sort((a, b) => (a.type === b.type ? b.value.length - a.value.length : a.type === 'Exact' ? -1 : 1));
  return sorted.find((r) => r.method === method && (r.type === 'Exact' ? r.value === path : new RegExp(r.value).test(path)))?.name;
}

test('plain before templated, specific templates before general ones, as Envoy Gateway orders the matches', async () => {
  const result = await exportPolicy(join(FIXTURES, '13-templated-vs-plain-paths', 'spec.yaml'), { target: 'envoy-gateway' });
  assert.ok(result.ok && result.text);
  const routes = parseAllDocuments(result.text)
    .map((d) => d.toJS())
    .filter((d) => d.kind === 'HTTPRoute')
    .flatMap((d) => d.spec.rules.flatMap((r: any) => r.matches.map((m: any) => ({ name: d.metadata.name, method: m.method, type: m.path.type, value: m.path.value }))));
  const cases: [string, string | undefined][] = [
    ['/users/me', 'templated-and-plain-paths-getme'],
    ['/users/42', 'templated-and-plain-paths-getuser'],
    ['/users/42/posts', 'templated-and-plain-paths-getuserposts'],
    ['/users/42/likes', 'templated-and-plain-paths-getusersection'],
    ['/files/report.json', 'templated-and-plain-paths-getfilejson'],
    ['/files/reportxjson', undefined],
    ['/v1.0/status', 'templated-and-plain-paths-status'],
    ['/v1x0/status', undefined],
  ];
  assert.deepEqual(
    cases.map(([path]) => [path, pick(routes, 'GET', path)]),
    cases,
  );
});

test('--gateway names the Gateway the routes attach to; a malformed one is refused', async () => {
  const spec = join(FIXTURES, '01-one-server', 'spec.yaml');
  const result = await exportPolicy(spec, { target: 'envoy-gateway', gateway: 'infra/public' });
  assert.ok(result.text);
  assert.match(result.text, /^ {4}- name: public\n {6}namespace: infra$/m);
  assert.match(result.text, /--target envoy-gateway --gateway infra\/public`/);
  await assert.rejects(exportPolicy(spec, { target: 'envoy-gateway', gateway: 'Public Gateway' }), /invalid gateway "Public Gateway"/);
});

test('a path the spec writes with a space, a quote or a non-ASCII letter matches the request as the client encodes it (Envoy does not decode it)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-eg-paths-'));
  const spec = join(dir, 'spec.yaml');
  writeFileSync(
    spec,
    `openapi: 3.0.3
info: {title: Wire paths, version: '1'}
servers: [{url: 'http://127.0.0.1:8080'}]
paths:
  /user guide:
    get: {operationId: guide, responses: {'200': {description: ok}}}
  /café/{id}:
    get:
      operationId: cafe
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /say"hi":
    get: {operationId: quoted, responses: {'200': {description: ok}}}
  /plain:
    get: {operationId: plain, responses: {'200': {description: ok}}}
`,
  );
  const result = await exportPolicy(spec, { target: 'envoy-gateway' });
  assert.ok(result.ok && result.text);
  assert.deepEqual(envoyGatewayProblems(result.text), []);
  const routes = parseAllDocuments(result.text)
    .map((d) => d.toJS())
    .filter((d) => d.kind === 'HTTPRoute')
    .flatMap((d) => d.spec.rules.flatMap((r: any) => r.matches.map((m: any) => ({ name: d.metadata.name, method: m.method, type: m.path.type, value: m.path.value }))));
  assert.deepEqual(
    routes.map((r) => [r.name, r.type, r.value]).sort(),
    [
      ['wire-paths-cafe', 'RegularExpression', '^/caf(?:é|%[Cc]3%[Aa]9)/[^/]+$'],
      ['wire-paths-guide', 'RegularExpression', '^/user(?: |%20)guide$'],
      ['wire-paths-plain', 'Exact', '/plain'],
      ['wire-paths-quoted', 'RegularExpression', '^/say(?:"|%22)hi(?:"|%22)$'],
    ],
  );
  const cases: [string, string | undefined][] = [
    ['/user%20guide', 'wire-paths-guide'],
    ['/user%2Bguide', undefined],
    ['/caf%C3%A9/7', 'wire-paths-cafe'],
    ['/caf%c3%a9/7', 'wire-paths-cafe'],
    ['/café/7', 'wire-paths-cafe'],
    ['/caf%C3%A9', undefined],
    ['/say%22hi%22', 'wire-paths-quoted'],
    ['/plain', 'wire-paths-plain'],
  ];
  assert.deepEqual(
    cases.map(([path]) => [path, pick(routes, 'GET', path)]),
    cases,
  );
});
