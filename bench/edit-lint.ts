// In-process lint time of one small edit and its undo (the editor's keystroke minus the language
// server): Engine + FileSource overlay, the edited and the original text alternated 12 times, the
// last 10 of each averaged; also the `validate` rule alone on the same two documents. With the
// server's parse caches (an edit re-parses what it touched), unless BENCH_NO_CACHE=1.
//   node --import tsx bench/edit-lint.ts [spec] [line] [from] [to]
// Default: GitHub's spec (bench/githubSpec.mjs), line 282 `"type": "string"` → `"strin"`.
import { readFileSync } from 'node:fs';
import { Engine } from '../src/core/engine';
import { JsonParseCache } from '../src/openapi/incrementalJson';
import { YamlParseCache } from '../src/openapi/incrementalYaml';
import { loadRuleset } from '../src/core/ruleset';
import * as validateRule from '../rules/functions/validate';

async function main(): Promise<void> {
const spec = process.argv[2] || (await import('./githubSpec.mjs')).githubSpec();
const line = Number(process.argv[3] ?? 282);
const from = process.argv[4] ?? '"string"';
const to = process.argv[5] ?? '"strin"';
const original = readFileSync(spec, 'utf8');
const lines = original.split('\n');
if (!lines[line - 1].includes(from)) throw new Error(`line ${line} has no ${from}: ${lines[line - 1]}`);
lines[line - 1] = lines[line - 1].replace(from, to);
const edited = lines.join('\n');

// The language server's parse caches (src/server/linter.ts); BENCH_NO_CACHE=1: parse in full each time.
const engine = process.env.BENCH_NO_CACHE ? new Engine() : new Engine({ yamlCache: new YamlParseCache(), jsonCache: new JsonParseCache() });
const ruleset = loadRuleset(undefined, { trustFunctions: false });
const times = { edited: [] as number[], original: [] as number[] };
const findings = { edited: 0, original: 0 };
const routes = { edited: new Set<string>(), original: new Set<string>() };
engine.files.setOverlay(spec, original);
await engine.lint(spec, ruleset);
for (let i = 0; i < 12; i++) {
  for (const [name, text] of [['edited', edited], ['original', original]] as const) {
    engine.files.setOverlay(spec, text);
    const t = performance.now();
    const result = await engine.lint(spec, ruleset);
    times[name].push(performance.now() - t);
    findings[name] = result.findings.length;
    routes[name].add(String((validateRule as { lastValidation?: () => string }).lastValidation?.() ?? '?'));
  }
}
const rule = validateRule.default as unknown as (d: unknown, o: null, ctx: unknown) => unknown[];
const ruleTimes = { edited: [] as number[], original: [] as number[] };
const ruleFindings = { edited: 0, original: 0 };
// The rule alone needs the data: only when both texts are JSON (an edit may leave it broken).
const isJson = (text: string) => { try { JSON.parse(text); return true; } catch { return false; } };
for (let i = 0; i < 12 && /\.json$/i.test(spec) && isJson(edited); i++) {
  for (const [name, text] of [['edited', edited], ['original', original]] as const) {
    const data = JSON.parse(text);
    const t = performance.now();
    ruleFindings[name] = rule(data, null, { document: { data, source: spec }, documentInventory: { referencedDocuments: {} } }).length;
    ruleTimes[name].push(performance.now() - t);
  }
}
const avg = (xs: number[]) => (xs.slice(2).reduce((a, b) => a + b, 0) / (xs.length - 2)).toFixed(1);
console.log(`${spec} line ${line}: ${from} → ${to}`);
console.log(`lint   edited ${avg(times.edited)} ms (${findings.edited} findings; validate: ${[...routes.edited]}), undo ${avg(times.original)} ms (${findings.original} findings; validate: ${[...routes.original]})`);
if (ruleTimes.edited.length > 0) console.log(`validate edited ${avg(ruleTimes.edited)} ms (${ruleFindings.edited}), undo ${avg(ruleTimes.original)} ms (${ruleFindings.original})`);
}
void main();
