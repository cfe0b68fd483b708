'use strict';

// Starts the service on a free loopback port, asks /healthz and exits 0 only
// if it answers "ok" with the version in package.json. CodeDeploy's
// ValidateService hook runs it against the revision it just installed.

const { createServer } = require('./server');
const { version } = require('../package.json');

async function main() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    const body = await res.json();
    if (res.status !== 200 || body.status !== 'ok' || body.version !== version) {
      throw new Error(`unhealthy: ${res.status} ${JSON.stringify(body)}`);
    }
    console.log(`healthy: node-webapp ${body.version}`);
  } finally {
    server.close();
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exitCode = 1;
});
