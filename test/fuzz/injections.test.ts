/**
 * Properties over the structure of the bundled specs (test/fixtures/fuzz): at a random node,
 *  - a `$ref` to a missing file is a `ref` finding exactly at that `$ref`'s value;
 *  - a `$ref` cycle (to itself, to an ancestor or the whole document, through another node, or
 *    through another file) lints to a well-formed result: no hang, no crash;
 *  - values nested up to 3,000 levels lint to a well-formed result, with a `parse` finding once
 *    they pass MAX_NESTING levels.
 * Each spec is read, changed as data, and written back (JSON or YAML), so the node can be anywhere.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { MAX_NESTING } from '../../src/openapi/nesting';
import { describeFailure, fcParams, FIXTURES, LintWorker, rangeText, type Case } from './harness';

type Seg = string | number;
type Engine = NonNullable<Case['engine']>;

const worker = new LintWorker();
after(() => worker.close());

interface Spec {
  name: string;
  file: string;
  data: unknown;
  /** Paths of every object or array below the root. */
  nodes: Seg[][];
}

function load(name: string, file: string): Spec {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  const data = file.endsWith('.json') ? JSON.parse(text) : parse(text);
  const nodes: Seg[][] = [];
  const walk = (node: unknown, path: Seg[]) => {
    if (node === null || typeof node !== 'object') return;
    if (path.length > 0) nodes.push(path);
    for (const [k, v] of Object.entries(node)) walk(v, [...path, Array.isArray(node) ? Number(k) : k]);
  };
  walk(data, []);
  return { name, file, data, nodes };
}

const specs = [load('zoo (JSON)', 'zoo.v31.json'), load('farm (YAML)', 'farm.v2.yaml')];

function setAt(data: unknown, path: Seg[], value: unknown): unknown {
  const copy = structuredClone(data) as any;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg];
  node[path[path.length - 1]] = value;
  return copy;
}

function pointer(path: Seg[]): string {
  return '#' + path.map((s) => '/' + encodeURIComponent(String(s).replace(/~/g, '~0').replace(/\//g, '~1'))).join('');
}

function write(spec: Spec, data: unknown): string {
  return spec.file.endsWith('.json') ? JSON.stringify(data, null, 2) : stringify(data);
}

async function lintsCleanly(c: Case) {
  const { outcome, written, problems } = await worker.run(c);
  if (problems.length > 0) assert.fail(describeFailure(c, written, problems));
  assert.ok(outcome.kind === 'ok');
  return { result: outcome.result, written };
}

const pick = (spec: Spec) => fc.nat().map((n) => spec.nodes[n % spec.nodes.length]);

for (const spec of specs) {
  for (const engine of ['lean', 'spectral'] as Engine[]) {
    test(`${spec.name} [${engine}]: a $ref to a missing file at any node is a \`ref\` finding at that $ref`, async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(pick(spec), async (path) => {
          const target = `./missing-${++n}.yaml#/Nothing`;
          const text = write(spec, setAt(spec.data, path, { $ref: target }));
          const { result, written } = await lintsCleanly({ name: `${spec.name} dangling at ${path.join('.')}`, files: { [spec.file]: text }, engine });
          const refs = result.findings.filter((f) => f.rule === 'ref' && f.message.includes(`missing-${n}.yaml`));
          assert.equal(refs.length, 1, `${path.join('.')}: ${JSON.stringify(result.findings.filter((f) => f.rule === 'ref'))}`);
          assert.match(rangeText(refs[0], written.texts.get(written.root)!), new RegExp(`^["']?${target.replace(/[.#/]/g, '\\$&')}["']?$`));
          assert.deepEqual(refs[0].path, [...path, '$ref']);
        }),
        fcParams(25),
      );
    });

    test(`${spec.name} [${engine}]: a $ref cycle at any node lints to a well-formed result`, async () => {
      const cycle = fc.record({
        at: pick(spec),
        other: pick(spec),
        kind: fc.constantFrom('self', 'ancestor', 'other', 'two-step', 'two-files'),
        up: fc.nat(),
      });
      await fc.assert(
        fc.asyncProperty(cycle, async ({ at, other, kind, up }) => {
          let data: unknown;
          const files: Record<string, string> = {};
          if (kind === 'self') data = setAt(spec.data, at, { $ref: pointer(at) });
          else if (kind === 'ancestor') data = setAt(spec.data, at, { $ref: pointer(at.slice(0, up % at.length)) });
          else if (kind === 'other') data = setAt(spec.data, at, { $ref: pointer(other) });
          else if (kind === 'two-step') {
            const inside = other.length > at.length && at.every((s, i) => s === other[i]);
            data = setAt(spec.data, at, { $ref: pointer(other) });
            if (!inside) data = setAt(data, other, { $ref: pointer(at) });
          } else {
            data = setAt(spec.data, at, { $ref: `./other.yaml#/x` });
            files['other.yaml'] = stringify({ x: { $ref: `./${spec.file}${pointer(other)}` } });
          }
          await lintsCleanly({ name: `${spec.name} ${kind} cycle at ${at.join('.')}`, files: { [spec.file]: write(spec, data), ...files }, engine });
        }),
        fcParams(25),
      );
    });
  }

  test(`${spec.name}: values nested up to 3,000 levels (or 8,000) at any node lint to a well-formed result`, async () => {
    const json = spec.file.endsWith('.json');
    await fc.assert(
      fc.asyncProperty(pick(spec), fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.constant(8000)), fc.boolean(), async (path, depth, maps) => {
        const text = write(spec, setAt(spec.data, path, '__DEEP__'));
        const open = maps ? '{"a": ' : '[';
        const close = maps ? '}' : ']';
        const deep = open.repeat(depth) + '1' + close.repeat(depth);
        const mutated = text.replace(/"__DEEP__"|__DEEP__/, () => deep);
        const { result } = await lintsCleanly({ name: `${spec.name} ${depth} deep at ${path.join('.')}`, files: { [spec.file]: mutated }, engine: 'spectral' });
        // JSON is cut at MAX_NESTING levels; YAML when its parser runs out of stack (surely at 8,000 levels).
        if (json ? depth + path.length > MAX_NESTING : depth >= 8000) {
          assert.ok(result.findings.some((f) => f.rule === 'parse' && /nest deeper than 1,000 levels/.test(f.message)), `${depth} levels at ${path.join('.')}: no parse finding`);
        }
      }),
      fcParams(15),
    );
  });
}
