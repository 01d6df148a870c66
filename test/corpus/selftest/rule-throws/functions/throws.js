// Corpus self-test: a rule function that throws.
module.exports = function throws() {
  throw new Error('selftest: this rule function throws');
};
