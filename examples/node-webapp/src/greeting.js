'use strict';

// greeting builds the text the service answers with. Names are trimmed and
// limited to 40 characters so a request cannot make the page arbitrarily long.
function greeting(name) {
  const clean = String(name || '').trim().slice(0, 40);
  if (clean === '') {
    return 'Hello, world!';
  }
  return `Hello, ${clean}!`;
}

module.exports = { greeting };
