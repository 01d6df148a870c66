/** Which files get diagnostics: not a plain YAML file; a `$ref`ed file gets its own. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import { fileUri, finding, headroomDiagnostics, insertAfterLine, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';

const ITEMS_NO_429 = finding('ratelimit-429-response', 'warning', '2:2-2:11', 'GET /items documents no 429 (Too Many Requests) response.');

suite('Files beyond the open spec', () => {
  suiteTeardown(revertAndCloseAll);

  test('a YAML file that is not OpenAPI gets no diagnostics, not even "unrecognized-format"', async () => {
    await openEditor('config/app.yaml');
    // The server handles notifications in order: once the spec opened after app.yaml is linted,
    // app.yaml's didOpen has been handled too, and it published nothing for it.
    await openEditor('specs/split/root.yaml');
    await waitForDiagnostics(fileUri('specs/split/paths/items.yaml'), [ITEMS_NO_429], 'after opening root.yaml');
    assert.deepStrictEqual(headroomDiagnostics(fileUri('config/app.yaml')), []);
  });

  test("a $ref'ed file's problem shows in that file, not in the root", async () => {
    await openEditor('specs/split/root.yaml');
    await waitForDiagnostics(fileUri('specs/split/paths/items.yaml'), [ITEMS_NO_429], 'with root.yaml open and items.yaml closed');
    assert.deepStrictEqual(headroomDiagnostics(fileUri('specs/split/root.yaml')), []);
  });

  test("fixing the $ref'ed file in its editor re-lints the root that uses it", async () => {
    const doc = (await openEditor('specs/split/paths/items.yaml')).document;
    assert.equal(doc.lineAt(4).text, '      description: The items.');
    await insertAfterLine(doc, 4, "\n    '429':\n      description: Too many requests.\n      headers:\n        Retry-After:\n          schema:\n            type: integer");
    await waitForDiagnostics(fileUri('specs/split/paths/items.yaml'), [], 'after adding a 429 to items.yaml');
  });
});
