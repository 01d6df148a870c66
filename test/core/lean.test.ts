/**
 * The lean engine (src/core/lean) must report exactly what Spectral reports for the built-in
 * ruleset: same findings, files, paths, ranges, severities, messages. Every fixture of the repo
 * (and the shared real specs, when present) is linted by both and compared; the fixtures that are
 * clean input must really have run on the lean engine.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../src/core/engine';
import { loadRuleset } from '../../src/core/ruleset';

const builtin = loadRuleset(undefined);

function specFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...specFiles(p));
    else if (/\.(ya?ml|json)$/.test(name) && !/\.(expected\.json|ruleset\.ya?ml)$/.test(name) && !/^\.spectral\./.test(name)) out.push(p);
  }
  return out;
}

async function compare(file: string) {
  const lean = await new Engine().lint(file, builtin);
  const spectral = await new Engine({ lean: false }).lint(file, builtin);
  assert.equal(spectral.engine, 'spectral');
  assert.deepEqual(lean.findings, spectral.findings);
  assert.equal(lean.version, spectral.version);
  assert.deepEqual([...lean.dependencies].sort(), [...spectral.dependencies].sort());
  return lean;
}

const fixtures = join(__dirname, '..', 'fixtures');
const files = specFiles(fixtures).filter((f) => !f.includes(`${join('fixtures', 'export')}`) || /\.(ya?ml|json)$/.test(f));

test('lean and Spectral engines agree on every repository fixture', async () => {
  let lean = 0;
  for (const file of files) {
    const r = await compare(file).catch((e: Error) => {
      e.message = `${file}: ${e.message}`;
      throw e;
    });
    if (r.engine === 'lean') lean++;
  }
  // Most fixtures are clean OpenAPI: the lean engine must have taken them (not silently fallen back).
  assert.ok(lean > files.length / 2, `lean engine ran on only ${lean} of ${files.length} fixtures`);
});

test('clean specs run on the lean engine; input it cannot judge falls back to Spectral', async () => {
  const golden = join(fixtures, 'rules', 'ratelimit-429-response');
  for (const name of readdirSync(golden).filter((n) => /^valid.*\.(ya?ml|json)$/.test(n) && !/\.(part|expected)\./.test(n))) {
    assert.equal((await new Engine().lint(join(golden, name), builtin)).engine, 'lean', name);
  }
});

const shared = join(__dirname, '..', '..', '..', 'shared', 'specs');
test('lean and Spectral engines agree on the shared real specs', async (t) => {
  if (!existsSync(shared)) return t.skip(`no ${shared} (the shared specs are not part of a clone)`);
  for (const name of readdirSync(shared).filter((n) => /\.(ya?ml|json)$/.test(n))) {
    const r = await compare(join(shared, name));
    assert.equal(r.engine, 'lean', name);
  }
});

test('user rulesets of only Headroom rules (severities, options, overrides) run lean and agree with Spectral', async () => {
  const rulesRoot = join(fixtures, 'rules');
  let cases = 0;
  for (const rule of readdirSync(rulesRoot)) {
    for (const name of readdirSync(join(rulesRoot, rule)).filter((n) => /\.ruleset\.ya?ml$/.test(n))) {
      const base = name.replace(/\.ruleset\.ya?ml$/, '');
      const spec = ['yaml', 'json'].map((e) => join(rulesRoot, rule, `${base}.${e}`)).find(existsSync);
      if (spec === undefined) continue;
      const loaded = loadRuleset(join(rulesRoot, rule, name), { trustFunctions: true });
      const lean = await new Engine().lint(spec, loaded);
      const spectral = await new Engine({ lean: false }).lint(spec, loaded);
      assert.equal(lean.engine, 'lean', `${rule}/${name}`);
      assert.deepEqual(lean.findings, spectral.findings, `${rule}/${name}`);
      cases++;
    }
  }
  assert.ok(cases >= 8, `only ${cases} ruleset cases`);
});

test('a ruleset with Spectral rules or custom functions runs on Spectral', async () => {
  const spec = join(fixtures, 'rules', 'ratelimit-429-response', 'invalid.yaml');
  const oas = await new Engine().lint(spec, loadRuleset(join(fixtures, 'rulesets', 'oas.spectral.yaml'), { trustFunctions: true }));
  assert.equal(oas.engine, 'spectral');
});

test('message templates: {{error}} and {{description}} run lean and read as on Spectral; any other placeholder runs on Spectral', async () => {
  const dir = join(fixtures, 'rulesets', 'templates');
  const spec = join(dir, 'spec.yaml');
  const bare = join(dir, 'quoted-placeholder.yaml');

  const leanRuleset = loadRuleset(join(dir, 'lean.spectral.yaml'), { trustFunctions: true });
  for (const file of [spec, bare]) {
    const lean = await new Engine().lint(file, leanRuleset);
    const spectral = await new Engine({ lean: false }).lint(file, leanRuleset);
    assert.deepEqual(lean.findings, spectral.findings, file);
  }
  const onSpec = await new Engine().lint(spec, leanRuleset);
  assert.equal(onSpec.engine, 'lean');
  assert.deepEqual(
    onSpec.findings.map((f) => f.message),
    ['The 429 response of GET /pets documents no Retry-After header, so clients cannot tell when to retry. (null)'],
  );

  // The function quotes a path holding "{{value}}": Spectral fills it with the node's value, so the run is Spectral's.
  const quoted = await new Engine().lint(bare, leanRuleset);
  assert.equal(quoted.engine, 'spectral');
  assert.deepEqual(quoted.findings.map((f) => f.message), ['Operations document 429: GET /pets/[object Object] documents no 429 (Too Many Requests) response.']);

  const spectralOnly = loadRuleset(join(dir, 'spectral-only.spectral.yaml'), { trustFunctions: true });
  const other = await new Engine().lint(bare, spectralOnly);
  assert.equal(other.engine, 'spectral');
  assert.deepEqual(other.findings.map((f) => f.message), ['[object Object] / "responses" property  / responses / #/paths/~1pets~1%7B%7Bvalue%7D%7D/get/responses /']);
});
