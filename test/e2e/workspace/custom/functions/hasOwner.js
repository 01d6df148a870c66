// A workspace's own rule function: JavaScript that Headroom runs only in a trusted workspace.
module.exports = function hasOwner(operation) {
  if (operation && typeof operation === 'object' && typeof operation['x-owner'] === 'string') return [];
  return [{ message: 'The operation names no owner (x-owner).' }];
};
