/**
 * The entry point the runner starts (`node dist/index.js`). All logic is in main.ts, loaded
 * after Node's compile cache is on so that the bundle's code is compiled from the cache.
 */
import { enableCompileCache } from './compile-cache.js';

const cacheDir = enableCompileCache(process.env);
const [{ run }, core, { logCommandsTo }] = await Promise.all([
  import('./main.js'),
  import('@actions/core'),
  import('./exec/run.js'),
]);
if (core.isDebug()) {
  // Step debug logging (ACTIONS_STEP_DEBUG): every command line, from src/exec/run.ts.
  logCommandsTo(core.debug);
  core.debug(
    `Node ${process.version}; compile cache: ${cacheDir ?? 'off (Node before 22.1, NODE_DISABLE_COMPILE_CACHE set, or no private directory for it)'}`,
  );
}
await run();
