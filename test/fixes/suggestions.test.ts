/**
 * Fixes vs suggestions: Fix All applies a fix only when it invents nothing; every other preferred
 * fix is left, with its reason, for the light bulb (where unstated numbers are tab stops). The
 * table below is each golden case's verdict for its rule's findings.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixAll, fixesFor, offersFor } from '../../src/core/fixes';
import { lint, rulesetFor, workspace } from './helpers';

const root = join(__dirname, 'fixtures');
const isCase = (name: string) => /\.(ya?ml|json)$/.test(name) && !/\.(fixed|part|ruleset)\./.test(name) && !/\.ruleset\.ya?ml$/.test(name);

/** `fix`: Fix All applies every finding's fix; `fix+<reason>`: some, and leaves the others for that reason; otherwise the reason it leaves them all. */
const EXPECTED: Record<string, string> = {
  'auth-401-response/*': 'fix',
  'cache-control-header/*': 'the spec does not say the API sends Cache-Control',
  'cache-validator/*': 'the spec does not say the API sends ETag or answers If-None-Match with 304',
  'pagination-limit-bounded/01-no-bounds.yaml': 'maximum: 100, minimum: 1 would be a default, not stated in the spec (its description states no such bound)',
  'pagination-limit-bounded/02-minimum-negative.yaml': 'minimum: 1 would be a default, not stated in the spec (its description states no such bound)',
  // "Limit can range between 1 and 500": both bounds are the spec's own.
  'pagination-limit-bounded/03-description.json': 'fix',
  'pagination-limit-bounded/04-swagger2.yaml': 'maximum: 100, minimum: 1 would be a default, not stated in the spec (its description states no such bound)',
  // "between 0 and 1000": a page of none is the spec's own lower bound.
  'pagination-limit-bounded/06-description-zero.yaml': 'fix',
  // The schema is a shared component: the bounds are read from the description of the parameter using it.
  'pagination-limit-bounded/08-shared-schema.yaml': 'fix',
  // Stated: 1 to 100, 1 to 10,000, 5 to 50. Not stated: 1440 (one of several maxima) and 1 there.
  'pagination-limit-bounded/07-description-ranges.yaml':
    'fix+maximum: 1440, minimum: 1 would be a default, not stated in the spec (its description states several maxima, each for another case)',
  'pagination-limit-bounded/05-flow-schema.yaml': 'maximum: 100, minimum: 1 would be a default, not stated in the spec (its description states no such bound)',
  'pagination-next-link/*': 'the spec does not say how the API shows the next page',
  'pagination-required/*': 'the spec does not say the operation takes paging parameters',
  // The description states the list's bound ("up to 10"): maxItems writes what it says.
  'pagination-required/07-stated-max-items.yaml': 'fix',
  // Every case declares x-gateway-rate-limit: the exported gateway answers 429 (without one it is a
  // suggestion: test/fixes/code-actions.test.ts, test/fixes/cli-fix.test.ts).
  'ratelimit-429-response/*': 'fix',
  // The same numbers in the current syntax.
  'ratelimit-header-values/*': 'fix',
  'ratelimit-headers/*': 'the spec does not say which rate-limit headers the API sends',
  'ratelimit-policy-consistent/*': 'fix',
  'ratelimit-policy-declared/*': 'its numbers (100 requests per 1m) would be a default, not stated in the spec; the export would enforce them',
  'ratelimit-policy-declared/03-derives-from-example.yaml': 'fix',
  // A Swagger 2.0 header's example is its x-example.
  'ratelimit-policy-declared/07-swagger2-x-example.yaml': 'fix',
  // Each operation's own example, declared on it.
  'ratelimit-policy-declared/09-each-operation-its-own.yaml': 'fix',
  // Each is the 429 of a rate-limited operation: the exported gateway sends Retry-After there.
  'ratelimit-retry-after/*': 'fix',
  // The 429's Retry-After is the gateway's; the 503's is nothing the spec states.
  'ratelimit-retry-after/01-inline-429.yaml':
    'fix+the spec does not say this response carries Retry-After (the exported gateway sends it only on the 429 of an operation with x-gateway-rate-limit)',
};

