// Preloaded (`node --require`) into the real CLI / language server by confinement.test.ts: every
// file the process opens whose path contains HEADROOM_WATCH is appended to HEADROOM_READ_LOG, so a
// test can prove that not a byte of a refused file was read.
'use strict';
const fs = require('fs');
const watch = process.env.HEADROOM_WATCH;
const log = process.env.HEADROOM_READ_LOG;
if (watch && log) {
  const note = (p, how) => {
    const s = p instanceof URL ? p.pathname : String(p);
    if (s.includes(watch)) fs.appendFileSync(log, `${how} ${s}\n`);
  };
  for (const name of ['readFileSync', 'openSync', 'readFile', 'open', 'createReadStream']) {
    const original = fs[name];
    fs[name] = function (p, ...rest) {
      note(p, name);
      return original.call(this, p, ...rest);
    };
  }
  for (const name of ['readFile', 'open']) {
    const original = fs.promises[name];
    fs.promises[name] = function (p, ...rest) {
      note(p, `promises.${name}`);
      return original.call(this, p, ...rest);
    };
  }
}
