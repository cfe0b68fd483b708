'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { lint } = require('../scripts/lint');

// Written this way so the linter does not flag its own test.
const LOOSE = '='.repeat(2);

test('clean code passes', () => {
  assert.deepEqual(lint('a.js', "'use strict';\n\nconst x = 1;\n"), []);
});

test('house rules are reported with their line', () => {
  const text = `'use strict';\nvar x = 1; \nif (x ${LOOSE} 2) {}\n`;
  assert.deepEqual(lint('a.js', text), [
    'a.js:2: trailing whitespace',
    'a.js:2: use const or let, not var',
    'a.js:3: use === and !==',
  ]);
});

test('shell scripts skip the JavaScript rules', () => {
  assert.deepEqual(lint('a.sh', `#!/bin/sh\nvar=1\n[ "$a" ${LOOSE} "b" ]\n`), []);
});
