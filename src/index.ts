/** The entry point the runner starts (`node dist/index.js`). All logic is in main.ts. */
import { run } from './main.js';

await run();
