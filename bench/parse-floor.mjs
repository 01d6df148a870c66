// The parse floor, alone, in a fresh process like the linters:
//   node bench/parse-floor.mjs <spec>            the parser Headroom itself uses: JSON.parse, or
//                                               Spectral's range-keeping YAML parser with Headroom's
//                                               options (src/core/lean/incrementalYaml.ts)
//   node bench/parse-floor.mjs <spec> --fastest  the fastest parser: JSON.parse, or js-yaml (no ranges)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const file = process.argv[2];
const fastest = process.argv.includes('--fastest');
const text = readFileSync(file, 'utf8');
let keys = 0;
if (/\.json$/i.test(file)) {
  keys = Object.keys(JSON.parse(text)).length;
} else if (fastest) {
  keys = Object.keys(require('js-yaml').load(text) ?? {}).length;
} else {
  const { parseWithPointers } = require('@stoplight/yaml');
  const parsed = parseWithPointers(text, { ignoreDuplicateKeys: false, mergeKeys: true, preserveKeyOrder: false, attachComments: false });
  keys = Object.keys(parsed.data ?? {}).length;
}
process.stdout.write(JSON.stringify({ keys }) + '\n');
