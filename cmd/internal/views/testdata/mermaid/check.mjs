// Usage: node check.mjs FILE... — parses each Mermaid file with mermaid.parse
// (in a jsdom window, no browser). Exits 1 if a file does not parse, and 3
// if the parser itself cannot be loaded (an incomplete npm install).
import fs from 'fs';

let mermaid;
try {
  const { JSDOM } = await import('jsdom');
  const dom = new JSDOM('<!DOCTYPE html><body></body>');
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  mermaid = (await import('mermaid')).default;
  mermaid.initialize({ startOnLoad: false });
} catch (e) {
  console.log('cannot load the Mermaid parser:', String(e.message || e));
  process.exit(3);
}

let failed = 0;
for (const f of process.argv.slice(2)) {
  const src = fs.readFileSync(f, 'utf8');
  try {
    const r = await mermaid.parse(src);
    console.log('ok', f, r.diagramType);
  } catch (e) {
    failed++;
    console.log('FAIL', f, String(e.message || e).slice(0, 300));
  }
}
process.exit(failed ? 1 : 0);
