/**
 * The exported NGINX and HAProxy configurations running for real: each gateway is started on a
 * free loopback port in front of two Node upstream servers, exactly as written by
 * `headroom export` (only the spec's upstream ports are changed to the ones the test got), and
 * bounded bursts of requests show what it enforces: 429 with Retry-After over the limit, a cache
 * HIT on the second GET while POST passes, 401 without the API key and 200 with it, 413 for an
 * oversized body, requests spread over both upstreams, plain paths winning over templated ones, paths
 * matched case-sensitively.
 *
 * Skips (with the reason printed) when a gateway binary is absent; CI installs both (.ci/run).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportPolicy, type TargetName } from '../../src/export/index';
import { gatewayDir, HAPROXY, NGINX } from './helpers';
import { freePort, Gateway, request, Upstreams, type Reply } from './processes';

const SPEC = join(__dirname, '..', 'fixtures', 'export', 'live', 'spec.yaml');
const API_KEY = 'live-test-key';

async function exportFor(target: TargetName, dir: string, ports: number[], listen: number): Promise<string> {
  // The fixture's upstream ports (18081, 18082) become the ones the test's upstreams listen on.
  const spec = readFileSync(SPEC, 'utf8').replace('127.0.0.1:18081', `127.0.0.1:${ports[0]}`).replace('127.0.0.1:18082', `127.0.0.1:${ports[1]}`);
  const specFile = join(dir, 'spec.yaml');
  writeFileSync(specFile, spec);
  const result = await exportPolicy(specFile, { target, listen: `127.0.0.1:${listen}` });
  assert.ok(result.ok && result.text, JSON.stringify(result.findings));
  return result.text;
}

/** What every gateway must show; `port` is where it listens. */
/**
 * A GET, then the same GET again: the second is what the cache answers. The gateway stores an
 * entry as the response ends, which a loaded machine may finish after the client has the last
 * byte: while the second is a MISS (that response stored instead), asked again (bounded).
 */
async function storedThenAgain(port: number, path: string): Promise<{ stored: Reply; again: Reply }> {
  let stored = await request(port, 'GET', path);
  let again = await request(port, 'GET', path);
  for (let i = 0; i < 50 && again.headers['x-cache-status'] === 'MISS'; i++) {
    stored = again;
    await new Promise((r) => setTimeout(r, 20));
    again = await request(port, 'GET', path);
  }
  return { stored, again };
}

