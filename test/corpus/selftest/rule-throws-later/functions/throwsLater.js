// Corpus self-test: a rule function that throws from a timer, outside any try.
module.exports = function throwsLater() {
  setTimeout(() => {
    throw new Error('selftest: thrown from a timer');
  });
  return [];
};
