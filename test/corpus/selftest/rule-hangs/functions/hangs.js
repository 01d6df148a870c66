// Corpus self-test: a rule function that never returns.
module.exports = function hangs() {
  for (;;);
};
