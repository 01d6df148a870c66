// Corpus self-test: a rule function that ends the process (as an out-of-memory abort would).
module.exports = function exits() {
  process.exit(3);
};
