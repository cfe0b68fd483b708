// Usage: node check.mjs FILE... — parses each Mermaid file with mermaid.parse
// (in a jsdom window, no browser) and exits 1 if any fails.
import { JSDOM } from 'jsdom';
import fs from 'fs';
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let failed = 0;
for (const f of process.argv.slice(2)) {
  const src = fs.readFileSync(f, 'utf8');
  try { const r = await mermaid.parse(src); console.log('ok', f, r.diagramType); }
  catch (e) { failed++; console.log('FAIL', f, String(e.message || e).slice(0, 300)); }
}
process.exit(failed ? 1 : 0);
