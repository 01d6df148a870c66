/**
 * The exported NGINX and HAProxy configurations running for real: each gateway is started on a
 * free loopback port in front of two Node upstream servers, exactly as written by
 * `headroom export` (only the spec's upstream ports are changed to the ones the test got), and
 * bounded bursts of requests show what it enforces: 429 with Retry-After over the limit, a cache
 * HIT on the second GET while POST passes, 401 without the API key and 200 with it, 413 for an
 * oversized body, requests spread over both upstreams, plain paths winning over templated ones.
 *
 * Skips (with the reason printed) when a gateway binary is absent; CI installs both (.ci/run).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportPolicy, type TargetName } from '../../src/export/index';
import { gatewayDir, HAPROXY, NGINX } from './helpers';

const SPEC = join(__dirname, '..', 'fixtures', 'export', 'live', 'spec.yaml');
const API_KEY = 'live-test-key';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection; `chunked` sends the body without Content-Length. */
function request(port: number, method: string, path: string, options: { headers?: Record<string, string>; body?: Buffer; chunked?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body && !options.chunked) headers['content-length'] = String(options.body.length);
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body && options.chunked) {
      // Two writes and no Content-Length: Node sends Transfer-Encoding: chunked.
      req.write(options.body.subarray(0, options.body.length / 2));
      req.write(options.body.subarray(options.body.length / 2));
    } else if (options.body) {
      req.write(options.body);
    }
    req.end();
  });
}

/** Two upstream servers; each answers JSON saying which one it is and how many requests it has seen. */
class Upstreams {
  readonly servers: http.Server[] = [];
  readonly seen: number[] = [0, 0];

  async start(): Promise<number[]> {
    for (let i = 0; i < 2; i++) {
      const server = http.createServer((req, res) => {
        this.seen[i]++;
        let bytes = 0;
        req.on('data', (d: Buffer) => (bytes += d.length));
        req.on('end', () => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ upstream: i, seen: this.seen[i], method: req.method, url: req.url, bytes }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.servers.push(server);
    }
    return this.servers.map((s) => (s.address() as AddressInfo).port);
  }

  total(): number {
    return this.seen[0] + this.seen[1];
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A started gateway process, stopped (and waited for) by `stop`, also when a test failed. */
class Gateway {
  private proc?: ChildProcess;
  private output = '';
  private exited = false;

  async start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, port: number): Promise<void> {
    this.proc = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d) => (this.output += d));
    this.proc.stderr!.on('data', (d) => (this.output += d));
    this.proc.on('exit', () => (this.exited = true));
    for (let attempt = 0; attempt < 200; attempt++) {
      if (this.exited) throw new Error(`${command} exited before listening:\n${this.output}`);
      if (await canConnect(port)) return;
      await sleep(50);
    }
    throw new Error(`${command} is not listening on ${port}:\n${this.output}`);
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || this.exited) return;
    const done = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const killed = await Promise.race([done.then(() => true), sleep(5000).then(() => false)]);
    if (!killed) {
      proc.kill('SIGKILL');
      await done;
    }
  }
}

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

  test(`${name}: a second GET on a cached route is a HIT, a POST is not cached`, async () => {
    const first = await request(port(), 'GET', '/api/catalog');
    const second = await request(port(), 'GET', '/api/catalog');
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
    assert.equal((await request(port(), 'DELETE', '/api/spread')).status, 405);
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

  test(`${name}: a CORS preflight from an allowed origin is answered by the gateway`, async () => {
    const r = await request(port(), 'OPTIONS', '/api/catalog', {
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers['access-control-allow-origin'], 'https://app.example.com');
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
    return { args: ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], env: {} };
  },
});

liveSuite('HAProxy', {
  target: 'haproxy',
  binary: HAPROXY,
  file: 'haproxy.cfg',
  prepare: () => ({ args: ['-f', 'haproxy.cfg'], env: { HEADROOM_API_KEYS_APIKEYAUTH: API_KEY } }),
});
