'use strict';

const http = require('node:http');
const { greeting } = require('./greeting');
const { version } = require('../package.json');

// handle answers one request. It is exported so the tests can call it
// through a real server on a free port.
function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', version }));
    return;
  }
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(greeting(url.searchParams.get('name')) + '\n');
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}

function createServer() {
  return http.createServer(handle);
}

if (require.main === module) {
  const port = Number(process.env.PORT || 8080);
  createServer().listen(port, () => {
    console.log(`node-webapp ${version} listening on :${port}`);
  });
}

module.exports = { createServer, handle };
