'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { greeting } = require('../src/greeting');

test('greets the world by default', () => {
  assert.equal(greeting(), 'Hello, world!');
  assert.equal(greeting('   '), 'Hello, world!');
});

test('greets by name', () => {
  assert.equal(greeting('Ada'), 'Hello, Ada!');
});

test('limits long names', () => {
  assert.equal(greeting('x'.repeat(100)), `Hello, ${'x'.repeat(40)}!`);
});