for (const rule of readdirSync(root).sort()) {
  const dir = join(root, rule);
  for (const name of readdirSync(dir).filter(isCase).sort()) {
    test(`fix or suggestion: ${rule}/${name}`, async () => {
      const file = join(dir, name);
      const rulesetFile = ['yaml', 'yml'].map((e) => join(dir, `${name.replace(/\.(ya?ml|json)$/, '')}.ruleset.${e}`)).find(existsSync);
      const loaded = rulesetFor(rulesetFile);
      const findings = (await lint(file, loaded)).filter((f) => f.rule === rule);
      const expected = EXPECTED[`${rule}/${name}`] ?? EXPECTED[`${rule}/*`];
      const plan = fixAll(findings, workspace(file, loaded));
      if (expected.startsWith('fix')) {
        // (A fix another of the plan did the work of is left as not applied; the next round's lint drops it.)
        assert.deepEqual([...new Set(plan.left.filter((l) => l.suggestion).map((l) => l.reason))], expected.startsWith('fix+') ? [expected.slice(4)] : []);
        assert.ok(plan.fixed.length > 0);
      } else {
        assert.deepEqual(plan.fixed, [], 'Fix All applies nothing');
        assert.equal(plan.edits.size, 0);
        assert.deepEqual([...new Set(plan.left.map((l) => l.reason))], [expected]);
        // The light bulb still has the fix.
        for (const l of plan.left) assert.ok(fixesFor(l.finding, workspace(file, loaded)).some((f) => f.preferred && f.title === l.title));
      }
    });
  }
}

test('a suggested number the spec does not state is a tab stop; a stated one is plain', async () => {
  const dir = join(root, 'pagination-limit-bounded');
  const loaded = rulesetFor(undefined);
  const unstated = join(dir, '01-no-bounds.yaml');
  const [a] = (await lint(unstated, loaded)).filter((f) => f.rule === 'pagination-limit-bounded');
  const [editA] = [...fixesFor(a, workspace(unstated, loaded)).find((f) => f.preferred)!.edits.values()][0];
  assert.equal(editA.snippet, "            minimum: ${2:1}\n            maximum: ${1:100}\n");
  const stated = join(dir, '03-description.json');
  const [b] = (await lint(stated, loaded)).filter((f) => f.rule === 'pagination-limit-bounded');
  const [editB] = [...fixesFor(b, workspace(stated, loaded)).find((f) => f.preferred)!.edits.values()][0];
  assert.equal(editB.snippet, undefined);
  assert.match(editB.newText, /"maximum": 500/);
});

test('each rule with a quick fix says in its doc which kind the fix is', async () => {
  const { FIX_PROVIDERS } = await import('../../src/core/fixes');
  const { readFileSync } = await import('node:fs');
  const missing = Object.keys(FIX_PROVIDERS).filter((rule) => {
    const doc = readFileSync(join(__dirname, '..', '..', 'rules', 'docs', `${rule}.md`), 'utf8');
    return !/## Quick fix\n\n\*\*Kind: (fix|suggestion)\b/.test(doc);
  });
  assert.deepEqual(missing, []);
});

test('a 401 / 403 fix title says what the response it adds holds: its header, its body, or the response the document has', async () => {
  const titles = async (name: string) => {
    const file = join(root, 'auth-401-response', name);
    const loaded = rulesetFor(undefined);
    const ws = workspace(file, loaded);
    return (await lint(file, loaded)).filter((f) => f.rule === 'auth-401-response').map((f) => offersFor(f, { ws, suppressions: false })[0].title);
  };
  assert.deepEqual([...new Set(await titles('01-401.yaml'))], ['Add a 401 (Unauthorized) response (a new Unauthorized with a WWW-Authenticate header)']);
  assert.deepEqual([...new Set(await titles('03-swagger2.json'))], ['Add a 401 (Unauthorized) response (a new Unauthorized, no body)']);
  assert.deepEqual([...new Set(await titles('05-reuses-error-schema.json'))], ['Add a 401 (Unauthorized) response (a new Unauthorized with a WWW-Authenticate header and the error body)']);
  assert.deepEqual([...new Set(await titles('04-reuses-equivalent.yaml'))].length, 1);
  assert.match((await titles('04-reuses-equivalent.yaml'))[0], /^Add a 40[13] \((Unauthorized|Forbidden)\) response \(the document's \S+\)$/);
});
