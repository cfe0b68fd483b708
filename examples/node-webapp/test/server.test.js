'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createServer } = require('../src/server');
const { version } = require('../package.json');

// get starts the server on a free loopback port, requests path and returns
// the status and body.
async function get(path) {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address();
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: await res.text() };
  } finally {
    server.close();
  }
}

test('GET / greets', async () => {
  const { status, body } = await get('/?name=pipeform');
  assert.equal(status, 200);
  assert.equal(body, 'Hello, pipeform!\n');
});

test('GET /healthz reports the version', async () => {
  const { status, body } = await get('/healthz');
  assert.equal(status, 200);
  assert.deepEqual(JSON.parse(body), { status: 'ok', version });
});

test('unknown paths are 404', async () => {
  const { status } = await get('/nope');
  assert.equal(status, 404);
});
