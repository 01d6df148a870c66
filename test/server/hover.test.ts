/**
 * Hover over a node with several findings shows every finding's rule doc, in the order the
 * findings are listed, through the built language server (dist/server.js) over LSP; a node
 * without findings shows none.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { initialize, startServer } from '../helpers/server';

// A GET list whose `200` lacks Cache-Control, a validator and rate-limit headers (three findings
// on the `'200'` key), whose operation lacks a 401 and a 429 (two on `responses`).
const SPEC = `openapi: 3.0.3
info: {title: Pets, version: '1'}
x-gateway-rate-limit: {requests: 100, window: 1m}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security: [{key: []}]
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
`;


test('hover on a node with three findings shows the three rules\' docs; on a clean node, nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-hover-'));
  const file = join(dir, 'api.yaml');
  writeFileSync(file, SPEC);
  const uri = pathToFileURL(file).href;
  let linted!: (codes: string[]) => void;
  const published = new Promise<string[]>((r) => (linted = r));
  const server = startServer((conn) =>
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string }[] }) => {
      if (p.uri === uri) linted(p.diagnostics.map((d) => d.code));
    }),
  );
  after(() => server.close());
  const { conn } = server;
  await initialize(conn, dir, { initializationOptions: { settings: DEFAULT_SETTINGS, trusted: true } });
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: SPEC } });
  assert.deepEqual((await published).sort(), ['auth-401-response', 'cache-control-header', 'cache-validator', 'pagination-required', 'ratelimit-429-response', 'ratelimit-headers']);

  const hover = (line: number, character: number) => conn.sendRequest<{ contents: { kind: string; value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  const titles = (value: string) => [...value.matchAll(/^\*\*Headroom: `([\w-]+)`\*\*$/gm)].map((m) => m[1]);

  const onOk = await hover(11, 9); // on '200'
  assert.equal(onOk?.contents.kind, 'markdown');
  assert.deepEqual(titles(onOk!.contents.value), ['cache-control-header', 'cache-validator', 'ratelimit-headers']);
  assert.equal(onOk!.contents.value.split('\n\n---\n\n').length, 3, 'one section per rule');
  assert.match(onOk!.contents.value, /A cacheable `GET` or `QUERY` \(OpenAPI 3\.2\) `200` response documents a validator/);

  const onResponses = await hover(10, 8); // on responses
  assert.deepEqual(titles(onResponses!.contents.value), ['auth-401-response', 'ratelimit-429-response']);

  assert.equal(await hover(12, 12), null, 'description: ok has no finding');
});
