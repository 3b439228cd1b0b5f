export const id = 790;
export const ids = [790];
export const modules = {

/***/ 8790:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loadYaml: () => (/* binding */ loadYaml),
/* harmony export */   parseInfoFile: () => (/* binding */ parseInfoFile)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(17);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(241);
/* harmony import */ var _limits_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8993);
/* harmony import */ var _parse_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1798);
/**
 * The `yaml` library's side of the info-file reader, loaded only for text that plain-yaml.ts
 * does not read: the text to values as PyYAML's SafeLoader reads it (YAML 1.2 core schema, no
 * custom tags, bounded alias expansion), and the source text of its plain scalars. The text is
 * checked before (reader.ts checkYamlText).
 */





/** First line of a yaml package message, without the trailing `:` and the source excerpt. */
function yamlMessage(e) {
    const raw = (0,_util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .g)(e);
    let first = raw.split('\n', 1)[0] ?? raw;
    first = first.replace(/:\s*$/, '').replace(/\.$/, '');
    return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}
/**
 * The text's values (mappings as Maps) and the source of its plain scalars. Throws QQError
 * `Failed to parse YAML in <path>: …` for text PyYAML's SafeLoader would refuse.
 */
function loadYaml(text, path) {
    const fail = (detail) => new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .QQError */ .V(`Failed to parse YAML in ${path}: ${detail}.`);
    try {
        const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseDocument */ .Tp)(text, {
            version: '1.2',
            schema: 'core',
            resolveKnownTags: false,
            merge: true,
            uniqueKeys: false,
            strict: true,
            prettyErrors: true,
        });
        const problem = doc.errors[0] ?? doc.warnings[0];
        if (problem)
            throw fail(yamlMessage(problem));
        const data = doc.toJS({ maxAliasCount: _limits_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_YAML_ALIAS_COUNT */ .sA, mapAsMap: true });
        const nodes = new DocNodes(doc);
        return { data, sourceOf: (at) => nodes.plainSource(at) };
    }
    catch (e) {
        if (e instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .QQError */ .V)
            throw e;
        throw fail(yamlMessage(e));
    }
}
/** The parse of any info file, with the library where plain-yaml.ts steps aside. */
function parseInfoFile(text, path) {
    return (0,_parse_js__WEBPACK_IMPORTED_MODULE_2__/* .parseInfoData */ .Ib)(text, path, loadYaml);
}
/** The document's nodes by path, following aliases; the last of duplicate keys, like toJS. */
class DocNodes {
    doc;
    keyIndex = new WeakMap();
    aliases = new WeakMap();
    constructor(doc) {
        this.doc = doc;
    }
    /** The source text of the plain scalar at a path (a number or boolean as written). */
    plainSource(path) {
        const n = this.node(path);
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(n) && n.type === 'PLAIN' && typeof n.source === 'string' && n.source !== '') {
            return n.source;
        }
        return undefined;
    }
    /** The AST node at a path, following aliases; the last of duplicate keys, like toJS. */
    node(path) {
        let node = this.resolveAlias(this.doc.contents);
        for (const key of path) {
            if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(node)) {
                node = this.resolveAlias(this.indexOf(node).get(String(key)));
            }
            else if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(node) && typeof key === 'number') {
                node = this.resolveAlias(node.items[key]);
            }
            else {
                return undefined;
            }
        }
        return node;
    }
    /** A mapping's values by key, built once per mapping so that many lookups stay linear. */
    indexOf(map) {
        let index = this.keyIndex.get(map);
        if (!index) {
            index = new Map();
            for (const pair of map.items) {
                const k = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(pair.key) ? pair.key.value : undefined;
                if (k !== null && k !== undefined && typeof k !== 'object')
                    index.set(String(k), pair.value);
            }
            this.keyIndex.set(map, index);
        }
        return index;
    }
    resolveAlias(node) {
        if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isAlias */ .Vj)(node))
            return node;
        if (!this.aliases.has(node))
            this.aliases.set(node, node.resolve(this.doc));
        return this.aliases.get(node);
    }
}


/***/ })

};
