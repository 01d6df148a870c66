/** A remote `$ref` (with --allow-remote-refs) is read up to the size a file may have: an endless body stops there. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { inTempDir } from '../helpers/tempDir';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

test('an endless remote $ref body stops at the limit with a "too large" finding, not when memory runs out', () =>
  inTempDir('headroom-remote-size-', async (work) => {
    let sent = 0;
    const chunk = Buffer.alloc(1 << 20, 'x: 1\n');
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/yaml' });
      const more = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', more);
      };
      more();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/endless.yaml`;
      writeFileSync(join(work, 'spec.yaml'), `openapi: 3.0.3\ninfo: {title: r, version: '1'}\npaths:\n  /a:\n    $ref: '${url}#/a'\n`);
      const child = spawn(process.execPath, [cli, 'lint', 'spec.yaml', '--allow-remote-refs', '--format', 'json'], { cwd: work });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      assert.ok(code === 0 || code === 1, `exit ${code}`);
      const refs = (JSON.parse(out) as { rule: string; message: string }[]).filter((f) => f.rule === 'ref');
      assert.equal(refs.length, 1);
      assert.match(refs[0].message, /too large: http:\/\/127\.0\.0\.1:\d+\/endless\.yaml is over the 256 MiB Headroom reads/);
      assert.ok(sent < 512 * 2 ** 20, `${sent} bytes were sent before the lint stopped reading`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }));
