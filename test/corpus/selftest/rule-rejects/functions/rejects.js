// Corpus self-test: a rule function that leaves a rejected promise unhandled.
module.exports = function rejects() {
  Promise.reject(new Error('selftest: nobody handles this rejection'));
  return [];
};
