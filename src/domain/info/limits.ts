/** Bounds on what the info-file reader accepts from an untrusted file. */

/** Largest info file we read (bytes). qq writes about 1 KiB. */
export const MAX_INFO_FILE_BYTES = 1024 * 1024;
/** Most alias expansions allowed while building values (the yaml package's own default). */
export const MAX_YAML_ALIAS_COUNT = 100;
/** Deepest flow nesting (`[`/`{`) accepted before the YAML parser sees the text. */
export const MAX_YAML_NESTING = 64;
