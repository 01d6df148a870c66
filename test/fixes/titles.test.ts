/**
 * A quick fix's title states exactly what its edit writes: for every finding of every golden case
 * (test/fixes/fixtures), each offer listed with the document (as the language server lists them)
 * is applied, and
 *  - every `key: value` the title names is written with that value (a title saying "maximum: 100"
 *    must not write `maximum: 200`);
 *  - every status code in the title is written;
 *  - what an "Add …" title names (headers, parameters, responses) is in the edit.
 */
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { applyEdits, applyOffer, offersFor, type FileEdits } from '../../src/core/fixes';
import { lint, rulesetFor, workspace } from './helpers';

const root = join(__dirname, 'fixtures');
const isCase = (name: string) => /\.(ya?ml|json)$/.test(name) && !/\.(fixed|part|ruleset)\./.test(name) && !/\.ruleset\.ya?ml$/.test(name);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a title claims the edit writes, each as a pattern over the inserted text. */
export function claims(title: string): { claim: string; pattern: RegExp }[] {
  const out: { claim: string; pattern: RegExp }[] = [];
  for (const m of title.matchAll(/([A-Za-z][\w-]*): ([\w.]+)/g)) {
    out.push({ claim: `${m[1]}: ${m[2]}`, pattern: new RegExp(`["']?${escape(m[1])}["']?\\s*:\\s*["']?${escape(m[2])}["']?(?![\\w.])`) });
  }
  for (const m of title.matchAll(/\b([1-5]\d\d) \(/g)) out.push({ claim: m[1], pattern: new RegExp(`["']?${m[1]}["']?\\s*:`) });
  const inBody = / (?:and )?((?:[\w-]+\.)?[\w-]+) in the response body\b/;
  const added = /^Add (.*?) (?:query parameters?|header parameter|response header|headers?|response)\b/.exec(title.replace(/\s*\([^)]*\)/g, '').replace(inBody, ''));
  if (added) {
    for (const name of added[1].split(/,\s*|\s+and\s+/).map((n) => n.replace(/^(a|an|the)\s+/, ''))) {
      if (name) out.push({ claim: name, pattern: new RegExp(`(?<![\\w-])${escape(name)}(?![\\w-])`) });
    }
  }
  // "Add … query parameters and a Link response header": the header is written too.
  for (const m of title.matchAll(/ and an? ([A-Za-z][\w-]*) response header\b/g)) out.push({ claim: m[1], pattern: new RegExp(`(?<![\\w-])${escape(m[1])}(?![\\w-])`) });
  // "… and meta.next_page_url in the response body": that property is written.
  const body = inBody.exec(title);
  if (body) {
    const name = body[1].split('.').pop()!;
    out.push({ claim: name, pattern: new RegExp(`(?<![\\w-])${escape(name)}\\s*:`) });
  }
  return out;
}

test('the claims read from a title', () => {
  assert.deepEqual(claims('Bound the page size (minimum: 1, maximum: 100)').map((c) => c.claim), ['minimum: 1', 'maximum: 100']);
  assert.ok(!claims('Bound the page size (minimum: 1, maximum: 100)')[1].pattern.test('maximum: 200'));
  assert.deepEqual(claims('Add PageSize and PageToken query parameters').map((c) => c.claim), ['PageSize', 'PageToken']);
  assert.deepEqual(claims('Add limit (minimum: 1, maximum: 100, default: 20) and cursor query parameters and a Link response header').map((c) => c.claim), ['minimum: 1', 'maximum: 100', 'default: 20', 'limit', 'cursor', 'Link']);
  assert.deepEqual(claims('Add PageSize and PageToken query parameters and meta.next_page_url in the response body').map((c) => c.claim), ['PageSize', 'PageToken', 'next_page_url']);
  assert.deepEqual(claims('Add meta.next_page_url in the response body').map((c) => c.claim), ['next_page_url']);
  assert.deepEqual(claims('Add a 429 (Too Many Requests) response').map((c) => c.claim), ['429', '429']);
  assert.deepEqual(claims('Declare x-gateway-rate-limit (requests: 100, window: 1m) on this operation').map((c) => c.claim), ['requests: 100', 'window: 1m']);
  assert.deepEqual(claims('Add the RateLimit and RateLimit-Policy headers').map((c) => c.claim), ['RateLimit', 'RateLimit-Policy']);
});

/**
 * What an edit writes: each inserted text with the start of the line it goes into (a replaced
 * value shows its key), and what its local `$ref`s point at in the result (a parameter written as
 * a `$ref` is named by its target).
 */
function writtenText(edits: FileEdits): string {
  const parts: string[] = [];
  for (const [file, list] of edits) {
    const original = readFileSync(file, 'utf8');
    const inserted = list.map((e) => original.slice(original.lastIndexOf('\n', e.start - 1) + 1, e.start) + e.newText);
    parts.push(...inserted);
    const result = parse(applyEdits(original, list)) as unknown;
    for (const m of inserted.join('\n').matchAll(/\$ref["']?\s*:\s*["']?#\/([^"'\s}]+)/g)) {
      const target = m[1].split('/').reduce<any>((node, seg) => node?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')], result);
      if (target !== undefined) parts.push(JSON.stringify(target).replace(/"([^"]+)":/g, '$1: ').replace(/[{},"]/g, ' '));
    }
  }
  return parts.join('\n');
}

let checked = 0;
for (const rule of readdirSync(root).sort()) {
  const dir = join(root, rule);
  for (const name of readdirSync(dir).filter(isCase).sort()) {
    test(`titles state their edits: ${rule}/${name}`, async () => {
      const file = join(dir, name);
      const rulesetFile = ['yaml', 'yml'].map((e) => join(dir, `${name.replace(/\.(ya?ml|json)$/, '')}.ruleset.${e}`)).find(existsSync);
      const loaded = rulesetFor(rulesetFile);
      const findings = (await lint(file, loaded)).filter((f) => f.rule === rule);
      assert.ok(findings.length > 0);
      for (const finding of findings) {
        for (const offer of offersFor(finding, { ws: workspace(file, loaded), suppressions: false })) {
          const fix = applyOffer(finding, offer, workspace(file, loaded));
          if (!fix) continue;
          const written = writtenText(fix.edits);
          for (const { claim, pattern } of claims(offer.title)) {
            assert.match(written, pattern, `"${offer.title}" claims ${claim}; the edit writes:\n${written}`);
          }
          checked++;
        }
      }
    });
  }
}

test('every golden case had its offers checked', () => assert.ok(checked > 40, `${checked} offers checked`));
