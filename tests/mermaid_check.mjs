// Parse Mermaid charts with Mermaid's own parser (the package GitHub's renderer is built on).
// Reads a JSON array of chart texts on stdin; prints a JSON array of {ok, type} or {ok: false, error}.
// Mermaid needs a DOM to load: jsdom provides one. Run by tests/mermaid_support.py.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String((error && error.message) || error) });
  }
}
process.stdout.write(JSON.stringify(results));
