// Corpus self-test: a rule function whose result makes Spectral throw outside the rule guard.
module.exports = function badResult() {
  return 42;
};
