// The parse floor: the parser Headroom itself uses (Spectral's range-keeping JSON / YAML parsers,
// through Headroom's own parseDocument), alone, in a fresh process like the linters.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Parsers = require('@stoplight/spectral-parsers');
const file = process.argv[2];
const text = readFileSync(file, 'utf8');
const parser = /\.json$/i.test(file) ? Parsers.Json : Parsers.Yaml;
const result = parser.parse(text);
process.stdout.write(JSON.stringify({ diagnostics: result.diagnostics.length }) + '\n');
