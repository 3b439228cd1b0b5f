// A preload (`node --import`) for test/e2e/startup.test.ts: at exit, writes the Node built-in
// modules the process loaded (process.moduleLoadList, without those Node had loaded before the
// entry ran) to QQ_SYNC_MODULES_FILE, one per line.
import { writeFileSync } from 'node:fs';

const before = new Set(process.moduleLoadList);
process.on('exit', () => {
  const loaded = process.moduleLoadList
    .filter((m) => !before.has(m) && m.startsWith('NativeModule '))
    .map((m) => m.slice('NativeModule '.length));
  if (process.env.QQ_SYNC_MODULES_FILE)
    writeFileSync(process.env.QQ_SYNC_MODULES_FILE, loaded.join('\n'));
});
