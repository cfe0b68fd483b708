'use strict';

// A small, dependency-free linter: the team's house rules, checked on every
// push. Usage: node scripts/lint.js PATH... ; exits 1 when it finds problems.

const fs = require('node:fs');
const path = require('node:path');

const MAX_LINE = 100;

const isJS = (file) => file.endsWith('.js');

const rules = [
  { message: 'trailing whitespace', test: (line) => /[ \t]+$/.test(line) },
  { message: 'indent with spaces, not tabs', test: (line) => /^\t/.test(line) },
  { message: `longer than ${MAX_LINE} characters`, test: (line) => line.length > MAX_LINE },
  { message: 'use const or let, not var', test: (line, f) => isJS(f) && /^\s*var\s/.test(line) },
  { message: 'use === and !==', test: (line, f) => isJS(f) && /[^=!]={2}[^=]/.test(line) },
];

// walk lists the lintable files under p (or p itself), in name order.
function walk(p) {
  if (!fs.statSync(p).isDirectory()) {
    return [p];
  }
  const out = [];
  const entries = fs.readdirSync(p, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(p, entry.name);
    if (entry.isDirectory()) {
      out.push(...walk(full));
    } else if (/\.(js|sh|yml)$/.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

// lint returns the problems in one file's text as "file:line: message".
function lint(file, text) {
  const problems = [];
  const lines = text.split('\n');
  if (isJS(file) && !text.startsWith("'use strict';")) {
    problems.push(`${file}:1: missing 'use strict'`);
  }
  if (text.length > 0 && !text.endsWith('\n')) {
    problems.push(`${file}:${lines.length}: no newline at end of file`);
  }
  lines.forEach((line, i) => {
    for (const rule of rules) {
      if (rule.test(line, file)) {
        problems.push(`${file}:${i + 1}: ${rule.message}`);
      }
    }
  });
  return problems;
}

function main(args) {
  if (args.length === 0) {
    console.error('usage: node scripts/lint.js PATH...');
    return 2;
  }
  const files = args.flatMap(walk);
  const problems = files.flatMap((f) => lint(f, fs.readFileSync(f, 'utf8')));
  for (const p of problems) {
    console.log(p);
  }
  console.log(`lint: ${files.length} files, ${problems.length} problems`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

module.exports = { lint };
