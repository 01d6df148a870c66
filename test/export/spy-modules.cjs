// Preloaded (`node --require`) into the built CLI by parse-once.test.ts: prints on exit which of
// Headroom's lazily loaded bundles (spectral-vendor) the process loaded, and how often each spec
// file was read, so the test can prove an export parses like the lint (no Spectral) and reads once.
'use strict';
const Module = require('module');
const fs = require('fs');
const loaded = new Set();
const original = Module._load;
Module._load = function (request, ...rest) {
  if (/spectral-vendor/.test(request)) loaded.add('spectral-vendor');
  return original.call(this, request, ...rest);
};
// A spec file is read through a descriptor (src/openapi/files.ts readRegularFile: open, check,
// read): each open of a spec path counts as one read, and so does a read by path.
const reads = {};
const count = (p) => {
  const s = String(p);
  if (/\.(ya?ml|json)$/.test(s) && !s.includes('node_modules')) reads[s] = (reads[s] ?? 0) + 1;
};
const readFileSync = fs.readFileSync;
fs.readFileSync = function (p, ...rest) {
  if (typeof p !== 'number') count(p);
  return readFileSync.call(this, p, ...rest);
};
const openSync = fs.openSync;
fs.openSync = function (p, ...rest) {
  count(p);
  return openSync.call(this, p, ...rest);
};
process.on('exit', () => process.stderr.write(`\nSPY ${JSON.stringify({ loaded: [...loaded], reads })}\n`));
