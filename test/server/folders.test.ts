/** Which workspace folders the language server confines `$ref`s to. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialFolders, workspaceFolderPath } from '../../src/server/folders';

test('only absolute file: folders below the file system root are workspace folders', () => {
  assert.equal(workspaceFolderPath('file:///work/api'), '/work/api');
  assert.equal(workspaceFolderPath('file:///work/my%20api'), '/work/my api');
  for (const uri of ['file:', 'file:///', 'file://', 'untitled:Untitled-1', 'https://example.com/api', 'vscode-vfs://github/x', '', '%%']) {
    assert.equal(workspaceFolderPath(uri), undefined, uri);
  }
});

test('initialize: workspace folders, else rootUri, else an absolute rootPath; the others are refused', () => {
  assert.deepEqual(initialFolders({ workspaceFolders: [{ uri: 'file:///a' }, { uri: 'file:' }], rootUri: 'file:///b' }), { folders: ['/a'], refused: ['file:'] });
  assert.deepEqual(initialFolders({ rootUri: 'file:///b', rootPath: '/c' }), { folders: ['/b'], refused: [] });
  assert.deepEqual(initialFolders({ rootUri: null, rootPath: '/c' }), { folders: ['/c'], refused: [] });
  assert.deepEqual(initialFolders({ rootUri: null, rootPath: '.' }), { folders: [], refused: ['.'] });
  assert.deepEqual(initialFolders({ rootUri: null, rootPath: '/' }), { folders: [], refused: ['file:///'] });
  assert.deepEqual(initialFolders({}), { folders: [], refused: [] });
});
