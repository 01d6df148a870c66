/**
 * How a report names a finding's file: relative to the working folder, with `/` separators; a
 * fetched file (`--allow-remote-refs`) by its URL as it is (a path function would make
 * `http://host/x.yaml` into `http:/host/x.yaml`).
 */
import { relative } from 'node:path';
import { isRemoteRef } from '../../openapi/refs';

export function shownPath(file: string, cwd: string): string {
  if (isRemoteRef(file)) return file;
  return (relative(cwd, file) || file).split('\\').join('/');
}
