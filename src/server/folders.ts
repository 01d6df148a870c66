/**
 * The workspace folders the server confines `$ref`s to (and indexes for fragments): only absolute
 * `file:` folders that are not the file system's root. A relative `rootPath` (`"."`), an empty
 * `file:` URI or `file:///` would otherwise make `/` the workspace, and every file on the machine
 * readable through a `$ref`; such a folder counts as none (each spec then reaches its own folder).
 */
import { isAbsolute, parse } from 'node:path';
import { URI } from 'vscode-uri';

/** The folder's path, or undefined when it is no folder to confine to. */
export function workspaceFolderPath(uri: string): string | undefined {
  let parsed: URI;
  try {
    parsed = URI.parse(uri, true);
  } catch {
    return undefined;
  }
  if (parsed.scheme !== 'file' || parsed.path === '' || parsed.path === '/') return undefined;
  const path = parsed.fsPath;
  return isAbsolute(path) && parse(path).root !== path ? path : undefined;
}

/** The folders of `initialize`: its workspace folders, else its `rootUri`, else its `rootPath` (absolute only). */
export function initialFolders(params: { workspaceFolders?: { uri: string }[] | null; rootUri?: string | null; rootPath?: string | null }): { folders: string[]; refused: string[] } {
  const uris = params.workspaceFolders
    ? params.workspaceFolders.map((f) => f.uri)
    : params.rootUri
      ? [params.rootUri]
      : params.rootPath
        ? [isAbsolute(params.rootPath) ? URI.file(params.rootPath).toString() : params.rootPath]
        : [];
  const folders: string[] = [];
  const refused: string[] = [];
  for (const uri of uris) {
    const path = workspaceFolderPath(uri);
    if (path === undefined) refused.push(uri);
    else folders.push(path);
  }
  return { folders, refused };
}
