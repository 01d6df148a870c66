/**
 * Property: whatever is done to a spec's text — truncated anywhere, bytes overwritten, lines
 * deleted or moved, keys duplicated, parser-significant tokens inserted — linting it gives a
 * well-formed LintResult (see harness.ts `problems`): no exception, no hang, no runaway memory
 * (the lint runs in a worker process with a bounded heap and a generous timeout), no crashed rule,
 * every range inside its file. Where the outcome is known it is asserted too: a JSON spec cut
 * short, or a YAML flow collection cut open, has a `parse` finding. And after all that, the
 * unmutated spec lints exactly as before (no state leaks from one lint into the next).
 *
 * Seeds: the small specs in test/fixtures/fuzz (always) and the real specs in ../shared/specs
 * (skipped, with the reason, when absent). Fixed seed and run counts; see harness.ts to explore.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { describeFailure, fcParams, FIXTURES, LintWorker, SHARED_MISSING, SHARED_SPECS, type Case } from './harness';
import * as M from './mutations';

interface Seed {
  name: string;
  /** All files of the spec, relative to their folder; `target` is the one mutated, `root` the one linted. */
  files: Record<string, string>;
  root: string;
  target: string;
}

function folderSeed(name: string, dir: string, root: string, target = root): Seed {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else files[relative(dir, join(d, e.name))] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir);
  return { name, files, root, target };
}

const bundled: Seed[] = [
  folderSeed('store (3.0 YAML, root)', join(FIXTURES, 'store'), 'openapi.yaml'),
  folderSeed('store (3.0 YAML, $ref-ed part)', join(FIXTURES, 'store'), 'openapi.yaml', 'components.yaml'),
  { name: 'zoo (3.1 JSON)', files: { 'zoo.v31.json': readFileSync(join(FIXTURES, 'zoo.v31.json'), 'utf8') }, root: 'zoo.v31.json', target: 'zoo.v31.json' },
  { name: 'farm (2.0 YAML)', files: { 'farm.v2.yaml': readFileSync(join(FIXTURES, 'farm.v2.yaml'), 'utf8') }, root: 'farm.v2.yaml', target: 'farm.v2.yaml' },
];

/** Real specs: the small and medium ones get every mutation, the large ones a cut (each lint takes seconds). */
function realSeed(file: string): Seed {
  return { name: file, files: { [file]: readFileSync(join(SHARED_SPECS, file), 'utf8') }, root: file, target: file };
}
const realFiles = SHARED_MISSING ? [] : readdirSync(SHARED_SPECS).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
const realSmall = realFiles.filter((f) => /^[sm]/.test(f));
const realLarge = realFiles.filter((f) => /^l/.test(f));
if (SHARED_MISSING) console.log(`fuzz: real-spec properties skipped: ${SHARED_MISSING}`);

const worker = new LintWorker();
after(() => worker.close());

type EngineName = NonNullable<Case['engine']>;

function withMutated(seed: Seed, content: string | Uint8Array, label: string, engine: EngineName): Case {
  return { name: `${seed.name} ${label}`, files: { ...seed.files, [seed.target]: content }, root: seed.root, engine };
}

/** Lint a case; fail with the case's files kept and the problems listed. */
async function lintsCleanly(c: Case) {
  const { outcome, written, problems } = await worker.run(c);
  if (problems.length > 0) assert.fail(describeFailure(c, written, problems));
  assert.ok(outcome.kind === 'ok');
  return outcome.result;
}

const PROPERTIES: [string, fc.Arbitrary<M.Mutation | M.Mutation[]>][] = [
  ['truncated at any offset', M.truncate],
  ['with bytes overwritten (invalid UTF-8, NUL, control characters)', M.flip],
  ['with lines deleted', M.deleteLines],
  ['with a key duplicated (alone or with its block)', M.duplicateKey],
  ['with 1–4 mixed edits (tokens inserted, lines moved, …)', M.mixed],
];

function apply(text: string, m: M.Mutation | M.Mutation[]): string | Uint8Array {
  if (!Array.isArray(m)) return M.mutate(text, m);
  return m.reduce<string>((t, one) => M.mutateText(t, one as Exclude<M.Mutation, { kind: 'flip' }>), text);
}

