'use strict';

// Assembles the CodeDeploy bundle in dist/: appspec.yml at the root, the
// application under app/ and the lifecycle hook scripts under hooks/.

const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');

function copy(from, to) {
  fs.cpSync(path.join(root, from), path.join(dist, to), { recursive: true });
}

fs.rmSync(dist, { recursive: true, force: true });
copy('deploy/appspec.yml', 'appspec.yml');
copy('deploy/hooks', 'hooks');
copy('src', 'app/src');
copy('package.json', 'app/package.json');
for (const hook of fs.readdirSync(path.join(dist, 'hooks'))) {
  fs.chmodSync(path.join(dist, 'hooks', hook), 0o755);
}
const { version } = require('../package.json');
fs.writeFileSync(path.join(dist, 'app', 'VERSION'), version + '\n');
console.log(`bundle: dist/ holds node-webapp ${version}`);
