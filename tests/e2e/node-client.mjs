// A plain JavaScript automerge-repo client: reads a Hindsight postmortem from
// the sync server, prints it as JSON, and makes an edit of its own.
// Usage: node node-client.mjs ws://127.0.0.1:3035 automerge:<id> "text to prepend to the summary"
import { Repo } from '@automerge/automerge-repo';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { next as A } from '@automerge/automerge';

const [server, url, prefix] = process.argv.slice(2);
const repo = new Repo({ network: [new BrowserWebSocketClientAdapter(server)] });
const handle = repo.find(url);
const timeout = setTimeout(() => { console.error('timed out'); process.exit(2); }, 20000);
const doc = await handle.doc();
console.log(JSON.stringify({ title: doc.title, summary: doc.summary, entries: doc.timeline.map((e) => e.text) }));
if (prefix) {
  handle.change((d) => A.splice(d, ['summary'], 0, 0, prefix));
  // Give the change time to reach the server.
  await new Promise((r) => setTimeout(r, 1500));
}
clearTimeout(timeout);
process.exit(0);
