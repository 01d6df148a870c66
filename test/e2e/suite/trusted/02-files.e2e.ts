/** Which files get diagnostics: not a plain YAML file; a `$ref`ed file gets its own. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import { fileUri, headroomDiagnostics, insertAfterLine, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';
import { APP_CONFIG, ITEMS, ITEMS_NO_429 } from '../expected';


suite('Files beyond the open spec', () => {
  suiteTeardown(revertAndCloseAll);

  test('a YAML file that is not OpenAPI gets no diagnostics, not even "unrecognized-format"', async () => {
    await openEditor(APP_CONFIG);
    // The server handles notifications in order: once the spec opened after app.yaml is linted,
    // app.yaml's didOpen has been handled too, and it published nothing for it.
    await openEditor('specs/split/root.yaml');
    await waitForDiagnostics(fileUri(ITEMS), [ITEMS_NO_429], 'after opening root.yaml');
    assert.deepStrictEqual(headroomDiagnostics(fileUri(APP_CONFIG)), []);
  });

  test("a $ref'ed file's problem shows in that file, not in the root", async () => {
    await openEditor('specs/split/root.yaml');
    await waitForDiagnostics(fileUri(ITEMS), [ITEMS_NO_429], 'with root.yaml open and items.yaml closed');
    assert.deepStrictEqual(headroomDiagnostics(fileUri('specs/split/root.yaml')), []);
  });

  test("fixing the $ref'ed file in its editor re-lints the root that uses it", async () => {
    const doc = (await openEditor(ITEMS)).document;
    assert.equal(doc.lineAt(4).text, '      description: The items.');
    await insertAfterLine(doc, 4, "\n    '429':\n      description: Too many requests.\n      headers:\n        Retry-After:\n          schema:\n            type: integer");
    await waitForDiagnostics(fileUri(ITEMS), [], 'after adding a 429 to items.yaml');
  });
});