function behaviour(name: string, port: () => number, upstreams: Upstreams): void {
  test(`${name}: requests over the limit get 429 with Retry-After and RateLimit-Policy`, async () => {
    const statuses: number[] = [];
    const refused: Reply[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await request(port(), 'GET', '/api/limited');
      statuses.push(r.status);
      if (r.status === 429) refused.push(r);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429], 'the spec allows 3 per minute');
    for (const r of refused) {
      assert.match(String(r.headers['retry-after']), /^[1-9]\d*$/);
      assert.equal(r.headers['ratelimit-policy'], '"limited";q=3;w=60');
    }
    const ok = await request(port(), 'GET', '/api/spread');
    assert.equal(ok.headers['retry-after'], undefined, 'Retry-After only on 429');
  });

  test(`${name}: a client that keeps retrying faster than its quota still gets its quota each window: refusals use up none of it`, async () => {
    // 2 per 2 s, a request every 250 ms for 4.5 s: counting refused requests too kept it at 2 in all.
    let passed = 0;
    for (let i = 0; i < 18; i++) {
      if ((await request(port(), 'GET', '/api/retry')).status === 200) passed++;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(passed >= 4, `${passed} of 18 passed`);
  });

  test(`${name}: a header-keyed limit counts per header value, beside a limit counted per client address`, async () => {
    const tenant = async (value: string) => (await request(port(), 'GET', '/api/tenant', { headers: { 'X-Tenant': value } })).status;
    assert.deepEqual([await tenant('a'), await tenant('a'), await tenant('a')], [200, 200, 429], '2 per minute for tenant a');
    assert.deepEqual([await tenant('b'), await tenant('b'), await tenant('b')], [200, 200, 429], 'tenant b has its own 2, from the same address');
  });

  test(`${name}: a second GET on a cached route is a HIT, a POST is not cached`, async () => {
    const { stored: first, again: second } = await storedThenAgain(port(), '/api/catalog');
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.headers['x-cache-status'], 'HIT');
    assert.equal(second.body, first.body, 'the same stored response');
    const before = upstreams.total();
    const post = await request(port(), 'POST', '/api/catalog', { body: Buffer.from('{}'), headers: { 'content-type': 'application/json' } });
    assert.equal(post.status, 200);
    assert.notEqual(post.headers['x-cache-status'], 'HIT');
    assert.equal(upstreams.total(), before + 1, 'the POST reached an upstream');
  });

  test(`${name}: no API key gets 401, a wrong one 401, the right one 200`, async () => {
    assert.equal((await request(port(), 'GET', '/api/secure')).status, 401);
    assert.equal((await request(port(), 'GET', '/api/secure', { headers: { 'x-api-key': 'wrong' } })).status, 401);
    assert.equal((await request(port(), 'GET', '/api/secure', { headers: { 'x-api-key': API_KEY } })).status, 200);
  });

  test(`${name}: a query API key named api.key is checked, by its name as written`, async () => {
    assert.equal((await request(port(), 'GET', '/api/by-query')).status, 401);
    assert.equal((await request(port(), 'GET', '/api/by-query?api.key=wrong')).status, 401);
    assert.equal((await request(port(), 'GET', `/api/by-query?API.KEY=${API_KEY}`)).status, 401, 'another name');
    assert.equal((await request(port(), 'GET', `/api/by-query?apixkey=${API_KEY}`)).status, 401, 'the . is no wildcard');
    assert.equal((await request(port(), 'GET', `/api/by-query?x=1&api.key=${API_KEY}`)).status, 200);
  });

  test(`${name}: an oversized body gets 413 (with or without Content-Length)`, async () => {
    assert.equal((await request(port(), 'POST', '/api/upload', { body: Buffer.alloc(2048, 120) })).status, 413);
    assert.equal((await request(port(), 'POST', '/api/upload', { body: Buffer.alloc(2048, 120), chunked: true })).status, 413);
    assert.equal((await request(port(), 'POST', '/api/upload', { body: Buffer.alloc(512, 120) })).status, 200);
  });

  test(`${name}: requests are spread over both upstream targets`, async () => {
    const hit = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const r = await request(port(), 'GET', '/api/spread');
      assert.equal(r.status, 200);
      hit.add(JSON.parse(r.body).upstream);
    }
    assert.deepEqual([...hit].sort(), [0, 1]);
  });

  test(`${name}: a plain path wins over a templated one; undocumented paths 404, methods 405`, async () => {
    assert.equal((await request(port(), 'GET', '/api/items/me')).status, 401, '/items/me (secured) is matched, not /items/{id}');
    const item = await request(port(), 'GET', '/api/items/42');
    assert.equal(item.status, 200);
    assert.equal(JSON.parse(item.body).url, '/api/items/42', 'the path is forwarded as called');
    assert.equal((await request(port(), 'GET', '/api/files/report.json')).status, 200);
    assert.equal((await request(port(), 'GET', '/api/files/reportxjson')).status, 404, 'the "." in /files/{name}.json is literal');
    assert.equal((await request(port(), 'GET', '/api/nowhere')).status, 404);
    assert.equal((await request(port(), 'GET', '/api/ITEMS/ME')).status, 404, 'paths are case-sensitive: /ITEMS/ME is not /items/me');
    assert.equal((await request(port(), 'GET', '/api/Items/42')).status, 404, 'nor is /Items/42 /items/{id}');
    // A 405 says which methods the path has (RFC 9110 §15.5.6).
    const notAllowed = await request(port(), 'DELETE', '/api/spread');
    assert.deepEqual([notAllowed.status, notAllowed.headers.allow], [405, 'GET']);
    const catalog = await request(port(), 'PUT', '/api/catalog');
    assert.deepEqual([catalog.status, catalog.headers.allow], [405, 'GET, POST']);
  });

  test(`${name}: a path routed one way and forwarded another (encoded control character, dot, slash; dot or empty segment; a backslash) gets 400`, async () => {
    // Each would be routed on its decoded, normalised form and reach the upstream as sent: an open
    // operation's policy for what the upstream serves as another path.
    for (const path of ['/api/items/me%0A', '/api/items/me%00x', '/api/items%2Fme', '/api/items%2fme', '/api/items/%2e%2e/items/me', '/api/x/../items/me', '/api/items/./me', '/api/items/..', '//api/items/42', '/api/items/42%5C..%5Cme', '/api/items/42\\..\\me', '/api/items/me;jsessionid=1']) {
      const r = await request(port(), 'GET', path);
      assert.equal(r.status, 400, `${path}: ${r.status} ${r.body}`);
    }
    assert.equal((await request(port(), 'GET', '/api/items/42?next=../x//y%2F')).status, 200, 'the query string is not the path');
  });

  test(`${name}: a path the spec writes with a space or a non-ASCII letter is matched as the client encodes it`, async () => {
    const guide = await request(port(), 'GET', '/api/user%20guide');
    assert.equal(guide.status, 200, guide.body);
    assert.equal(JSON.parse(guide.body).url, '/api/user%20guide', 'forwarded as called');
    assert.equal((await request(port(), 'GET', '/api/caf%C3%A9/7')).status, 200);
    assert.equal((await request(port(), 'GET', '/api/caf%C3%A9')).status, 404);
    assert.equal((await request(port(), 'GET', '/api/user%2Bguide')).status, 404);
  });

  test(`${name}: OpenAPI 3.2 methods are routed: QUERY (with its own limit) and PURGE reach the upstream, GET is 405`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await request(port(), 'QUERY', '/api/search', { headers: { 'content-type': 'application/json' }, body: Buffer.from('{"q":"x"}') });
      statuses.push(r.status);
      if (r.status === 200) assert.equal(JSON.parse(r.body).method, 'QUERY');
    }
    assert.deepEqual(statuses, [200, 200, 429], 'the QUERY operation allows 2 per minute');
    const purge = await request(port(), 'PURGE', '/api/search');
    assert.equal(purge.status, 200);
    assert.equal(JSON.parse(purge.body).method, 'PURGE');
    assert.equal((await request(port(), 'GET', '/api/search')).status, 405);
  });

  test(`${name}: a response that sets a cookie or says private / no-store / no-cache is never served from the cache`, async () => {
    const queries = ['set-cookie=alice', 'cache-control=private', 'cache-control=no-store', 'cache-control=no-cache', 'cache-control=public%2C%20no-cache%3D%22set-cookie%22'];
    // Two Cache-Control lines, the second private: NGINX 1.22 (Debian 12's) reads only the first
    // line, and its config says so; HAProxy reads them all.
    if (name === 'haproxy') queries.push('cache-control=max-age%3D60&cache-control=private');
    for (const query of queries) {
      const alice = await request(port(), 'GET', `/api/home?${query}`, { headers: { cookie: 'sid=alice' } });
      assert.equal(alice.status, 200);
      const bob = await request(port(), 'GET', `/api/home?${query}`);
      assert.notEqual(bob.headers['x-cache-status'], 'HIT', `${query}: alice's response served to bob`);
      assert.equal(JSON.parse(bob.body).cookie, null, `${query}: bob got alice's answer`);
    }
    // The open route is cached otherwise.
    assert.equal((await storedThenAgain(port(), '/api/home?plain=1')).again.headers['x-cache-status'], 'HIT');
    // A request with credentials in Authorization is one caller's (RFC 9111 §3.5): neither answered
    // from the cache nor stored for the next caller.
    const authorized = await request(port(), 'GET', '/api/home?auth=1', { headers: { authorization: 'Bearer alice-token' } });
    assert.equal(authorized.status, 200);
    const anonymous = await request(port(), 'GET', '/api/home?auth=1');
    assert.notEqual(anonymous.headers['x-cache-status'], 'HIT', "alice's authorized response served to an anonymous caller");
    assert.notEqual((await request(port(), 'GET', '/api/home?plain=1', { headers: { authorization: 'Bearer bob' } })).headers['x-cache-status'], 'HIT', 'a cached response served to an authorized request');
  });

  test(`${name}: the cache is keyed by the path as sent: an encoded spelling stores nothing under the plain one`, async () => {
    // The upstream gets the path as sent: its answer for /api/%68ome is not the answer for /api/home.
    const encoded = await storedThenAgain(port(), '/api/%68ome?spelling=1');
    assert.equal(JSON.parse(encoded.again.body).url, '/api/%68ome?spelling=1');
    const plain = await request(port(), 'GET', '/api/home?spelling=1');
    assert.notEqual(plain.headers['x-cache-status'], 'HIT', 'the encoded spelling\'s answer was served for the plain path');
    assert.equal(JSON.parse(plain.body).url, '/api/home?spelling=1');
  });

  test(`${name}: a consumer limit counts the checked API key, not a second value or a token any caller can make up`, async () => {
    const status = async (headers: Record<string, string>) => (await request(port(), 'GET', '/api/per-key', { headers })).status;
    // A listed key with a second value (one header line, or two) is no checked key.
    assert.equal(await status({ 'x-api-key': `${API_KEY}, junk` }), 401);
    // Bearer tokens are checked for presence only: new tokens from one address share its budget.
    assert.deepEqual([await status({ authorization: 'Bearer t1' }), await status({ authorization: 'Bearer t2' }), await status({ authorization: 'bearer t3' })], [200, 200, 429]);
    // With a token passing the check, a junk API key beside it is no new budget either.
    assert.equal(await status({ authorization: 'Bearer t4', 'x-api-key': 'junk1' }), 429);
    // A query key with a junk value before it: each junk value would be a new budget.
    const query = async (q: string) => (await request(port(), 'GET', `/api/by-query-limited?${q}`)).status;
    const twice = [await query(`api.key=junk1&api.key=${API_KEY}`), await query(`api.key=junk2;api.key=${API_KEY}`)];
    assert.ok(twice.every((s) => s === 401 || s === 429), `a key sent twice is no new budget: ${twice}`);
    assert.deepEqual([await query(`api.key=${API_KEY}`), await query(`api.key=${API_KEY}`), await query(`api.key=${API_KEY}`)].slice(-1), [429]);
    // The same with a cookie: the key, then a junk value of the same cookie.
    const cookie = async (value: string) => (await request(port(), 'GET', '/api/by-cookie-limited', { headers: { cookie: value } })).status;
    const cookies = [await cookie(`sid=${API_KEY}; sid=junk1`), await cookie(`sid=${API_KEY}; sid=junk2`), await cookie(`sid=${API_KEY}; sid=junk3`)];
    assert.ok(cookies.slice(-1).every((s) => s === 401 || s === 429), `a cookie key sent twice is no new budget: ${cookies}`);
    // A bearer-only route: any made-up token, or one token spelled otherwise, is no new budget.
    const token = async (value: string) => (await request(port(), 'GET', '/api/per-token', { headers: { authorization: value } })).status;
    assert.deepEqual([await token('Bearer same'), await token('Bearer same'), await token('bearer same'), await token('Bearer other')], [200, 200, 429, 429]);
    // The listed key has its own 2.
    assert.deepEqual([await status({ 'x-api-key': API_KEY }), await status({ 'x-api-key': API_KEY }), await status({ 'x-api-key': API_KEY })], [200, 200, 429]);
  });

  test(`${name}: the gateway's own 401 and 429 grant an allowed origin, so a browser can read Retry-After`, async () => {
    const origin = { origin: 'https://app.example.com' };
    const refused = await request(port(), 'GET', '/api/cors-limited', { headers: origin });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['access-control-allow-origin'], 'https://app.example.com');
    const ok = await request(port(), 'GET', '/api/cors-limited', { headers: { ...origin, 'x-api-key': API_KEY } });
    assert.equal(ok.status, 200);
    const limited = await request(port(), 'GET', '/api/cors-limited', { headers: { ...origin, 'x-api-key': API_KEY } });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(limited.headers['access-control-expose-headers'], 'Retry-After, RateLimit-Policy');
    assert.match(String(limited.headers.vary), /Origin/);
    const other = await request(port(), 'GET', '/api/cors-limited', { headers: { origin: 'https://evil.example', 'x-api-key': API_KEY } });
    assert.equal(other.status, 429);
    assert.equal(other.headers['access-control-allow-origin'], undefined, 'another origin is granted nothing');
  });

  test(`${name}: a CORS preflight is answered by the gateway: granted to an allowed origin, to no other`, async () => {
    const r = await request(port(), 'OPTIONS', '/api/catalog', {
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers['access-control-allow-origin'], 'https://app.example.com');
    const other = await request(port(), 'OPTIONS', '/api/catalog', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(other.status, 204, 'another origin`s preflight is answered, as on every gateway');
    assert.equal(other.headers['access-control-allow-origin'], undefined, 'granting nothing');
    assert.equal(other.headers['access-control-allow-credentials'], undefined);
    const plain = await request(port(), 'GET', '/api/spread', { headers: { origin: 'https://app.example.com' } });
    assert.equal(plain.headers['access-control-allow-origin'], undefined, 'no CORS on routes without x-gateway-cors');
  });
}

/** How to run one gateway on an exported file: where the config goes and how the API key is given. */
interface GatewaySetup {
  target: TargetName;
  binary: string | undefined;
  file: string;
  /** Writes what the gateway needs besides its config (API keys); returns its command line and environment. */
  prepare(dir: string): { args: string[]; env: NodeJS.ProcessEnv };
}

function liveSuite(name: string, setup: GatewaySetup): void {
  describe(`live ${name} in front of two upstreams`, { skip: !setup.binary && `${setup.target} is not installed (CI installs it: .ci/run)` }, () => {
    const upstreams = new Upstreams();
    const gateway = new Gateway();
    let dir = '';
    let port = 0;
    before(async () => {
      const ports = await upstreams.start();
      port = await freePort();
      dir = gatewayDir(`headroom-live-${setup.target}-`);
      writeFileSync(join(dir, setup.file), await exportFor(setup.target, dir, ports, port));
      const { args, env } = setup.prepare(dir);
      await gateway.start(setup.binary!, args, dir, env, port);
    });
    after(async () => {
      await gateway.stop();
      await upstreams.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    behaviour(setup.target, () => port, upstreams);
  });
}

liveSuite('NGINX', {
  target: 'nginx',
  binary: NGINX,
  file: 'nginx.conf',
  prepare(dir) {
    mkdirSync(join(dir, 'api-keys'));
    writeFileSync(join(dir, 'api-keys', 'ApiKeyAuth.map'), `"${API_KEY}" live-tester;\n`);
    writeFileSync(join(dir, 'api-keys', 'QueryKey.map'), `"${API_KEY}" live-tester;\n`);
    writeFileSync(join(dir, 'api-keys', 'CookieKey.map'), `"${API_KEY}" live-tester;\n`);
    return { args: ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], env: {} };
  },
});

liveSuite('HAProxy', {
  target: 'haproxy',
  binary: HAPROXY,
  file: 'haproxy.cfg',
  prepare: () => ({ args: ['-f', 'haproxy.cfg'], env: { HEADROOM_API_KEYS_APIKEYAUTH: API_KEY, HEADROOM_API_KEYS_QUERYKEY: API_KEY, HEADROOM_API_KEYS_COOKIEKEY: API_KEY } }),
});
