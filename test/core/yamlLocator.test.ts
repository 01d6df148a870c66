/**
 * yamlRanges (src/core/lean/yamlLocator.ts) must give exactly the range `@stoplight/yaml`'s
 * getLocationForJsonPath(…, closest) gives, for every path: present, missing, through merge keys
 * and aliases, into null values and sequences. Compared on every node of every YAML fixture and on
 * a document made of the awkward cases.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { getLocationForJsonPath } from '@stoplight/yaml';
import { aliasBomb } from '../../src/openapi/aliases';
import { parseYamlFull } from '../../src/openapi/incrementalYaml';
import { yamlRanges } from '../../src/openapi/yamlLocator';

type Segment = string | number;

/** Every path of the data, each also with a missing key, a bad index and a numeric segment after it. */
function probes(data: unknown): Segment[][] {
  const out: Segment[][] = [[], ['nope'], [0]];
  const seen = new Set<object>(); // an alias repeats a node: walk it once
  const walk = (node: unknown, path: Segment[], depth: number) => {
    out.push(path, [...path, 'missing'], [...path, 99], [...path, '0'], [...path, 0], [...path, -1], [...path, '']);
    if (depth > 40 || node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    for (const [k, v] of Object.entries(node)) walk(v, [...path, Array.isArray(node) ? Number(k) : k], depth + 1);
    // Keys as numbers, as rules sometimes pass status codes.
    if (!Array.isArray(node)) for (const k of Object.keys(node)) if (/^\d+$/.test(k)) out.push([...path, Number(k)]);
  };
  walk(data, [], 0);
  return out;
}

function compare(text: string, name: string) {
  const parsed = parseYamlFull(text);
  const paths = probes(parsed.data);
  const expected = paths.map((p) => getLocationForJsonPath(parsed, p, true)?.range);
  assert.deepEqual(yamlRanges(parsed, paths), expected, name);
}

const AWKWARD = `
base: &base
  a: 1
  b: {c: 2}
more: &more
  b: 3
  d: [x, y]
merged:
  <<: *base
  e: 4
mergedList:
  <<: [*base, *more]
  a: 5
duplicate: 1
empty:
nulls: [~, null, '']
seq:
  -
  - - nested
    - *base
alias: *more
'200': ok
200x: odd
"quoted key": {"inner": [1, 2, {k: v}]}
flow: {a: [1, {b: c}], 'x/y': z}
duplicate: 2
`;

test('yamlRanges equals getLocationForJsonPath on merge keys, aliases, nulls, duplicates and flow collections', () => {
  compare(AWKWARD, 'awkward');
});

test('yamlRanges equals getLocationForJsonPath on every YAML fixture of the repository', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      // fuzz/: generated inputs (alias bombs among them), not specs.
      if (statSync(p).isDirectory()) name !== 'fuzz' && walk(p);
      else if (/\.ya?ml$/.test(name)) files.push(p);
    }
  };
  walk(join(__dirname, '..', 'fixtures'));
  assert.ok(files.length > 50, `only ${files.length} fixtures found`);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // The lean engine never parses an alias bomb (parseLean checks first); neither does this.
    if (aliasBomb(text) === undefined) compare(text, file);
  }
});
