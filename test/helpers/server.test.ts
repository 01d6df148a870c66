/**
 * The tests' JSON-RPC connection to a spawned server: a message cut off halfway (the server
 * killed while writing it, in a test's teardown) leaves no timer behind, so the test process
 * exits. vscode-jsonrpc's reader re-arms a 10 s partial-message timer for as long as the message
 * stays incomplete, which once kept a CI run waiting until its time limit.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import * as rpc from 'vscode-jsonrpc/node';
import { connectionTo } from './server';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('a message cut off halfway leaves no timer running', async () => {
  // The library's reader, kept to stop its timer once the premise is checked (else this test hangs).
  let plain: rpc.StreamMessageReader | undefined;
  for (const [name, connect] of [
    ['vscode-jsonrpc as it comes', (child: ChildProcess) => rpc.createMessageConnection((plain = new rpc.StreamMessageReader(child.stdout!)), new rpc.StreamMessageWriter(child.stdin!))],
    ['connectionTo', connectionTo],
  ] as const) {
    const stdout = new PassThrough();
    const child = { stdout, stdin: new PassThrough() } as unknown as ChildProcess;
    const conn = connect(child);
    conn.listen();
    const before = timers();
    stdout.write('Content-Length: 200\r\n\r\n{"jsonrpc":"2.0","method":"textDocument/publishDiag');
    await new Promise((resolve) => setImmediate(resolve));
    const left = timers() - before;
    if (plain !== undefined) {
      plain.partialMessageTimeout = 0;
      (plain as unknown as { clearPartialMessageTimer(): void }).clearPartialMessageTimer();
      plain = undefined;
    }
    conn.dispose();
    stdout.end();
    if (name === 'connectionTo') assert.equal(left, 0, name);
    else assert.equal(left, 1, `${name}: the premise (its reader arms a timer for the rest of the message)`);
  }
});
