import { type Path, pyType, type Reader } from '../reader.js';

/** The interpreter of the script (v0.10: a string; newer: a mapping). */
export interface Interpreter {
  executable: string;
  arguments: string[];
}

/** `interpreter` in either form; a mapping without `executable` is qq's default, `bash`. */
export function readInterpreter(r: Reader, v: unknown, path: Path): Interpreter {
  if (typeof v === 'string') {
    const [executable, ...args] = v.split(/\s+/).filter((p) => p !== '');
    if (executable === undefined) throw r.invalid("Field 'interpreter' is empty");
    return { executable, arguments: args };
  }
  if (v instanceof Map) {
    for (const k of v.keys()) {
      if (k !== 'executable' && k !== 'arguments') {
        throw r.invalid(`Field 'interpreter' has an unexpected key '${String(k)}'`);
      }
    }
    const exe = v.get('executable');
    if (exe === null || exe === undefined) return { executable: 'bash', arguments: [] };
    return {
      executable: r.str(exe, [...path, 'executable'], 'interpreter.executable'),
      arguments: r.strList(v.get('arguments'), [...path, 'arguments'], 'interpreter.arguments'),
    };
  }
  throw r.invalid(`Field 'interpreter' must be a str or a dict, got ${pyType(v)}`);
}
