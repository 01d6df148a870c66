/**
 * The tree the `validate` rule validates (rules/functions/lib/validation/inline.ts): each `$ref`
 * replaced by its target at its first use, later uses left as they are, the objects on the way to
 * a replaced `$ref` copied and everything else the input's own (copying GitHub's 13 MB spec cost
 * more than validating it); the input is never modified.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inlineFirstUse } from '../rules/functions/lib/validation/inline';

type Node = Record<string, any>;

test('inlineFirstUse: a $ref replaced at its first use only; what holds no $ref to replace is shared, not copied; the input unchanged', () => {
  const ok = { description: 'ok', content: { 'application/json': { schema: { type: 'string' } } } };
  const input: Node = {
    openapi: '3.0.3',
    info: { title: 'T', version: '1' },
    paths: {
      '/a': { get: { responses: { 200: { $ref: '#/components/responses/Ok' } } } },
      '/b': { get: { responses: { 200: { $ref: '#/components/responses/Ok' } }, parameters: [{ name: 'q', in: 'query' }] } },
    },
    components: { responses: { Ok: ok } },
  };
  const before = structuredClone(input);
  const tree = inlineFirstUse(input, '/s.json', (file) => (file === '/s.json' ? input : undefined)) as Node;
  assert.deepEqual(input, before, 'the input is not modified');
  assert.deepEqual({ ...tree }, { ...before, paths: { ...before.paths, '/a': { get: { responses: { 200: before.components.responses.Ok } } } } });
  // Identity: the target itself stands at its first use; the way to it is new; the rest is the input's.
  assert.equal(tree.paths['/a'].get.responses[200], ok);
  assert.notEqual(tree.paths, input.paths);
  assert.notEqual(tree.paths['/a'], input.paths['/a']);
  assert.equal(tree.paths['/b'], input.paths['/b'], 'a later use stays a $ref: nothing on that path changes');
  assert.equal(tree.info, input.info);
  assert.equal(tree.components, input.components);
});

test('inlineFirstUse: an object with a key named __proto__ is copied as before (the key becomes its prototype, as in Spectral\'s parse)', () => {
  const input = JSON.parse('{"info": {"__proto__": {"y": 1}, "title": "T"}}') as Node;
  const tree = inlineFirstUse(input, '/s.json', (file) => (file === '/s.json' ? input : undefined)) as Node;
  assert.notEqual(tree.info, input.info);
  assert.deepEqual(Object.keys(tree.info), ['title']);
  assert.deepEqual(Object.getPrototypeOf(tree.info), { y: 1 });
});
