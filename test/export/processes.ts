/** Processes the live export tests run: upstream servers, gateways, and requests to them. */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createConnection, createServer, type AddressInfo } from 'node:net';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection; `chunked` sends the body without Content-Length. */
export function request(port: number, method: string, path: string, options: { headers?: Record<string, string>; body?: Buffer; chunked?: boolean } = {}): Promise<Reply> {
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
export class Upstreams {
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
          // ?set-cookie=V and ?cache-control=V: an answer made for one caller.
          const query = new URL(req.url ?? '/', 'http://upstream').searchParams;
          if (query.has('set-cookie')) res.setHeader('set-cookie', `sid=${query.get('set-cookie')}`);
          // Each ?cache-control=V is one header line (two when given twice).
          if (query.has('cache-control')) res.setHeader('cache-control', query.getAll('cache-control'));
          res.end(JSON.stringify({ upstream: i, seen: this.seen[i], method: req.method, url: req.url, bytes, cookie: req.headers.cookie ?? null }));
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

export async function freePort(): Promise<number> {
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A started gateway process, stopped (and waited for) by `stop`, also when a test failed. */
export class Gateway {
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
