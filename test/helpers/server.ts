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
 * A JSON-RPC connection over a spawned server's stdio. The reader's partial-message timer is off:
 * it re-arms every 10 s while a message is incomplete, so a server killed halfway through writing
 * one (a test's teardown) kept the test process alive forever.
 */
export function connectionTo(child: ChildProcess): rpc.MessageConnection {
  const reader = new rpc.StreamMessageReader(child.stdout!);
  reader.partialMessageTimeout = 0;
  return rpc.createMessageConnection(reader, new rpc.StreamMessageWriter(child.stdin!));
}

/**
 * Spawn the server. `handlers` registers the test's own notification and request handlers before
 * the connection listens; everything else is answered with nothing.
 */
export function startServer(handlers: (conn: rpc.MessageConnection) => void = () => {}): RunningServer {
  assert.ok(existsSync(SERVER), 'dist/server.js is missing: run `npm run build` first');
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = connectionTo(child);
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
