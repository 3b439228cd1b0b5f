/** The built-in copier (rsync -rltD for a local copy without rsync): see copier/index.ts. */
export {
  type CopyOptions,
  type CopyOutcome,
  copyTree,
  removeTempFilesNow,
} from './copier/index.js';
