/**
 * The `yaml` library's side of the info-file reader, loaded only for text that plain-yaml.ts
 * does not read: the text to values as PyYAML's SafeLoader reads it (YAML 1.2 core schema, no
 * custom tags, bounded alias expansion), and the source text of its plain scalars. The text is
 * checked before (reader.ts checkYamlText).
 */
import { type Document, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { errorMessage } from '../../util/errors.js';
import { QQError } from '../errors.js';
import { MAX_YAML_ALIAS_COUNT } from './limits.js';
import { parseInfoData } from './parse.js';
import type { Path } from './reader.js';
import type { InfoFile } from './types.js';

/** First line of a yaml package message, without the trailing `:` and the source excerpt. */
function yamlMessage(e: unknown): string {
  const raw = errorMessage(e);
  let first = raw.split('\n', 1)[0] ?? raw;
  first = first.replace(/:\s*$/, '').replace(/\.$/, '');
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

/**
 * The text's values (mappings as Maps) and the source of its plain scalars. Throws QQError
 * `Failed to parse YAML in <path>: …` for text PyYAML's SafeLoader would refuse.
 */
export function loadYaml(
  text: string,
  path: string,
): { data: unknown; sourceOf: (at: Path) => string | undefined } {
  const fail = (detail: string) => new QQError(`Failed to parse YAML in ${path}: ${detail}.`);
  try {
    const doc = parseDocument(text, {
      version: '1.2',
      schema: 'core',
      resolveKnownTags: false,
      merge: true,
      uniqueKeys: false,
      strict: true,
      prettyErrors: true,
    });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw fail(yamlMessage(problem));
    const data = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT, mapAsMap: true });
    const nodes = new DocNodes(doc);
    return { data, sourceOf: (at) => nodes.plainSource(at) };
  } catch (e) {
    if (e instanceof QQError) throw e;
    throw fail(yamlMessage(e));
  }
}

/** The parse of any info file, with the library where plain-yaml.ts steps aside. */
export function parseInfoFile(text: string, path: string): InfoFile {
  return parseInfoData(text, path, loadYaml) as InfoFile;
}

/** The document's nodes by path, following aliases; the last of duplicate keys, like toJS. */
class DocNodes {
  private readonly keyIndex = new WeakMap<object, Map<string, unknown>>();
  private readonly aliases = new WeakMap<object, unknown>();

  constructor(private readonly doc: Document.Parsed) {}

  /** The source text of the plain scalar at a path (a number or boolean as written). */
  plainSource(path: Path): string | undefined {
    const n = this.node(path);
    if (isScalar(n) && n.type === 'PLAIN' && typeof n.source === 'string' && n.source !== '') {
      return n.source;
    }
    return undefined;
  }

  /** The AST node at a path, following aliases; the last of duplicate keys, like toJS. */
  private node(path: Path): unknown {
    let node: unknown = this.resolveAlias(this.doc.contents);
    for (const key of path) {
      if (isMap(node)) {
        node = this.resolveAlias(this.indexOf(node).get(String(key)));
      } else if (isSeq(node) && typeof key === 'number') {
        node = this.resolveAlias(node.items[key]);
      } else {
        return undefined;
      }
    }
    return node;
  }

  /** A mapping's values by key, built once per mapping so that many lookups stay linear. */
  private indexOf(map: { items: { key: unknown; value: unknown }[] }): Map<string, unknown> {
    let index = this.keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? pair.key.value : undefined;
        if (k !== null && k !== undefined && typeof k !== 'object')
          index.set(String(k), pair.value);
      }
      this.keyIndex.set(map, index);
    }
    return index;
  }

  private resolveAlias(node: unknown): unknown {
    if (!isAlias(node)) return node;
    if (!this.aliases.has(node)) this.aliases.set(node, node.resolve(this.doc));
    return this.aliases.get(node);
  }
}
