// Runs the bundle (QQ_SYNC_REAL_ENTRY) in this process and, at exit, writes the peak resident
// set size of the process (process.resourceUsage().maxRSS, in KiB) to QQ_SYNC_RSS_FILE.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

process.on('exit', () => {
  if (process.env.QQ_SYNC_RSS_FILE) {
    writeFileSync(process.env.QQ_SYNC_RSS_FILE, String(process.resourceUsage().maxRSS));
  }
});
await import(pathToFileURL(process.env.QQ_SYNC_REAL_ENTRY).href);
