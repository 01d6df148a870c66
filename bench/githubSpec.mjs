// GitHub's REST API description (13 MB of OpenAPI 3.0 JSON), the largest real spec the benches
// use: generated/api.github.com.json of the npm package @octokit/openapi, fetched once through the
// npm registry (`npm pack`) into node_modules/.cache/headroom-bench/ and reused from there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GITHUB_SPEC_PACKAGE = '@octokit/openapi@23.0.2';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'node_modules', '.cache', 'headroom-bench');

/** Path of api.github.com.json, fetched from the npm registry when it is not cached yet. */
export function githubSpec() {
  const file = join(cache, 'api.github.com.json');
  if (existsSync(file)) return file;
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'headroom-octokit-'));
  try {
    console.error(`bench: fetching ${GITHUB_SPEC_PACKAGE} from the npm registry (npm pack)`);
    const tarball = execFileSync('npm', ['pack', GITHUB_SPEC_PACKAGE, '--silent', '--pack-destination', tmp], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['-xzf', join(tmp, tarball), '-C', tmp, 'package/generated/api.github.com.json']);
    renameSync(join(tmp, 'package', 'generated', 'api.github.com.json'), file);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return file;
}
