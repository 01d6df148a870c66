/**
 * The built language server (dist/server.js) as an editor meets it: spawned over stdio, spoken to
 * with vscode-jsonrpc, initialized on one workspace folder. Server-level tests start it here.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node';

export const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

export interface RunningServer {
  conn: rpc.MessageConnection;
  child: ChildProcess;
  close(): void;
}

/**
 * Spawn the server. `handlers` registers the test's own notification and request handlers before
 * the connection listens; everything else is answered with nothing.
 */
export function startServer(handlers: (conn: rpc.MessageConnection) => void = () => {}): RunningServer {
  assert.ok(existsSync(SERVER), 'dist/server.js is missing: run `npm run build` first');
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout!), new rpc.StreamMessageWriter(child.stdin!));
  handlers(conn);
  conn.onNotification(() => {});
  conn.onRequest(() => null);
  conn.listen();
  return {
    conn,
    child,
    close() {
      conn.dispose();
      child.kill();
    },
  };
}

/** `initialize` (the folder as the one workspace folder) then `initialized`. */
export async function initialize(conn: rpc.MessageConnection, folder: string, options: { capabilities?: object; initializationOptions?: object } = {}): Promise<void> {
  const uri = pathToFileURL(folder).href;
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: basename(folder) }],
    capabilities: options.capabilities ?? {},
    initializationOptions: options.initializationOptions ?? {},
  });
  conn.sendNotification('initialized', {});
}
