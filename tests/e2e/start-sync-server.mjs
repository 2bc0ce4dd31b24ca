// Starts the stock @automerge/automerge-repo-sync-server (from node_modules) on
// the given port with its storage in a fresh temporary folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.PORT = process.argv[2] || '3035';
process.env.DATA_DIR = process.env.DATA_DIR || mkdtempSync(join(tmpdir(), 'hindsight-amrg-'));
console.log(`sync server storage: ${process.env.DATA_DIR}`);
await import('@automerge/automerge-repo-sync-server/src/index.js');
