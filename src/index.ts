/**
 * The entry point the runner starts (`node dist/index.js`). All logic is in main.ts, loaded
 * after Node's compile cache is on so that the bundle's code is compiled from the cache.
 */
import { enableCompileCache, flushCompileCache } from './compile-cache.js';

const cacheDir = enableCompileCache(process.env);
// One import each, destructured: so the bundler sees which exports are used (a whole
// namespace would keep all of @actions/core, its OIDC client and undici among them).
const { run } = await import('./main.js');
const { isDebug, debug } = await import('@actions/core');
if (isDebug()) {
  // Step debug logging (ACTIONS_STEP_DEBUG): every command line, from src/exec/run.ts.
  const { logCommandsTo } = await import('./exec/run.js');
  logCommandsTo(debug);
  debug(
    `Node ${process.version}; compile cache: ${cacheDir ?? 'off (Node before 22.1, NODE_DISABLE_COMPILE_CACHE set, or no private directory for it)'}`,
  );
}
await run();
// The outputs and the summary are written and the locks released: end now, whatever a library
// still holds — @actions/cache waiting on a service that never answers keeps a socket open for
// ever, and the runner waits for this process. process.exit() keeps process.exitCode.
flushCompileCache();
process.exit();