async function fuzzSeed(seed: Seed, engine: EngineName, ciRuns: number, properties = PROPERTIES) {
  const baseline = await lintsCleanly({ name: `${seed.name} unmutated`, files: seed.files, root: seed.root, engine });
  const original = seed.files[seed.target];
  for (const [label, arb] of properties) {
    await fc.assert(
      fc.asyncProperty(arb, async (m) => {
        const result = await lintsCleanly(withMutated(seed, apply(original, m), label, engine));
        // A JSON document cut before its closing brace does not parse.
        if (!Array.isArray(m) && m.kind === 'truncate' && /\.json$/.test(seed.target) && seed.target === seed.root) {
          const at = m.at % (original.length + 1);
          if (original.slice(0, at).trim() !== '' && at <= original.lastIndexOf('}')) {
            assert.ok(result.findings.some((f) => f.rule === 'parse'), `JSON cut at ${at} of ${original.length} has no parse finding`);
          }
        }
      }),
      fcParams(ciRuns),
    );
  }
  // Nothing a broken document did leaks into the next lint.
  const again = await lintsCleanly({ name: `${seed.name} unmutated again`, files: seed.files, root: seed.root, engine });
  assert.deepEqual(stripDir(again), stripDir(baseline));
}

/** A result without the case folder (each case is written to a folder of its own). */
function stripDir(r: { file: string; findings: { file: string }[]; dependencies: string[] }) {
  const dir = r.file.slice(0, r.file.lastIndexOf('/'));
  const rel = (p: string) => (p.startsWith(dir) ? p.slice(dir.length) : p);
  return { findings: r.findings.map((f) => ({ ...f, file: rel(f.file) })), dependencies: r.dependencies.map(rel) };
}

const ENGINES: EngineName[] = (process.env.HEADROOM_FUZZ_ENGINES?.split(',') as EngineName[] | undefined) ?? ['lean', 'spectral'];

for (const engine of ENGINES) {
  for (const seed of bundled) {
    test(`fuzz ${seed.name} [${engine}]: every mutation lints to a well-formed result`, async () => {
      await fuzzSeed(seed, engine, 12);
    });
  }
}

test('fuzz: a YAML flow collection cut open is a `parse` finding', async () => {
  const yamlSeeds = bundled.filter((s) => /\.ya?ml$/.test(s.target) && s.target === s.root);
  const spots = yamlSeeds.flatMap((seed) => {
    const text = seed.files[seed.target];
    // `{…}` / `[…]` values closed on the same line, outside comments.
    return [...text.matchAll(/(?<=(?::|-) )([{[])[^\n#]*?([}\]])[ \t]*$/gm)].map((m) => ({ seed, open: m.index!, close: m.index! + m[0].trimEnd().length - 1 }));
  });
  assert.ok(spots.length > 10);
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.nat(), async (which, offset) => {
      const { seed, open, close } = spots[which % spots.length];
      const at = open + 1 + (offset % (close - open));
      const result = await lintsCleanly(withMutated(seed, seed.files[seed.target].slice(0, at), `cut at ${at}`, 'lean'));
      assert.ok(result.findings.some((f) => f.rule === 'parse'), `cut at ${at} (inside a flow collection) has no parse finding`);
    }),
    fcParams(10),
  );
});

test('fuzz real specs (small and medium): every mutation lints to a well-formed result', async (t) => {
  if (SHARED_MISSING) return t.skip(SHARED_MISSING);
  // The engine as users get it; the Spectral engine gets the bundled seeds above.
  for (const file of realSmall) await fuzzSeed(realSeed(file), 'lean', 1);
});

test('fuzz real specs (large, 1.5–3.4 MB): cut anywhere, they lint to a well-formed result', async (t) => {
  if (SHARED_MISSING) return t.skip(SHARED_MISSING);
  // One run each (a lint of these takes seconds); more with HEADROOM_FUZZ_RUNS.
  for (const file of realLarge) {
    const seed = realSeed(file);
    await fc.assert(
      fc.asyncProperty(M.truncate, async (m) => {
        await lintsCleanly(withMutated(seed, M.mutate(seed.files[file], m), 'truncated', 'lean'));
      }),
      fcParams(1),
    );
  }
});
