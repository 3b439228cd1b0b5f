export const id = 405;
export const ids = [405,857];
export const modules = {

/***/ 2696:
/***/ ((module) => {



/**
 * @import {
 * 	ControlOperator,
 * 	Env,
 * 	GlobPattern,
 * 	ParseEntry,
 * } from './parse' */

// '<(' and '>(' are process substitution operators and
// can be parsed the same as control operator
var CONTROL = /** @type {const} */ ('(?:') + /** @type {const} */ ([
	'\\|\\|',
	'\\&(?:\\&|>>?)', // `&&`, `&>`, and `&>>`
	';;\\&?', // `;;` and `;;&`
	'[;|]\\&', // `;&` and `|&`
	'\\<\\(',
	'\\<\\<\\<',
	'\\<\\<-',
	'\\<\\<(?!\\()', // `<<(` stays `<` and `<(`, as zsh reads it; other shells reject it
	'>>',
	'>[&|(]', // `>&`, `>|`, and `>(`
	'<[&>]', // `<&` and `<>`
	'[&;()|<>]'
]).join(/** @type {const} */ ('|')) + /** @type {const} */ (')');
var controlRE = new RegExp('^' + CONTROL + '$');
var META = /** @type {const} */ ('|&;()<> \\t');
var SINGLE_QUOTE = /** @type {const} */ ('\'([^\']*?)\'');
// bash ANSI-C quoting, `$'...'`: a backslash escapes the next character, including `'`
var ANSI_C_BODY = '(?:\\\\[\\s\\S]|[^\\\\\'])*?';
var ANSI_C_QUOTE = '\\$\'' + ANSI_C_BODY + '\'';
var ansiCAt = new RegExp('\\$\'' + ANSI_C_BODY + '(?:(\')|\\\\?$)', 'g');
var ANSI_C_LETTERS = 'abeEfnrtv';
var ANSI_C_CHARS = '\x07\b\x1B\x1B\f\n\r\t\v';
var hash = /^#$/;

var SQ = /** @type {const} */ ("'");
var DQ = /** @type {const} */ ('"');
var DS = /** @type {const} */ ('$');

var TOKEN = '';
var mult = /** @type {const} */ (0x100000000); // Math.pow(16, 8);
for (var i = 0; i < 4; i++) {
	TOKEN += (mult * Math.random()).toString(16);
}
var startsWithToken = new RegExp('^' + TOKEN);

/**
 * @param {string} s
 * @param {RegExp} r
 */
function matchAll(s, r) {
	var origIndex = r.lastIndex;

	var matches = [];
	var matchObj;

	while ((matchObj = r.exec(s))) {
		matches[matches.length] = matchObj;
		if (r.lastIndex === matchObj.index) {
			r.lastIndex += 1;
		}
	}

	r.lastIndex = origIndex;

	return matches;
}

/**
 * @param {Env} env
 * @param {string} pre
 * @param {string} key
 */
function getVar(env, pre, key) {
	var r = typeof env === 'function' ? env(key) : env[key];
	if (typeof r === 'undefined' && key != '') {
		r = '';
	} else if (typeof r === 'undefined') {
		r = '$';
	}

	if (typeof r === 'object') {
		return pre + TOKEN + JSON.stringify(r) + TOKEN;
	}
	return pre + r;
}

var ansiCEscape = /\\([0-7]{1,3}|x[\dA-Fa-f]{1,2}|u[\dA-Fa-f]{1,4}|U[\dA-Fa-f]{1,8}|c(?:\\\\|[\s\S])|[abeEfnrtv\\'"?])/g;

/**
 * @param {string} m
 * @param {string} escape
 */
function expandAnsiCEscape(m, escape) {
	var kind = escape.charAt(0);
	if (kind === 'c') {
		var ctrl = escape.charAt(1);
		return ctrl === '?' ? '\x7F' : String.fromCharCode(ctrl.charCodeAt(0) & 0x1F);
	}
	if (kind === 'x' || kind === 'u' || kind === 'U') {
		var cp = parseInt(escape.slice(1), 16);
		if (cp > 0x10FFFF) {
			return m;
		}
		return String.fromCharCode.apply(null, cp > 0xFFFF ? [0xD7C0 + (cp >> 10), 0xDC00 + (cp & 0x3FF)] : [cp]);
	}
	if (kind >= '0' && kind <= '7') {
		return String.fromCharCode(parseInt(escape, 8) & 0xFF);
	}
	var letter = ANSI_C_LETTERS.indexOf(escape);
	return letter < 0 ? escape : ANSI_C_CHARS.charAt(letter);
}

/** @param {string} body */
function expandAnsiC(body) {
	return body.replace(ansiCEscape, expandAnsiCEscape).split('\0')[0]; // like bash, a NUL ends the string
}

/**
 * @param {string} s
 * @param {number} i
 */
function closesAnsiC(s, i) {
	ansiCAt.lastIndex = i;
	return !!(/** @type {RegExpExecArray} */ (ansiCAt.exec(s)))[1];
}

/**
 * @param {string} string
 * @param {Env} [env]
 * @param {{ escape?: string, splitUnquoted?: boolean | string }} [opts]
 * @returns {ParseEntry[]}
 */
function parseInternal(string, env, opts) {
	if (!opts) {
		opts = {};
	}
	var BS = opts.escape || '\\';
	var ifs = opts.splitUnquoted === true ? ' \t\n' : (typeof opts.splitUnquoted === 'string' ? opts.splitUnquoted : '');
	var BAREWORD = '(\\' + BS + '[\'"$\\' + BS + META + ']|\\$\\$|\\$(?!' + ANSI_C_QUOTE.slice(2) + ')|[^\\s\'"$' + META + '])+';
	var DOUBLE_QUOTE = '"(?:\\' + BS + '[\\s\\S]|[^"\\' + BS + '])*"';

	var chunker = new RegExp([
		'(' + CONTROL + ')', // control chars
		'(' + ANSI_C_QUOTE + '|' + BAREWORD + '|' + DOUBLE_QUOTE + '|' + SINGLE_QUOTE + ')+'
	].join('|'), 'g');

	var matches = matchAll(string, chunker);

	if (matches.length === 0) {
		return [];
	}
	if (!env) {
		env = {};
	}

	var commented = false;

	return matches.map(function (match) {
		var s = match[0];
		if (!s || commented) {
			return void undefined;
		}
		if (controlRE.test(s)) {
			return /** @type {ControlOperator} */ ({ op: s });
		}

		// Hand-written scanner/parser for Bash quoting rules:
		//
		// 1. inside single quotes, all characters are printed literally.
		// 2. inside double quotes, all characters are printed literally
		//    except variables prefixed by '$' and backslashes followed by
		//    either a double quote or another backslash.
		// 3. outside of any quotes, backslashes are treated as escape
		//    characters and not printed (unless they are themselves escaped)
		// 4. quote context can switch mid-token if there is no whitespace
		//     between the two quote contexts (e.g. all'one'"token" parses as
		//     "allonetoken")
		/** @type {string | boolean} */
		var quote = false;
		var esc = false;
		var out = '';
		/** @type {string[]} */
		var words = [];
		var sawQuote = false;
		/** @type {number | null} */
		var pendingNw = null;
		var isGlob = false;
		/** @type {number} */
		var i;

		function parseEnvVar() {
			i += 1;
			/** @type {number | RegExpMatchArray | null} */
			var varend;
			/** @type {string} */
			var varname;
			var char = s.charAt(i);

			if (char === '{') {
				i += 1;
				if (s.charAt(i) === '}') {
					throw new Error('Bad substitution: ' + s.slice(i - 2, i + 1));
				}
				// match braces by depth so a nested `${` keeps its inner `}` from ending the outer substitution
				var depth = 1;
				varend = i;
				while (depth > 0 && varend < s.length) {
					if (s.charAt(varend) === '{' && s.charAt(varend - 1) === '$') {
						depth += 1;
					} else if (s.charAt(varend) === '}') {
						depth -= 1;
					}
					varend += 1;
				}
				if (depth !== 0) {
					throw new Error('Bad substitution: ' + s.slice(i));
				}
				varend -= 1;
				varname = s.slice(i, varend);
				i = varend;
			} else if ((/[*@#?$!-]/).test(char)) {
				varname = char;
			} else {
				var slicedFromI = s.slice(i);
				varend = slicedFromI.match(/[^\w\d_]/);
				if (!varend) {
					varname = slicedFromI;
					i = s.length;
				} else {
					varname = slicedFromI.slice(0, varend.index);
					i += /** @type {number} */ (varend.index) - 1;
				}
			}
			return getVar(/** @type {NonNullable<typeof env>} */ (env), '', varname);
		}

		function flushRun() {
			if (pendingNw === null) {
				return;
			}
			if (pendingNw === 0) {
				if (out !== '') {
					words[words.length] = out;
					out = '';
				}
			} else {
				words[words.length] = out;
				out = '';
				for (var fe = 1; fe < pendingNw; fe += 1) {
					words[words.length] = '';
				}
			}
			pendingNw = null;
		}

		for (i = 0; i < s.length; i++) {
			var c = s.charAt(i);
			if (ifs && c !== DS) {
				flushRun();
			}
			isGlob = isGlob || (!quote && (c === '*' || c === '?'));
			if (esc) {
				out += c;
				esc = false;
			} else if (quote) {
				if (c === quote) {
					quote = false;
				} else if (quote == SQ) {
					out += c;
				} else { // Double quote
					if (c === BS) {
						i += 1;
						c = s.charAt(i);
						if (c === DQ || c === BS || c === DS) {
							out += c;
						} else {
							out += BS + c;
						}
					} else if (c === DS) {
						out += parseEnvVar();
					} else {
						out += c;
					}
				}
			} else if (c === DQ || c === SQ) {
				quote = c;
				sawQuote = true;
			} else if (controlRE.test(c)) {
				return /** @type {ControlOperator} */ ({ op: s });
			} else if (hash.test(c)) {
				commented = true;
				var commentObj = { comment: string.slice(match.index + i + 1) };
				if (out.length) {
					return /** @type {const} */ ([out, commentObj]);
				}
				return /** @type {const} */ ([commentObj]);
			} else if (c === BS) {
				esc = true;
			} else if (c === DS && s.charAt(i + 1) === SQ && closesAnsiC(s, i)) {
				flushRun();
				sawQuote = true;
				out += expandAnsiC(s.slice(i + 2, ansiCAt.lastIndex - 1));
				i = ansiCAt.lastIndex - 1;
			} else if (c === DS) {
				var value = parseEnvVar();
				if (!ifs) {
					out += value;
				} else {
					for (var vi = 0; vi < value.length; vi += 1) {
						var vc = value.charAt(vi);
						if (ifs.indexOf(vc) < 0) {
							flushRun();
							out += vc;
						} else if (pendingNw === null) {
							pendingNw = vc === ' ' || vc === '\t' || vc === '\n' ? 0 : 1;
						} else if (vc !== ' ' && vc !== '\t' && vc !== '\n') {
							pendingNw += 1;
						}
					}
				}
			} else {
				out += c;
			}
		}

		if (isGlob) {
			return /** @type {GlobPattern} */ ({ op: 'glob', pattern: out });
		}

		if (ifs) {
			if (pendingNw !== null && pendingNw > 0) {
				words[words.length] = out;
				out = '';
				for (var te = 1; te < pendingNw; te += 1) {
					words[words.length] = '';
				}
			}
			if (out !== '' || (sawQuote && words.length === 0)) {
				words[words.length] = out;
			}
			return words;
		}

		return out;
	}).reduce(function (prev, arg) { // finalize parsed arguments
		if (typeof arg === 'undefined') {
			return prev;
		}
		/** @type {ParseEntry[]} */ ([]).concat(arg).forEach(function (entry) {
			prev[prev.length] = entry;
		});
		return prev;
	}, /** @type {ParseEntry[]} */ ([]));
}

/** @type {typeof import('./parse')} */
module.exports = function parse(s, env, opts) {
	var mapped = parseInternal(s, env, opts);
	if (typeof env !== 'function') {
		return mapped;
	}
	return mapped.reduce(function (acc, s) {
		if (typeof s === 'object') {
			acc[acc.length] = s;
			return acc;
		}
		var xs = s.split(RegExp('(' + TOKEN + '.*?' + TOKEN + ')', 'g'));
		if (xs.length === 1) {
			acc[acc.length] = xs[0];
			return acc;
		}
		xs.filter(Boolean).forEach(function (x) {
			acc[acc.length] = startsWithToken.test(x)
				? JSON.parse(x.split(TOKEN)[1])
				: x;
		});
		return acc;
	}, /** @type {ParseEntry[]} */ ([]));
};


/***/ }),

/***/ 2230:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q9: () => (/* binding */ CacheBudget),
/* harmony export */   uz: () => (/* binding */ stepCacheBudget),
/* harmony export */   wj: () => (/* binding */ withTimeout)
/* harmony export */ });
/**
 * One time budget for every cache call of a step. The cache service is one service: when it
 * stops answering for one job it does so for all of them, and `@actions/cache` has no timeout
 * of its own on its service calls (a service that accepts and says nothing keeps it waiting
 * for ever). So the clock starts at the step's first cache call, each later call gets what is
 * left, and once the budget is spent every later call is given up at once, with a warning.
 * Calls for several jobs may run at once: together they never take longer than the budget.
 */
class CacheBudget {
    ms;
    what;
    deadline;
    /** Why the budget is gone (set when a call ran out of time). */
    spentReason;
    /** @param what says where the length comes from, for the messages (`transfer-timeout`). */
    constructor(ms, what) {
        this.ms = ms;
        this.what = what;
    }
    /** `600 s (transfer-timeout)`. */
    describe() {
        return `${Math.round(this.ms / 1000)} s (${this.what})`;
    }
    /** Milliseconds left; the clock starts at the first call. */
    remaining() {
        this.deadline ??= Date.now() + this.ms;
        return Math.max(0, this.deadline - Date.now());
    }
}
let step;
/** The budget of this step (one process = one step), made at the first call. */
function stepCacheBudget(ms, what) {
    step ??= new CacheBudget(ms, what);
    return step;
}
/**
 * Resolve to `undefined` when `ms` passes first. The operation is not stopped (the library
 * offers no way to): the process ends after its report whatever it still holds (index.ts).
 */
async function withTimeout(work, ms) {
    let timer;
    const timeout = new Promise((resolve) => {
        // Not unref'd: it keeps the process alive even if the library holds nothing that does.
        timer = setTimeout(() => resolve(undefined), ms);
    });
    try {
        return await Promise.race([work.then((value) => ({ value })), timeout]);
    }
    finally {
        clearTimeout(timer);
    }
}


/***/ }),

/***/ 241:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ QQError),
/* harmony export */   d: () => (/* binding */ InputError)
/* harmony export */ });
/** qq's error kinds. Messages are qq's, to the letter, where qq has one. */
/**
 * Any error qq reports for a job (qq's QQError). `message` is qq's sentence to the letter where
 * qq has one (it becomes the `reason` output); `hint` is ours beside it (which input to fix,
 * what was searched, which host and keys were tried): for the log, the annotation and the
 * summary, never appended to qq's words.
 */
class QQError extends Error {
    name = 'QQError';
    hint;
    constructor(message, hint) {
        super(message);
        if (hint)
            this.hint = hint;
    }
}
/** An input or a value from an info file that we refuse before anything runs. */
class InputError extends QQError {
    name = 'InputError';
}


/***/ }),

/***/ 8993:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Tn: () => (/* binding */ MAX_INFO_FILE_BYTES),
/* harmony export */   sA: () => (/* binding */ MAX_YAML_ALIAS_COUNT),
/* harmony export */   yg: () => (/* binding */ MAX_YAML_NESTING)
/* harmony export */ });
/** Bounds on what the info-file reader accepts from an untrusted file. */
/** Largest info file we read (bytes). qq writes about 1 KiB. */
const MAX_INFO_FILE_BYTES = 1024 * 1024;
/** Most alias expansions allowed while building values (the yaml package's own default). */
const MAX_YAML_ALIAS_COUNT = 100;
/** Deepest flow nesting (`[`/`{`) accepted before the YAML parser sees the text. */
const MAX_YAML_NESTING = 64;


/***/ }),

/***/ 1798:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Ib: () => (/* binding */ parseInfoData),
  KP: () => (/* binding */ readInfoText)
});

// UNUSED EXPORTS: REQUIRED_INFO_KEYS

// EXTERNAL MODULE: ./src/domain/errors.ts
var errors = __webpack_require__(241);
// EXTERNAL MODULE: ./src/domain/states.ts
var states = __webpack_require__(7812);
// EXTERNAL MODULE: ./src/domain/info/limits.ts
var limits = __webpack_require__(8993);
;// CONCATENATED MODULE: ./src/domain/info/plain-yaml.ts
/**
 * A fast path for the info files qq writes (PyYAML's block style): nested block mappings,
 * block sequences of scalars, `[]`/`{}`, one-line single-quoted scalars, plain scalars that
 * can only be strings, and plain decimal ints. Anything else — any other character, quoting,
 * indentation, comment placement, a duplicate key, a word YAML reads as a boolean or null —
 * returns undefined, and the `yaml` library reads the text (yaml.ts): this path never decides
 * an error, and accepts only text the library reads to the same values.
 *
 * Why: the library allocates about 300 KB to parse a 600-byte info file (its lexer, CST and
 * document). A campaign of 4,000 jobs spent 1.3 GB of its 2 GB of allocations there, which
 * made V8 grow its young generation to the top (docs/performance-streams.md §(d)).
 */
/** A mapping key the library reads as this same string (not `true`, `null`, …). */
const KEY = /^([A-Za-z_][A-Za-z0-9_]{0,99}):(?: (.*))?$/;
/** A plain scalar of these characters is a string unless the schema reads it otherwise (below). */
const PLAIN = /^[A-Za-z0-9/_](?:[A-Za-z0-9_./@+=%,~-]|:(?=[A-Za-z0-9_./@+=%,~-]))*$/;
/** What the core schema reads as a number among PLAIN (the `yaml` library's tests, `0.10.1` is none). */
const NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)$/;
/** Words the core schema reads as booleans or null (whatever their case: kept off the fast path). */
const SPECIAL_WORD = /^(?:true|false|null)$/i;
/** A decimal int whose text is its own canonical form (so its source text is `String(n)`). */
const CANONICAL_INT = /^(?:0|[1-9][0-9]{0,14})$/;
const SINGLE_QUOTED = /^'((?:[^']|'')*)'$/;
const NO = Symbol('not on the fast path');
function scalar(text) {
    if (text === '[]')
        return [];
    if (text === '{}')
        return new Map();
    const quoted = SINGLE_QUOTED.exec(text);
    if (quoted)
        return quoted[1].replaceAll("''", "'");
    if (CANONICAL_INT.test(text))
        return Number(text);
    if (PLAIN.test(text) && !NUMBER.test(text) && !SPECIAL_WORD.test(text))
        return text;
    return NO;
}
class Lines {
    lines;
    i = 0;
    constructor(lines) {
        this.lines = lines;
    }
    /** The next line that is not empty or a comment at column 0 (skipped); undefined at the end. */
    peek() {
        while (this.i < this.lines.length) {
            const line = this.lines[this.i];
            if (line !== '' && line[0] !== '#')
                return line;
            this.i++;
        }
        return undefined;
    }
    take() {
        this.i++;
    }
}
function indentOf(line) {
    let n = 0;
    while (line.charCodeAt(n) === 0x20)
        n++;
    return n;
}
/** A block sequence of scalars at `indent`. */
function sequence(lines, indent) {
    const items = [];
    for (let line = lines.peek(); line !== undefined; line = lines.peek()) {
        const at = indentOf(line);
        // A line at the same indent that is no item ends a sequence written under its key.
        if (at < indent || (at === indent && !line.startsWith('- ', at)))
            break;
        if (at > indent)
            return NO;
        const v = scalar(line.slice(at + 2));
        if (v === NO)
            return NO;
        items.push(v);
        lines.take();
    }
    return items;
}
/** A block mapping at `indent`. */
function mapping(lines, indent) {
    const map = new Map();
    for (let line = lines.peek(); line !== undefined; line = lines.peek()) {
        const at = indentOf(line);
        if (at < indent)
            break;
        if (at > indent)
            return NO;
        const m = KEY.exec(line.slice(at));
        if (!m)
            return NO;
        const key = m[1];
        if (map.has(key) || SPECIAL_WORD.test(key))
            return NO;
        lines.take();
        let value;
        if (m[2] !== undefined) {
            value = scalar(m[2]);
        }
        else {
            const next = lines.peek();
            const nextAt = next === undefined ? -1 : indentOf(next);
            if (next !== undefined && nextAt === indent && next.startsWith('- ', at)) {
                value = sequence(lines, indent);
            }
            else if (next !== undefined && nextAt > indent) {
                value = next.startsWith('- ', nextAt) ? sequence(lines, nextAt) : mapping(lines, nextAt);
            }
            else
                value = null;
        }
        if (value === NO)
            return NO;
        map.set(key, value);
        // A line indented deeper after a value would continue it (a multi-line scalar).
        const after = lines.peek();
        if (after !== undefined && indentOf(after) > indent)
            return NO;
    }
    return map;
}
/** The values of `text` (mappings as Maps), or undefined when the library must read it. */
function parsePlainInfoYaml(text) {
    if (text.includes('\r') || text.includes('\t') || text.charCodeAt(0) === 0xfeff)
        return undefined;
    const lines = new Lines(text.split('\n'));
    const first = lines.peek();
    if (first === undefined || indentOf(first) !== 0)
        return undefined;
    const map = mapping(lines, 0);
    if (map === NO || lines.peek() !== undefined)
        return undefined;
    return map;
}

// EXTERNAL MODULE: ./src/domain/info/properties/batch-system.ts
var batch_system = __webpack_require__(9757);
// EXTERNAL MODULE: ./src/domain/info/reader.ts + 1 modules
var reader = __webpack_require__(5525);
;// CONCATENATED MODULE: ./src/domain/info/properties/interpreter.ts

/** `interpreter` in either form; a mapping without `executable` is qq's default, `bash`. */
function readInterpreter(r, v, path) {
    if (typeof v === 'string') {
        const [executable, ...args] = v.split(/\s+/).filter((p) => p !== '');
        if (executable === undefined)
            throw r.invalid("Field 'interpreter' is empty");
        return { executable, arguments: args };
    }
    if (v instanceof Map) {
        for (const k of v.keys()) {
            if (k !== 'executable' && k !== 'arguments') {
                throw r.invalid(`Field 'interpreter' has an unexpected key '${String(k)}'`);
            }
        }
        const exe = v.get('executable');
        if (exe === null || exe === undefined)
            return { executable: 'bash', arguments: [] };
        return {
            executable: r.str(exe, [...path, 'executable'], 'interpreter.executable'),
            arguments: r.strList(v.get('arguments'), [...path, 'arguments'], 'interpreter.arguments'),
        };
    }
    throw r.invalid(`Field 'interpreter' must be a str or a dict, got ${(0,reader/* pyType */._R)(v)}`);
}

// EXTERNAL MODULE: ./src/domain/info/properties/job-type.ts
var job_type = __webpack_require__(5485);
;// CONCATENATED MODULE: ./src/domain/info/properties/loop-info.ts


/** `loop_info` as qq's `LoopInfo(**data)` builds and checks it, with qq's messages. */
function readLoopInfo(r, v, path) {
    if (!(v instanceof Map)) {
        throw r.invalid(`Field 'loop_info' must be a dict, got ${(0,reader/* pyType */._R)(v)}`);
    }
    const int = (k) => {
        const x = v.get(k);
        if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
            throw new errors/* QQError */.V(`Field '${k}' must be an int, got ${(0,reader/* pyType */._R)(x)}.`);
        }
        return x;
    };
    const str = (k) => {
        const x = v.get(k);
        if (typeof x !== 'string')
            throw new errors/* QQError */.V(`Field '${k}' must be a str, got ${(0,reader/* pyType */._R)(x)}.`);
        return x;
    };
    const start = int('start');
    const end = int('end');
    const archive = str('archive');
    const archiveFormat = str('archive_format');
    const current = int('current');
    const archiveMode = readArchiveMode(r, v.get('archive_mode'), [...path, 'archive_mode']);
    if (!end)
        throw new errors/* QQError */.V("Attribute 'loop-end' is undefined.");
    if (start < 0)
        throw new errors/* QQError */.V(`Attribute 'loop-start' (${start}) cannot be negative.`);
    if (start > end) {
        throw new errors/* QQError */.V(`Attribute 'loop-start' (${start}) cannot be higher than 'loop-end' (${end}).`);
    }
    if (current > end) {
        throw new errors/* QQError */.V(`Current cycle number (${current}) cannot be higher than 'loop-end' (${end}).`);
    }
    return { start, end, archive, archiveFormat, current, archiveMode };
}
/** `archive_mode`: a list of transfer modes, `['success']` when absent or empty. */
function readArchiveMode(r, am, path) {
    if (am === null || am === undefined)
        return ['success'];
    if (!Array.isArray(am) || !am.every((m) => typeof m === 'string' || typeof m === 'number')) {
        throw new errors/* QQError */.V("Field 'archive_mode' must be a list of strings.");
    }
    const modes = r.transferModes(am, path, 'loop_info.archive_mode');
    return modes.length === 0 ? ['success'] : modes;
}

// EXTERNAL MODULE: ./src/domain/info/properties/resources.ts
var resources = __webpack_require__(4870);
;// CONCATENATED MODULE: ./src/domain/info/properties/task-info.ts


/** `task_info` with the messages of qq dev's `TaskInfo(**data)`. */
function readTaskInfo(r, v) {
    if (!(v instanceof Map)) {
        throw r.invalid(`Field 'task_info' must be a dict, got ${(0,reader/* pyType */._R)(v)}`);
    }
    const arrayFile = v.get('array_file');
    const taskNumber = v.get('task_number');
    const totalTasks = v.get('total_tasks');
    if (typeof arrayFile !== 'string') {
        throw new errors/* QQError */.V(`Field 'array_file' must be a str or Path, got ${(0,reader/* pyType */._R)(arrayFile)}.`);
    }
    if (typeof taskNumber !== 'number' || !Number.isSafeInteger(taskNumber)) {
        throw new errors/* QQError */.V(`Field 'task_number' must be an int, got ${(0,reader/* pyType */._R)(taskNumber)}.`);
    }
    if (typeof totalTasks !== 'number' || !Number.isSafeInteger(totalTasks)) {
        throw new errors/* QQError */.V(`Field 'total_tasks' must be an int, got ${(0,reader/* pyType */._R)(totalTasks)}.`);
    }
    return { arrayFile, taskNumber, totalTasks };
}

;// CONCATENATED MODULE: ./src/domain/info/parse.ts
/**
 * `parseInfoFile`: the text of a qq info file to an InfoFile, as qq's `Info._from_dict` builds
 * it, driven by one table of fields (key, property, reader, presence) in qq's order.
 */











const field = (key, prop, presence, read) => ({ key, prop, presence, read });
const absent = (v) => v === null || v === undefined;
const str = (r, v, k) => r.str(v, [k], k);
const optStr = (r, v, k) => r.optStr(v, [k], k);
const list = (r, v, k) => r.strList(v, [k], k);
const optTime = (r, v, k) => r.optTime(v, [k], k);
/** qq's `int(...)` of `job_exit_code`: an int or a string of one. */
function exitCode(r, ec) {
    if (absent(ec))
        return undefined;
    if (typeof ec === 'number' && Number.isSafeInteger(ec))
        return ec;
    if (typeof ec === 'string' && /^\s*-?\d+\s*$/.test(ec))
        return Number.parseInt(ec, 10);
    throw r.invalid(`Field 'job_exit_code' must be an int, got ${(0,reader/* pyType */._R)(ec)}`);
}
/** Every field, in qq's order: qq converts them in this order, so the first error is qq's. */
const FIELDS = [
    field('batch_system', 'batchSystem', 'required', (r, v, k) => (0,batch_system/* parseBatchSystem */.h)(str(r, v, k))),
    field('qq_version', 'qqVersion', 'required', str),
    field('username', 'username', 'required', str),
    field('job_id', 'jobId', 'required', str),
    field('job_name', 'jobName', 'required', str),
    field('script_name', 'scriptName', 'required', str),
    field('queue', 'queue', 'required', str),
    field('job_type', 'jobType', 'required', (r, v, k) => (0,job_type/* parseJobType */.T)(str(r, v, k))),
    field('input_machine', 'inputMachine', 'required', str),
    field('input_dir', 'inputDir', 'required', str),
    // qq: case-insensitive; anything else, empty or not a string is unknown.
    field('job_state', 'jobState', 'required', (_r, v) => (0,states/* naiveStateFromString */.o0)(v)),
    field('submission_time', 'submissionTime', 'required', (r, v, k) => r.time(v, [k], k)),
    field('stdout_file', 'stdoutFile', 'required', str),
    field('stderr_file', 'stderrFile', 'required', str),
    field('resources', 'resources', 'required', (r, v, k) => (0,resources/* readResources */.Mq)(r, v, [k])),
    field('excluded_files', 'excludedFiles', 'always', list),
    field('included_files', 'includedFiles', 'always', list),
    field('transfer_mode', 'transferMode', 'always', (r, v, k) => absent(v) ? ['success'] : r.transferModes(v, [k], k)),
    field('depend', 'depend', 'always', list),
    field('loop_info', 'loopInfo', 'optional', (r, v, k) => absent(v) ? undefined : readLoopInfo(r, v, [k])),
    field('task_info', 'taskInfo', 'optional', (r, v) => absent(v) ? undefined : readTaskInfo(r, v)),
    field('account', 'account', 'optional', optStr),
    field('server', 'server', 'optional', optStr),
    field('resubmit_from', 'resubmitFrom', 'always', list),
    field('interpreter', 'interpreter', 'optional', (r, v, k) => absent(v) ? undefined : readInterpreter(r, v, [k])),
    field('start_time', 'startTime', 'optional', optTime),
    field('main_node', 'mainNode', 'optional', optStr),
    field('all_nodes', 'allNodes', 'optional', (r, v, k) => (absent(v) ? undefined : list(r, v, k))),
    field('work_dir', 'workDir', 'optional', optStr),
    field('completion_time', 'completionTime', 'optional', optTime),
    field('job_exit_code', 'jobExitCode', 'optional', (r, v) => exitCode(r, v)),
];
/** The keys qq writes for every job (docs/qq-behaviour.md §1.3). */
const REQUIRED_INFO_KEYS = FIELDS.filter((f) => f.presence === 'required').map((f) => f.key);
/** Read one field of `data` into `out` (a required key only when present). */
function readField(f, r, data, out) {
    if (f.presence === 'required' && !data.has(f.key))
        return;
    const value = f.read(r, data.get(f.key), f.key);
    if (value !== undefined)
        out[f.prop] = value;
}
/** Every field that is not optional has its value: `out` is a whole InfoFile. */
function isComplete(out) {
    return FIELDS.every((f) => f.presence === 'optional' || out[f.prop] !== undefined);
}
/**
 * Parse the text of a qq info file. `path` is used in messages only. The text is read by
 * plain-yaml.ts where it can; else by `load`, and without one the answer is undefined: the
 * caller loads the `yaml` library (yaml.ts) and asks again.
 * Throws QQError with qq's messages (docs/qq-behaviour.md §1.6).
 */
function parseInfoData(text, path, load) {
    if (text.length > limits/* MAX_INFO_FILE_BYTES */.Tn || Buffer.byteLength(text, 'utf8') > limits/* MAX_INFO_FILE_BYTES */.Tn) {
        throw new errors/* QQError */.V(`qq info file '${path}' is too large (more than ${limits/* MAX_INFO_FILE_BYTES */.Tn} bytes); not a qq info file.`);
    }
    (0,reader/* checkYamlText */.Xc)(text, path);
    let data = parsePlainInfoYaml(text);
    let r = new reader/* Reader */.mP(path);
    if (data === undefined) {
        if (!load)
            return undefined;
        const loaded = load(text, path);
        data = loaded.data;
        r = new reader/* Reader */.mP(path, loaded.sourceOf);
    }
    if (absent(data))
        throw r.invalid('the file is empty');
    if (!(data instanceof Map)) {
        throw r.invalid(`expected a mapping of fields at the top level, got ${(0,reader/* pyType */._R)(data)}`);
    }
    const out = {};
    for (const f of FIELDS)
        readField(f, r, data, out);
    const missing = REQUIRED_INFO_KEYS.filter((k) => !data.has(k));
    if (missing.length > 0 || !isComplete(out)) {
        const names = missing.map((k) => `'${k}'`).join(', ');
        throw r.invalid(`missing required field${missing.length > 1 ? 's' : ''} ${names}`);
    }
    return out;
}
/**
 * Parse the text of a qq info file (see parseInfoData), loading the `yaml` library only for a
 * text plain-yaml.ts does not read: a step that reads only qq's usual files never loads it.
 */
async function readInfoText(text, path) {
    return parseInfoData(text, path) ?? (await Promise.all(/* import() */[__webpack_require__.e(815), __webpack_require__.e(790)]).then(__webpack_require__.bind(__webpack_require__, 8790))).parseInfoFile(text, path);
}


/***/ }),

/***/ 9757:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ BATCH_SYSTEMS),
/* harmony export */   h: () => (/* binding */ parseBatchSystem)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(241);

/** Batch-system names qq registers (docs/qq-behaviour.md §1.3), matched exactly. */
const BATCH_SYSTEMS = ['PBS', 'Slurm', 'SlurmIT4I', 'SlurmLumi'];
/** qq's `BatchInterface.from_str`: exact, case-sensitive names. */
function parseBatchSystem(name) {
    const found = BATCH_SYSTEMS.find((s) => s === name);
    if (found !== undefined)
        return found;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .QQError */ .V(`No batch system registered as '${name}'.`);
}


/***/ }),

/***/ 5485:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ parseJobType)
/* harmony export */ });
/* unused harmony export JOB_TYPES */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(241);

/**
 * qq's job types, written lower case with spaces. The array variants are written only by the
 * unreleased array-job versions of qq (dev); they are accepted as qq dev accepts them.
 */
const JOB_TYPES = [
    'standard',
    'loop',
    'continuous',
    'array',
    'loop array',
    'continuous array',
];
/** Parse a qq job type as qq's `JobType.from_str` does (case-insensitive, `-`/`_`/space). */
function parseJobType(s) {
    const norm = s.toLowerCase().replaceAll('-', ' ').replaceAll('_', ' ');
    const found = JOB_TYPES.find((t) => t === norm);
    if (found === undefined)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .QQError */ .V(`Could not recognize a job type '${s}'.`);
    return found;
}


/***/ }),

/***/ 4870:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mq: () => (/* binding */ readResources),
/* harmony export */   z5: () => (/* binding */ usesScratch)
/* harmony export */ });
/* unused harmony export equalsNormalized */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(241);
/* harmony import */ var _reader_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5525);
/* harmony import */ var _walltime_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8078);



/** qq's `equals_normalized`: case-insensitive, ignoring `-` and `_`. */
function equalsNormalized(a, b) {
    const n = (s) => s.toLowerCase().replaceAll('-', '').replaceAll('_', '');
    return n(a) === n(b);
}
/**
 * qq's `uses_scratch` (docs/qq-behaviour.md §1.4): true unless the work-dir type is `job_dir` or `input_dir`
 * (case-insensitive, ignoring `-`/`_`). A missing type counts as scratch.
 */
function usesScratch(info) {
    const type = String(info.resources.workDir ?? 'None');
    return !equalsNormalized(type, 'job_dir') && !equalsNormalized(type, 'input_dir');
}
const INTS = [
    ['nnodes', 'nnodes'],
    ['ncpus', 'ncpus'],
    ['ncpus_per_node', 'ncpusPerNode'],
    ['ngpus', 'ngpus'],
    ['ngpus_per_node', 'ngpusPerNode'],
];
const SIZES = [
    ['mem', 'mem'],
    ['mem_per_node', 'memPerNode'],
    ['mem_per_cpu', 'memPerCpu'],
    ['work_size', 'workSize'],
    ['work_size_per_node', 'workSizePerNode'],
    ['work_size_per_cpu', 'workSizePerCpu'],
];
/** The `resources` mapping as qq's `Resources(**data)` builds it. */
function readResources(r, v, path) {
    if (!(v instanceof Map)) {
        throw r.invalid(`Field 'resources' must be a dict, got ${(0,_reader_js__WEBPACK_IMPORTED_MODULE_1__/* .pyType */ ._R)(v)}`);
    }
    const out = {};
    for (const [key, prop] of INTS) {
        const n = r.intLike(v.get(key), `resources.${key}`);
        if (n !== undefined)
            out[prop] = n;
    }
    for (const [key, prop] of SIZES) {
        const s = r.size(v.get(key), `resources.${key}`);
        if (s !== undefined)
            out[prop] = s;
    }
    const walltime = r.optStr(v.get('walltime'), [...path, 'walltime'], 'resources.walltime');
    if (walltime !== undefined) {
        out.walltime =
            typeof v.get('walltime') === 'string' && !walltime.includes(':')
                ? (0,_walltime_js__WEBPACK_IMPORTED_MODULE_2__/* .wdhmsToHhmmss */ .V)(walltime)
                : walltime;
    }
    const workDir = r.optStr(v.get('work_dir'), [...path, 'work_dir'], 'resources.work_dir');
    if (workDir !== undefined)
        out.workDir = workDir;
    const props = readProps(r, v.get('props'), [...path, 'props']);
    if (props !== undefined)
        out.props = props;
    return out;
}
/** `props` as a mapping or as qq's props string; undefined when absent. */
function readProps(r, props, path) {
    if (props instanceof Map) {
        const out = {};
        for (const [k, pv] of props) {
            const key = String(k);
            setOwn(out, key, r.scalarText(pv, [...path, key]) ?? String(pv));
        }
        return out;
    }
    if (typeof props === 'string')
        return parseProps(props);
    if (props !== null && props !== undefined) {
        throw r.invalid(`Field 'resources.props' must be a dict, got ${(0,_reader_js__WEBPACK_IMPORTED_MODULE_1__/* .pyType */ ._R)(props)}`);
    }
    return undefined;
}
/** Set an own property, even one named `__proto__`, without touching the prototype. */
function setOwn(obj, key, value) {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
/** qq's `Resources._parseProps` for a props string (`a,^b,c=d`). */
function parseProps(props) {
    const out = {};
    for (const part of props.split(/[,\s:]+/).filter((p) => p !== '')) {
        let key;
        let value;
        const eq = part.indexOf('=');
        if (eq >= 0) {
            key = part.slice(0, eq);
            value = part.slice(eq + 1);
        }
        else if (part.startsWith('^')) {
            key = part.replace(/^\^+/, '');
            value = 'false';
        }
        else {
            key = part;
            value = 'true';
        }
        if (Object.hasOwn(out, key))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .QQError */ .V(`Property '${key}' is defined multiple times.`);
        setOwn(out, key, value);
    }
    return out;
}


/***/ }),

/***/ 470:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ parseSizeString),
/* harmony export */   O: () => (/* binding */ sizeFrom)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(241);

const UNIT_KB = {
    kb: 1,
    mb: 1024,
    gb: 1024 ** 2,
    tb: 1024 ** 3,
    pb: 1024 ** 4,
};
/** qq's `Size(value, unit)`: bytes round up to one kilobyte unless zero. */
function sizeFrom(value, unitIn) {
    const unit = unitIn.toLowerCase();
    const factor = UNIT_KB[unit];
    if (factor === undefined) {
        if (unit === 'b')
            return { value: value === 0 ? 0 : 1 };
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .QQError */ .V(`Unsupported unit for size '${unit}'.`);
    }
    return { value: value * factor };
}
/** qq's `Size.from_string`: `8gb`, `8 GB`, `8g` (kb/mb/gb/tb/pb, powers of 1024). */
function parseSizeString(s) {
    const m = /^\s*(\d+)\s*([a-zA-Z]+)\s*$/.exec(s);
    const [, digits, unitText] = m ?? [];
    if (digits === undefined || unitText === undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .QQError */ .V(`Invalid size string: '${s}'.`);
    }
    const unit = unitText.length === 1 && unitText !== 'b' ? `${unitText.toLowerCase()}b` : unitText;
    return sizeFrom(Number.parseInt(digits, 10), unit);
}


/***/ }),

/***/ 7394:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   e: () => (/* binding */ transferModeMatches),
/* harmony export */   m: () => (/* binding */ parseTransferMode)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(241);

/** qq's `TransferMode.from_str`: case-insensitive names or an integer exit code. */
function parseTransferMode(value) {
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .QQError */ .V(`Could not recognize a transfer mode variant '${value}'.`);
        }
        return value;
    }
    const s = value.toLowerCase().trim();
    if (s === 'success' || s === 'failure' || s === 'always' || s === 'never')
        return s;
    if (/^-?\d+$/.test(value.trim()))
        return Number.parseInt(value.trim(), 10);
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .QQError */ .V(`Could not recognize a transfer mode variant '${value}'.`);
}
/** qq's `TransferMode.should_transfer` for one mode. */
function transferModeMatches(mode, exitCode) {
    switch (mode) {
        case 'success':
            return exitCode === 0;
        case 'failure':
            return exitCode !== 0;
        case 'always':
            return true;
        case 'never':
            return false;
        default:
            return exitCode === mode;
    }
}


/***/ }),

/***/ 8078:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ wdhmsToHhmmss)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(241);

const SECONDS = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
/** qq's `wdhms_to_hhmmss`: `1w2d3h4m5s` → `195:04:05`; empty → `0:00:00`. */
function wdhmsToHhmmss(timestr) {
    if (timestr.trim() === '')
        return '0:00:00';
    if (!/^\s*(?:\d+\s*[wdhms]\s*)+$/i.test(timestr)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .QQError */ .V(`Invalid time string '${timestr}'.`);
    }
    let total = 0;
    for (const [, n = '0', unit = ''] of timestr.matchAll(/(\d+)\s*([wdhms])/gi)) {
        total += Number.parseInt(n, 10) * (SECONDS[unit.toLowerCase()] ?? 0);
    }
    const h = Math.floor(total / 3600);
    const mm = Math.floor((total % 3600) / 60);
    const ss = total % 60;
    return `${h}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}


/***/ }),

/***/ 5525:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  mP: () => (/* binding */ Reader),
  Xc: () => (/* binding */ checkYamlText),
  _R: () => (/* binding */ pyType)
});

// EXTERNAL MODULE: ./src/domain/errors.ts
var errors = __webpack_require__(241);
// EXTERNAL MODULE: ./src/domain/info/limits.ts
var limits = __webpack_require__(8993);
// EXTERNAL MODULE: ./src/domain/info/properties/size.ts
var size = __webpack_require__(470);
;// CONCATENATED MODULE: ./src/domain/info/properties/timestamp.ts
const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?$/;
/**
 * A qq timestamp to `YYYY-MM-DD HH:MM:SS`. qq writes exactly that form (strptime
 * `%Y-%m-%d %H:%M:%S`); the YAML 1.1 timestamp forms that PyYAML turns into a datetime are
 * accepted too (fraction and zone dropped, as qq's strftime drops them). Undefined if invalid.
 */
function normalizeTimestamp(s) {
    const m = TIMESTAMP.exec(s.trim());
    if (!m)
        return undefined;
    const [y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0] = m
        .slice(1, 7)
        .map((x) => Number.parseInt(x ?? '', 10));
    const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (mo < 1 || mo > 12 || d < 1 || d > dim || h > 23 || mi > 59 || se > 59)
        return undefined;
    const p = (n) => String(n).padStart(2, '0');
    return `${String(y).padStart(4, '0')}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}:${p(se)}`;
}

// EXTERNAL MODULE: ./src/domain/info/properties/transfer-mode.ts
var transfer_mode = __webpack_require__(7394);
;// CONCATENATED MODULE: ./src/domain/info/reader.ts
/**
 * The info file's values to typed fields with qq-style messages (Reader), and the checks on
 * its text that come before any YAML is read. No YAML library here: the usual info file is
 * read by plain-yaml.ts, and the `yaml` library (yaml.ts) is loaded only for the others.
 */





/** Python's type name of a parsed YAML value, for qq-style messages. */
function pyType(v) {
    if (v === null || v === undefined)
        return 'NoneType';
    if (typeof v === 'string')
        return 'str';
    if (typeof v === 'boolean')
        return 'bool';
    if (typeof v === 'number' || typeof v === 'bigint') {
        return Number.isInteger(v) ? 'int' : 'float';
    }
    if (Array.isArray(v))
        return 'list';
    if (v instanceof Map)
        return 'dict';
    if (v instanceof Uint8Array)
        return 'bytes';
    return typeof v;
}
/** Count of flow-collection nesting, a cheap guard against parser recursion on crafted text. */
function maxFlowNesting(text) {
    let depth = 0;
    let max = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5b || c === 0x7b) {
            depth++;
            if (depth > max)
                max = depth;
        }
        else if ((c === 0x5d || c === 0x7d) && depth > 0) {
            depth--;
        }
    }
    return max;
}
/**
 * What PyYAML's SafeLoader refuses before parsing: collections nested too deep (a guard against
 * parser recursion) and characters outside YAML's printable set. Throws QQError
 * `Failed to parse YAML in <path>: …`.
 */
function checkYamlText(text, path) {
    const fail = (detail) => new errors/* QQError */.V(`Failed to parse YAML in ${path}: ${detail}.`);
    if (maxFlowNesting(text) > limits/* MAX_YAML_NESTING */.yg) {
        throw fail(`collections nested deeper than ${limits/* MAX_YAML_NESTING */.yg} levels`);
    }
    // YAML's printable set, as PyYAML enforces it (qq's reader): NUL and other controls are refused.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the allowed set names controls on purpose
    const bad = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(text);
    if (bad) {
        const code = (bad[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0');
        throw fail(`unacceptable character #x${code}: special characters are not allowed`);
    }
}
/** Typed values from the document, with `Invalid qq info file '<path>': …` messages. */
class Reader {
    path;
    sourceOf;
    /**
     * `sourceOf`: the source text of the plain scalar at a path, where the `yaml` library read
     * the text (yaml.ts); none for text read by plain-yaml.ts, whose numbers are `String(n)`.
     */
    constructor(path, sourceOf) {
        this.path = path;
        this.sourceOf = sourceOf;
    }
    invalid(detail) {
        return new errors/* QQError */.V(`Invalid qq info file '${this.path}': ${detail}.`);
    }
    /** A scalar as text: strings as they are, plain numbers/booleans as their source text. */
    scalarText(v, path) {
        if (typeof v === 'string')
            return v;
        if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
            return this.sourceOf?.(path) ?? String(v);
        }
        return undefined;
    }
    str(v, path, field) {
        const s = this.scalarText(v, path);
        if (s === undefined)
            throw this.invalid(`Field '${field}' must be a str, got ${pyType(v)}`);
        return s;
    }
    optStr(v, path, field) {
        return v === null || v === undefined ? undefined : this.str(v, path, field);
    }
    strList(v, path, field) {
        if (v === null || v === undefined)
            return [];
        if (!Array.isArray(v))
            throw this.invalid(`Field '${field}' must be a list, got ${pyType(v)}`);
        return v.map((item, i) => {
            const s = this.scalarText(item, [...path, i]);
            if (s === undefined) {
                throw this.invalid(`Field '${field}' must be a list of str, got an item of ${pyType(item)}`);
            }
            return s;
        });
    }
    /** An int as qq's Resources accepts it: an int or a string of one. */
    intLike(v, field) {
        if (v === null || v === undefined)
            return undefined;
        if (typeof v === 'number' && Number.isSafeInteger(v))
            return v;
        if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) {
            const n = Number.parseInt(v.trim(), 10);
            if (Number.isSafeInteger(n))
                return n;
        }
        const shown = typeof v === 'string' || typeof v === 'number' ? ` '${String(v)}'` : '';
        throw this.invalid(`Field '${field}' must be an int, got ${pyType(v)}${shown}`);
    }
    time(v, path, field) {
        const s = this.str(v, path, field);
        const t = normalizeTimestamp(s);
        if (t === undefined) {
            throw this.invalid(`Field '${field}': time data '${s}' does not match format '%Y-%m-%d %H:%M:%S'`);
        }
        return t;
    }
    optTime(v, path, field) {
        return v === null || v === undefined ? undefined : this.time(v, path, field);
    }
    transferModes(v, path, field) {
        if (!Array.isArray(v))
            throw this.invalid(`Field '${field}' must be a list, got ${pyType(v)}`);
        return v.map((item, i) => {
            if (typeof item === 'number')
                return (0,transfer_mode/* parseTransferMode */.m)(item);
            const s = this.scalarText(item, [...path, i]);
            if (s === undefined) {
                throw this.invalid(`Field '${field}' must be a list of str, got an item of ${pyType(item)}`);
            }
            return (0,transfer_mode/* parseTransferMode */.m)(s);
        });
    }
    size(v, field) {
        if (typeof v === 'string')
            return (0,size/* parseSizeString */.K)(v);
        if (v instanceof Map) {
            for (const k of v.keys()) {
                if (k !== 'value' && k !== 'unit') {
                    throw this.invalid(`Field '${field}' has an unexpected key '${String(k)}'`);
                }
            }
            const value = v.get('value');
            const unit = v.has('unit') ? v.get('unit') : 'kb';
            if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
                throw this.invalid(`Field '${field}.value' must be an int, got ${pyType(value)}`);
            }
            if (typeof unit !== 'string') {
                throw this.invalid(`Field '${field}.unit' must be a str, got ${pyType(unit)}`);
            }
            return (0,size/* sizeFrom */.O)(value, unit);
        }
        // qq's Resources._parseSize drops anything else (a bare number, null) silently.
        return undefined;
    }
}


/***/ }),

/***/ 7812:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Gw: () => (/* binding */ BatchState),
/* harmony export */   Pu: () => (/* binding */ NaiveState),
/* harmony export */   Q_: () => (/* binding */ realStateFrom),
/* harmony export */   Qh: () => (/* binding */ REAL_STATE_NAMES),
/* harmony export */   XR: () => (/* binding */ realStateFromName),
/* harmony export */   ff: () => (/* binding */ batchStateFromCode),
/* harmony export */   gQ: () => (/* binding */ realStateToString),
/* harmony export */   k: () => (/* binding */ RealState),
/* harmony export */   lT: () => (/* binding */ realStateCode),
/* harmony export */   o0: () => (/* binding */ naiveStateFromString)
/* harmony export */ });
/**
 * qq's three kinds of state (docs/qq-behaviour.md §2): what the info file says (naive), what the
 * scheduler says (batch), and the combination of both (real).
 * Pure: no I/O.
 */
const NaiveState = {
    QUEUED: 'queued',
    RUNNING: 'running',
    FAILED: 'failed',
    FINISHED: 'finished',
    KILLED: 'killed',
    UNKNOWN: 'unknown',
};
/** Parse a naive state as qq does: case-insensitive, anything else (or empty) is unknown. */
function naiveStateFromString(value) {
    if (typeof value !== 'string')
        return NaiveState.UNKNOWN;
    const lower = value.toLowerCase();
    return Object.values(NaiveState).includes(lower)
        ? lower
        : NaiveState.UNKNOWN;
}
const BatchState = {
    RUNNING: 'RUNNING',
    QUEUED: 'QUEUED',
    FINISHED: 'FINISHED',
    FAILED: 'FAILED',
    HELD: 'HELD',
    EXITING: 'EXITING',
    WAITING: 'WAITING',
    MOVING: 'MOVING',
    SUSPENDED: 'SUSPENDED',
    UNKNOWN: 'UNKNOWN',
};
const CODE_TO_BATCH = {
    E: BatchState.EXITING,
    H: BatchState.HELD,
    Q: BatchState.QUEUED,
    R: BatchState.RUNNING,
    T: BatchState.MOVING,
    W: BatchState.WAITING,
    S: BatchState.SUSPENDED,
    F: BatchState.FINISHED,
    X: BatchState.FAILED,
};
/** One-letter code to batch state (docs/qq-behaviour.md §2.2); codes are upper-cased first, anything else is UNKNOWN. */
function batchStateFromCode(code) {
    return CODE_TO_BATCH[code.toUpperCase()] ?? BatchState.UNKNOWN;
}
const RealState = {
    QUEUED: 'QUEUED',
    HELD: 'HELD',
    SUSPENDED: 'SUSPENDED',
    WAITING: 'WAITING',
    RUNNING: 'RUNNING',
    BOOTING: 'BOOTING',
    KILLED: 'KILLED',
    FAILED: 'FAILED',
    FINISHED: 'FINISHED',
    EXITING: 'EXITING',
    IN_AN_INCONSISTENT_STATE: 'IN_AN_INCONSISTENT_STATE',
    UNKNOWN: 'UNKNOWN',
};
/** qq's string form: lower case, `_` → space (`in an inconsistent state`). */
function realStateToString(state) {
    return state.toLowerCase().replaceAll('_', ' ');
}
/**
 * Names accepted by the `fail-on` and `wait-for` inputs: the real states in lower case, with
 * `inconsistent` as the short name of IN_AN_INCONSISTENT_STATE (its qq form is accepted too).
 */
function realStateFromName(name) {
    const n = name
        .trim()
        .toLowerCase()
        .replaceAll(/[\s-]+/g, '_');
    if (n === 'inconsistent' || n === 'in_an_inconsistent_state') {
        return RealState.IN_AN_INCONSISTENT_STATE;
    }
    const upper = n.toUpperCase();
    return Object.values(RealState).includes(upper) ? upper : undefined;
}
/** A real state's short name, as used in inputs and the `state-code` output. */
function realStateCode(state) {
    return state === RealState.IN_AN_INCONSISTENT_STATE ? 'inconsistent' : state.toLowerCase();
}
/** Short names of the real states, as used in inputs. */
const REAL_STATE_NAMES = Object.values(RealState).map(realStateCode);
const R = RealState;
const I = R.IN_AN_INCONSISTENT_STATE;
const COLUMNS = [
    BatchState.QUEUED,
    BatchState.MOVING,
    BatchState.HELD,
    BatchState.WAITING,
    BatchState.SUSPENDED,
    BatchState.RUNNING,
    BatchState.EXITING,
    BatchState.FINISHED,
    BatchState.FAILED,
    BatchState.UNKNOWN,
];
/** The table of docs/qq-behaviour.md §2.5, row by row, in the order of COLUMNS. */
const TABLE = {
    unknown: [
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
    ],
    queued: [R.QUEUED, R.QUEUED, R.HELD, R.WAITING, R.SUSPENDED, R.BOOTING, I, I, I, I],
    running: [I, I, I, I, R.SUSPENDED, R.RUNNING, I, I, I, I],
    killed: [
        R.KILLED,
        R.KILLED,
        R.KILLED,
        R.KILLED,
        R.KILLED,
        R.EXITING,
        R.KILLED,
        R.KILLED,
        R.KILLED,
        R.KILLED,
    ],
    finished: [I, R.FINISHED, I, I, R.FINISHED, R.EXITING, R.FINISHED, R.FINISHED, I, R.FINISHED],
    failed: [I, R.FAILED, I, I, R.FAILED, R.EXITING, R.FAILED, I, R.FAILED, R.FAILED],
};
/** qq's RealState.from_states (docs/qq-behaviour.md §2.5). */
function realStateFrom(naive, batch) {
    const row = TABLE[naive];
    const result = row[COLUMNS.indexOf(batch)];
    if (result === undefined)
        throw new Error(`no real state for ${naive}/${batch}`);
    return result;
}


/***/ }),

/***/ 3857:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Nz: () => (/* binding */ debugMessage),
  Im: () => (/* binding */ killAllCommandsNow),
  JX: () => (/* binding */ liveCommandCount),
  logCommandsTo: () => (/* binding */ logCommandsTo),
  L: () => (/* binding */ onPath),
  d1: () => (/* binding */ runCommand),
  mB: () => (/* binding */ stopAllCommands)
});

// UNUSED EXPORTS: MAX_LINE_BYTES, STOP_GRACE_MS, commandLine

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./src/util/bytes.ts
var util_bytes = __webpack_require__(1671);
;// CONCATENATED MODULE: ./src/exec/process-group.ts
/**
 * Signalling a program together with everything it started. run.ts spawns each program as the
 * leader of its own process group (`detached`), so a signal to the group also reaches what the
 * program started (rsync's ssh, its receiver): the one place that sends it, for a timeout, an
 * abort, and a cancelled run alike.
 */
/**
 * `signal` to the process group `child` leads. If the group cannot be signalled (gone
 * already), the program itself gets it, when it still runs.
 */
function signalGroup(child, signal) {
    try {
        if (child.pid)
            process.kill(-child.pid, signal);
    }
    catch {
        if (child.exitCode === null && child.signalCode === null)
            child.kill(signal);
    }
}

;// CONCATENATED MODULE: ./src/exec/run.ts



/** The programs running now, each the leader of its process group; true for a `cleanup` one. */
const live = new Map();
let stopping = false;
/** Grace between SIGTERM and SIGKILL for the programs of a cancelled run. */
const STOP_GRACE_MS = 1000;
/**
 * The run is cancelled: start no program from now on (but `cleanup` ones), send SIGTERM to
 * every live process group (rsync removes its temporary file on it) and SIGKILL to those
 * still there STOP_GRACE_MS later.
 */
function stopAllCommands() {
    stopping = true;
    const groups = [...live].filter(([, cleanup]) => !cleanup).map(([child]) => child);
    for (const child of groups)
        signalGroup(child, 'SIGTERM');
    if (groups.length > 0) {
        setTimeout(() => {
            for (const child of groups)
                if (live.has(child))
                    signalGroup(child, 'SIGKILL');
        }, STOP_GRACE_MS);
    }
}
/** SIGKILL to every live process group at once: the last thing before the process exits. */
function killAllCommandsNow() {
    stopping = true;
    for (const child of live.keys())
        signalGroup(child, 'SIGKILL');
}
/** How many programs run now (for tests and the cancel log). */
function liveCommandCount() {
    return live.size;
}
const DEFAULT_MAX = 4 * 1024 * 1024;
/** The longest line handed to an `on…Line` callback; a longer one ends the program as `maxStdout` does. */
const MAX_LINE_BYTES = 4 * 1024 * 1024;
let debugLog;
/**
 * With step debug logging on, every command line run (and how it ended) goes to `log`: the one
 * place that sees all of them (scheduler, rsync, ssh, hostname). Only argv is logged, never
 * `input` or the environment.
 */
function logCommandsTo(log) {
    debugLog = log;
}
/** A debug message, when commands are logged (`logCommandsTo`). */
function debugMessage(message) {
    debugLog?.(message);
}
/** argv as one line: a word with spaces, quotes or control characters is JSON-quoted. */
function commandLine(argv) {
    return argv.map((a) => (/^[\w@%+=:,./~-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
class Capture {
    max;
    onLine;
    limit;
    chunks = [];
    size = 0;
    total = 0;
    partial = '';
    /** What was exceeded, once `limit` or MAX_LINE_BYTES was: nothing more is taken. */
    exceeded;
    constructor(max, onLine, limit) {
        this.max = max;
        this.onLine = onLine;
        this.limit = limit;
    }
    stop(what) {
        this.exceeded = what;
        this.chunks = [];
        this.size = 0;
        this.partial = '';
        this.limit?.onExceeded();
    }
    push(chunk) {
        if (this.exceeded)
            return;
        this.total += chunk.length;
        const bytes = this.limit?.bytes;
        if (bytes !== undefined && this.total > bytes) {
            this.stop(`the output exceeded ${(0,util_bytes/* formatBytes */.z)(bytes, 'exact')}`);
            return;
        }
        if (this.limit?.keep !== false) {
            this.chunks.push(chunk);
            this.size += chunk.length;
            while (this.size > this.max && this.chunks.length > 1) {
                this.size -= this.chunks.shift().length;
            }
        }
        if (this.onLine) {
            const text = this.partial + chunk.toString('utf8');
            const lines = text.split(/\r\n|\n|\r/);
            this.partial = lines.pop() ?? '';
            if (this.limit && this.partial.length > MAX_LINE_BYTES) {
                this.stop(`a line of the output exceeded ${(0,util_bytes/* formatBytes */.z)(MAX_LINE_BYTES, 'exact')}`);
                return;
            }
            for (const line of lines)
                this.onLine(line);
        }
    }
    finish() {
        if (this.onLine && this.partial)
            this.onLine(this.partial);
        this.partial = '';
        const buf = Buffer.concat(this.chunks);
        this.chunks = [];
        return (buf.length > this.max ? buf.subarray(buf.length - this.max) : buf).toString('utf8');
    }
}
/** Run `argv[0]` with `argv.slice(1)`; never rejects: failures are in the result. */
function runCommand(argv, options) {
    const [file, ...args] = argv;
    if (!file)
        throw new Error('runCommand: empty argv');
    const started = Date.now();
    if (stopping && !options.cleanup)
        return Promise.resolve(notStarted(file));
    const line = debugLog && commandLine(argv);
    if (line)
        debugLog?.(`run: ${line}${options.cwd ? ` (in ${options.cwd})` : ''}`);
    return new Promise((resolve) => supervise(file, args, options, { started, line }, resolve));
}
/** The answer for a program a cancelled run does not start. */
function notStarted(file) {
    return {
        code: null,
        signal: null,
        stdout: '',
        stderr: `${file} was not started: the run was cancelled.`,
        timedOut: false,
        durationMs: 0,
        cancelled: true,
    };
}
/**
 * One program from its spawn to its end: its output captured, killed at its timeout, at an
 * abort or when its output is too long, and its result handed to `resolve` once it closed.
 */
function supervise(file, args, options, how, resolve) {
    const child = spawnInGroup(file, args, options);
    if (child.pid)
        live.set(child, options.cleanup === true);
    const stopper = new GroupStopper(child);
    const kill = () => stopper.kill();
    const { out, err } = captures(options, kill);
    let timedOut = false;
    let spawnError;
    const timer = setTimeout(() => {
        timedOut = true;
        kill();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', kill, { once: true });
    child.stdout?.on('data', (c) => out.push(c));
    child.stderr?.on('data', (c) => err.push(c));
    if (options.input !== undefined && child.stdin) {
        child.stdin.on('error', () => { });
        child.stdin.end(options.input);
    }
    child.on('error', (e) => {
        spawnError = e;
    });
    child.on('close', (code, signal) => {
        live.delete(child);
        clearTimeout(timer);
        stopper.clear();
        options.signal?.removeEventListener('abort', kill);
        if (how.line)
            logEnd(how.line, how.started, { code, signal, timedOut, spawnError });
        resolve({
            code,
            signal,
            stdout: out.finish(),
            stderr: err.finish(),
            timedOut,
            spawnError,
            durationMs: Date.now() - how.started,
            ...(stopping && !options.cleanup && code !== 0 ? { cancelled: true } : {}),
            ...(out.exceeded ? { outputExceeded: out.exceeded } : {}),
        });
    });
}
/** The program started as the leader of its own process group, with argv and no shell. */
function spawnInGroup(file, args, options) {
    return (0,external_node_child_process_.spawn)(file, args, {
        shell: false,
        env: options.env ?? process.env,
        cwd: options.cwd,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', options.stdoutFd ?? 'pipe', 'pipe'],
        // Own process group, so that a timeout also ends grandchildren (rsync's ssh).
        detached: true,
        windowsHide: true,
    });
}
/** SIGTERM to the program's process group, SIGKILL 2 s later if it is still there. */
class GroupStopper {
    child;
    killTimer;
    constructor(child) {
        this.child = child;
    }
    kill() {
        const child = this.child;
        if (child.exitCode !== null || child.signalCode !== null)
            return;
        signalGroup(child, 'SIGTERM');
        this.killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), 2000);
        this.killTimer.unref();
    }
    /** The program ended: no SIGKILL to a group that may be another's by then. */
    clear() {
        if (this.killTimer)
            clearTimeout(this.killTimer);
    }
}
/** stdout and stderr as kept; stdout with its limit, which kills the program when passed. */
function captures(options, kill) {
    const limited = options.maxStdout !== undefined || options.discardStdout === true;
    const out = new Capture(options.maxBuffer ?? DEFAULT_MAX, options.onStdoutLine, limited
        ? { bytes: options.maxStdout, keep: !options.discardStdout, onExceeded: kill }
        : undefined);
    return { out, err: new Capture(options.maxBuffer ?? DEFAULT_MAX, options.onStderrLine) };
}
/** The debug line of how a program ended (`exit 0 in 12 ms: rsync …`). */
function logEnd(line, started, end) {
    const { code, signal, timedOut, spawnError } = end;
    const how = spawnError
        ? `could not start (${spawnError.code ?? spawnError.message})`
        : `${code === null ? `killed by ${signal}` : `exit ${code}`}${timedOut ? ' (timed out)' : ''}`;
    debugLog?.(`${how} in ${Date.now() - started} ms: ${line}`);
}
/** True if `name` is an executable on PATH (no shell, no `which`). */
async function onPath(name, env = process.env) {
    const { access, constants } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 23));
    const { delimiter, join } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 6760, 23));
    for (const dir of (env.PATH ?? '').split(delimiter)) {
        if (!dir)
            continue;
        try {
            await access(join(dir, name), constants.X_OK);
            return true;
        }
        catch { }
    }
    return false;
}


/***/ }),

/***/ 9405:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: failOnHits

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/domain/states.ts
var states = __webpack_require__(7812);
// EXTERNAL MODULE: ./src/util/bytes.ts
var util_bytes = __webpack_require__(1671);
;// CONCATENATED MODULE: ./src/action/report/result.ts
/**
 * One job's outcome. `reasonCode` says what happened, for code to branch on; `reason` keeps the
 * words, for people (qq's where qq has them), so nothing tells outcomes apart by message text.
 */


/** The result of a job before anything is done: failed, with what its info file says. */
function newResult(job, state) {
    const info = job.info;
    return {
        id: info?.jobId ?? job.requestedId ?? job.label,
        name: info?.jobName ?? '',
        infoFile: job.infoFile ?? '',
        state: state ? (0,states/* realStateToString */.gQ)(state) : '',
        status: 'failed',
        reasonCode: 'error',
        reason: '',
        exitCode: info?.jobExitCode ?? null,
        filesSynced: 0,
        bytesSynced: 0,
        destination: '',
        cacheHit: false,
        cacheKey: '',
        mainNode: info?.mainNode ?? '',
        workDir: info?.workDir ?? '',
        inputDir: info?.inputDir ?? '',
        durationMs: 0,
        method: '',
        attempts: 0,
    };
}
function unmatchedMessage(entry, workDir) {
    return `'files' entry '${entry}' matched nothing in the working directory '${workDir}': nothing was fetched for it.`;
}
/** The reason with our hint after it, for people (the annotation, the summary): not `reason`. */
function withHint(r) {
    return r.hint ? `${r.reason} ${r.hint}` : r.reason;
}
/** The real state of a result, or undefined if not known. */
function stateOf(r) {
    return r.state ? realStateFromName(r.state) : undefined;
}
/**
 * The real state in the words `fail-on` and `wait-for` take (`failed`, `inconsistent`, …),
 * for workflows to compare; '' if not known. `state` stays qq's text.
 */
function stateCodeOf(stateText) {
    const state = stateText ? (0,states/* realStateFromName */.XR)(stateText) : undefined;
    return state ? (0,states/* realStateCode */.lT)(state) : '';
}
function overallStatus(results) {
    if (results.length === 0 || results.some((r) => r.status === 'failed'))
        return 'failed';
    if (results.some((r) => r.status === 'synced'))
        return 'synced';
    return results.some((r) => r.status === 'dry-run') ? 'dry-run' : 'skipped';
}
/** A job that ended badly on the cluster (its files may still have been fetched). */
function endedBadly(r) {
    const code = stateCodeOf(r.state);
    return code === 'failed' || code === 'killed';
}
/** Line breaks and other control characters out: what is left fits on one line. */
function oneLine(text) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    return text.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ').trim();
}
/** At most `max` characters, an ellipsis marking the cut. */
function clip(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
/** `5001.pbs-m1 (ala-300K)`: how a job is named in titles and annotations. */
function jobLabel(r) {
    return oneLine(r.name ? `${clip(r.id, 80)} (${clip(r.name, 60)})` : clip(r.id, 80));
}
function formatDuration(ms) {
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Why a skipped job had nothing to fetch, in a few words (the full text is `reason`). */
const SKIP_WORDS = {
    synchronized: 'already synchronized by qq',
    'implicitly-synchronized': 'ran in its input directory',
    'killed-no-work-dir': 'killed before it had a working directory',
    restored: 'restored from the cache',
};
/**
 * The outcome in a few words, the same in log titles, the table and annotations:
 * `fetched 4 files, 157 B`, `nothing to fetch (not started yet)`, `failed: <short reason>`.
 */
function outcomeWords(r, reasonMax = 100) {
    const amount = `${plural(r.filesSynced, 'file')}, ${(0,util_bytes/* formatBytes */.z)(r.bytesSynced)}`;
    const left = leftOutWords(r);
    if (r.reasonCode === 'fetched') {
        return `${r.filesSynced === 0 ? 'up to date' : `fetched ${amount}`}${left}`;
    }
    if (r.reasonCode === 'copied') {
        return `copied ${amount} from the input directory (${SKIP_WORDS[r.unsuitable ?? 'synchronized'] ?? 'already synchronized by qq'})${left}`;
    }
    if (r.reasonCode === 'dry-run') {
        const would = `${plural(r.filesWouldSync ?? 0, 'file')}, ${(0,util_bytes/* formatBytes */.z)(r.bytesWouldSync ?? 0)}`;
        const from = r.source ? ' from the input directory' : '';
        return `would ${r.source ? 'copy' : 'fetch'} ${would}${from} (dry run)${left}`;
    }
    if (r.reasonCode === 'restored' || (r.cacheHit && r.status === 'skipped')) {
        return 'restored from the cache';
    }
    if (r.reasonCode === 'queued')
        return `nothing to fetch (${stateCodeOf(r.state) || 'queued'})`;
    if (r.status === 'skipped') {
        return `nothing to fetch (${SKIP_WORDS[r.reasonCode] ?? clip(oneLine(r.reason), reasonMax)})`;
    }
    const words = FAIL_WORDS[r.reasonCode];
    return `failed: ${words ?? clip(oneLine(r.reason), reasonMax)}`;
}
/** `; left out 2 files over max-size (1.5 GiB)`, or '' when max-size left nothing out. */
function leftOutWords(r) {
    const over = r.overMaxSize;
    if (!over || over.files === 0)
        return '';
    return `; left out ${plural(over.files, 'file')} over max-size (${(0,util_bytes/* formatBytes */.z)(over.bytes)})`;
}
/** Why a job failed, in a few words, where the code says it (the full text is `reason`). */
const FAIL_WORDS = {
    'work-dir-missing': 'working directory not found',
    'wait-timeout': 'timed out waiting for its state',
    cancelled: 'cancelled',
};
/** ✔ fetched, – nothing to fetch, ✖ failed: the mark before a job in titles and the table. */
function outcomeMark(r) {
    if (r.status === 'failed')
        return '✖';
    return r.status === 'synced' || r.status === 'dry-run' || r.cacheHit ? '✔' : '–';
}
/** `failed (exit 1)`, `was killed`, `is running`: the job's state as a predicate. */
function statePhrase(r) {
    const code = stateCodeOf(r.state);
    const exit = r.exitCode == null ? '' : ` (exit ${r.exitCode})`;
    switch (code) {
        case '':
            return 'is in a state not known';
        case 'finished':
            return `finished${exit}`;
        case 'failed':
            return `failed${exit}`;
        case 'killed':
            return `was killed${exit}`;
        case 'unknown':
            return 'is in an unknown state';
        case 'inconsistent':
            return 'is in an inconsistent state';
        default:
            return `is ${r.state}`;
    }
}

;// CONCATENATED MODULE: ./src/action/report/report.ts
/**
 * The one value a run ends with: the settings, each job's result, what failed the step, and
 * whether it was cancelled. Outputs (outputs.ts), the summary (summary/summary.ts) and the annotations
 * (annotations.ts) each read it, so they cannot disagree.
 *
 * action/report/ is what the run tells: this value, each job's result and its words
 * (result.ts), the log as it goes (log.ts), and from the report the outputs (outputs.ts, with
 * the files changes-output.ts and manifest.ts write), the annotations (annotations.ts), why a
 * job failed (why-failed.ts) and the job summary (summary/); publish.ts writes them out.
 */


/** Which `fail-on` conditions the results meet, one hit per job and condition. */
function failOnHits(settings, results) {
    const hits = [];
    for (const result of results) {
        if (settings.failOn.has('unsuitable') && result.status === 'skipped') {
            hits.push({ result, condition: 'unsuitable' });
        }
        const state = result.state ? (0,states/* realStateFromName */.XR)(result.state) : undefined;
        if (state && settings.failOn.has(state))
            hits.push({ result, condition: state });
    }
    return hits;
}
/**
 * The order jobs are told in: those that fail the step (their fetch failed, or a `fail-on`
 * condition) first, then the others, each in the order they were found (qq's). The log's
 * groups follow it; the summary's rows should too.
 */
function reportOrder(results, hits) {
    const hit = new Set(hits.map((h) => h.result));
    const failing = (r) => r.status === 'failed' || hit.has(r);
    return [...results.filter(failing), ...results.filter((r) => !failing(r))];
}
/** How many jobs a message names before it says `and N more`. */
const NAMED = 10;
/** `fail-on: job 4242 failed (exit 1); job 4243 was killed.` */
function failOnMessage(hits) {
    const parts = hits
        .slice(0, NAMED)
        .map(({ result, condition }) => condition === 'unsuitable'
        ? `job ${jobLabel(result)} had nothing to fetch (unsuitable)`
        : `job ${jobLabel(result)} ${statePhrase(result)}`);
    const more = hits.length > NAMED ? `; and ${hits.length - NAMED} more` : '';
    return `fail-on: ${parts.join('; ')}${more}.`;
}
/**
 * `Cancelled (SIGINT): 3 of 10 job(s) not fetched.`, the step's error after a cancel: written
 * here only, for the step's error (action/cancel.ts cancelMessage) and the summary alike. Not
 * fetched is failed, as in the annotations: the jobs the cancel stopped and any that had
 * failed before it.
 */
function cancelledSentence(signalName, results) {
    const notFetched = results.filter((r) => r.status === 'failed').length;
    return `Cancelled (${signalName}): ${notFetched} of ${results.length} job(s) not fetched.`;
}
/** Why the step fails, in one sentence; '' if it passes. */
function stepFailure(report) {
    if (report.fatal)
        return report.fatalHint ? `${report.fatal} ${report.fatalHint}` : report.fatal;
    const reasons = [];
    const failed = report.results.filter((r) => r.status === 'failed');
    if (report.cancelled) {
        reasons.push(cancelledSentence(report.cancelled, report.results));
    }
    else if (failed.length === 1) {
        reasons.push(`job ${jobLabel(failed[0])} could not be fetched.`);
    }
    else if (failed.length > 1) {
        reasons.push(`${failed.length} of ${report.results.length} jobs could not be fetched.`);
    }
    if (report.hits.length > 0)
        reasons.push(failOnMessage(report.hits));
    return reasons.join(' ');
}
/** What tells this step's summary apart from another qq-sync step of the job. */
function summaryHeading(settings, env) {
    const parts = [];
    // GITHUB_ACTION is the step's `id`, or `__owner_repo` (with a suffix) when it has none.
    const step = env.GITHUB_ACTION ?? '';
    if (step && !step.startsWith('__'))
        parts.push(`step ${step}`);
    if (settings) {
        const what = settings.jobIds.length > 0 ? settings.jobIds : settings.paths;
        const text = what.join(', ');
        parts.push(`${settings.jobIds.length > 0 ? 'job-id' : 'path'} ${text.length > 120 ? `${text.slice(0, 120)}…` : text}`);
    }
    return parts.join(', ');
}

;// CONCATENATED MODULE: ./src/action/report/annotations.ts
/**
 * The annotations of a run, read from its RunReport: an error per job that could not be
 * fetched and one for `fail-on`; a warning per job that failed or was killed on the cluster
 * when the step does not fail on it (the step stays green: `fail-on` is the gate), per job
 * not fetched, per `files` entry that matched nothing; a notice per job whose files are already
 * in place. Every message names its job and is one line (the log view shows no title, and a
 * raw line break would show as %0D%0A); at most ANNOTATION_LIMIT of a kind, the last summing
 * up the rest.
 */



/** The runner shows at most this many annotations of each kind per step. */
const ANNOTATION_LIMIT = 10;
/**
 * Warnings printed while the run went on (a scheduler that could not be asked, no cache
 * service, follow without wait-for): they count against the same limit as the report's.
 */
let earlyWarnings = 0;
/** A warning before the report, counted (see earlyWarnings). */
function warnEarly(message, properties) {
    earlyWarnings++;
    core/* warning */.$e(message, properties);
}
/** Long enough for any reason of ours; an annotation is read, not scrolled. */
const MESSAGE_MAX = 4000;
/** One line, bounded: what may go into an annotation. */
function clean(a) {
    return { title: clip(oneLine(a.title), 200), message: clip(oneLine(a.message), MESSAGE_MAX) };
}
/**
 * At most ANNOTATION_LIMIT of a kind: the first LIMIT-1 as they are, and one that sums up
 * the rest, so nothing is silently dropped.
 */
function aggregateAnnotations(items, noun, limit = ANNOTATION_LIMIT) {
    if (items.length <= limit)
        return [...items];
    const shown = items.slice(0, limit - 1);
    const rest = items.slice(limit - 1);
    const names = rest.map((a) => a.title.replace(/^qq-sync: /, '')).join(', ');
    return [
        ...shown,
        {
            title: `qq-sync: ${rest.length} more ${noun}`,
            message: `${rest.length} more ${noun}: ${clip(names, 3000)}. See the job summary.`,
        },
    ];
}
/** Files already where they belong: a notice (a scheduled sync would stay yellow forever). */
const inPlace = (r) => r.reasonCode === 'synchronized' ||
    r.reasonCode === 'implicitly-synchronized' ||
    r.reasonCode === 'restored';
/** A job that failed or was killed, and `fail-on` does not gate on that state. */
function ungatedBadEnd(r, report) {
    if (r.status === 'failed' || !endedBadly(r))
        return false;
    return !report.hits.some((h) => h.result === r && h.condition !== 'unsuitable');
}
function unmatchedWarnings(results) {
    const byEntry = new Map();
    for (const r of results) {
        for (const f of r.unmatchedFiles ?? [])
            byEntry.set(f, [...(byEntry.get(f) ?? []), r]);
    }
    return [...byEntry].map(([entry, jobs]) => {
        const first = jobs[0];
        return {
            title: `qq-sync: '${entry}' matched nothing`,
            message: jobs.length === 1
                ? `${unmatchedMessage(entry, first.workDir)} (job ${jobLabel(first)})`
                : `'files' entry '${entry}' matched nothing in the working directories of ${jobs.length} jobs (${jobs
                    .slice(0, 10)
                    .map((j) => `${j.id}: '${j.workDir}'`)
                    .join(', ')}${jobs.length > 10 ? ', …' : ''}): nothing was fetched for it.`,
        };
    });
}
/** Every annotation of the run, each kind within the runner's limit. */
function annotationsOf(report, warnedBefore = earlyWarnings) {
    const error = [];
    const warning = [];
    const notice = [];
    if (report.hits.length > 0) {
        error.push({ title: 'qq-sync: fail-on', message: failOnMessage(report.hits) });
    }
    for (const r of report.results) {
        const label = jobLabel(r);
        if (r.status === 'failed') {
            error.push({ title: `qq-sync: ${r.id} not fetched`, message: `${label}: ${withHint(r)}` });
        }
        else if (ungatedBadEnd(r, report)) {
            // The job's end matters more than what was fetched; one annotation says both.
            warning.push({
                title: `qq-sync: ${r.id} ${stateCodeOf(r.state)}`,
                message: `Job ${label} ${statePhrase(r)}; ${outcomeWords(r)}. The step does not fail on it (fail-on: ${stateCodeOf(r.state)} would).`,
            });
        }
        else if (r.status === 'skipped' && inPlace(r)) {
            notice.push({
                title: `qq-sync: ${r.id} already in place`,
                message: `${label}: ${withHint(r)}`,
            });
        }
        else if (r.status === 'skipped') {
            warning.push({ title: `qq-sync: ${r.id} not fetched`, message: `${label}: ${withHint(r)}` });
        }
    }
    warning.push(...unmatchedWarnings(report.results));
    return {
        // A cancelled run's step error (setFailed) is one more error annotation.
        error: aggregateAnnotations(error.map(clean), 'jobs not fetched', ANNOTATION_LIMIT - (report.cancelled ? 1 : 0)),
        // At least one: what was not said in a warning of its own is summed up in it.
        warning: aggregateAnnotations(warning.map(clean), 'warnings', Math.max(1, ANNOTATION_LIMIT - warnedBefore)),
        notice: aggregateAnnotations(notice.map(clean), 'jobs already in place'),
    };
}
function annotate(report) {
    const all = annotationsOf(report);
    for (const a of all.notice)
        core/* notice */.lm(a.message, { title: a.title });
    for (const a of all.warning)
        core/* warning */.$e(a.message, { title: a.title });
    for (const a of all.error)
        core/* error */.z3(a.message, { title: a.title });
}

// EXTERNAL MODULE: ./src/action/cache/budget.ts
var budget = __webpack_require__(2230);
;// CONCATENATED MODULE: ./src/action/cache/job-cache.ts
/**
 * The `cache: true` glue of one job: save what was fetched, and restore the newest cached
 * copy when the job's working directory is gone. `./actions-cache.js` (and `@actions/cache`) is
 * loaded only when a job uses it.
 *
 * action/cache/ is `cache: true`: this glue, the calls to `@actions/cache` and its keys
 * (actions-cache.ts), the step's one time budget for them (budget.ts), and what the library
 * says, read to name the real cause of a failure (messages.ts).
 */




/** The reason of a job whose working directory vanished and came back from the cache. */
const WORK_DIR_GONE_RESTORED = 'Working directory of the job no longer exists: restored the newest cached copy.';
/**
 * The step's cache budget is the transfer-timeout: a save moves the same bytes as the
 * transfer did, so the time the user allows for one transfer is the right scale, and it is
 * already tuned for the cluster's data sizes. One budget for the whole step (budget.ts):
 * a service that does not answer costs it once, not once per job.
 */
function job_cache_budget(transferTimeoutSec) {
    return (0,budget/* stepCacheBudget */.uz)(transferTimeoutSec * 1000, 'transfer-timeout');
}
/** A cache warning: in the job's log, and as an annotation naming the job. */
function warn(result, message, log) {
    log.info(message);
    core/* warning */.$e(message, { title: `qq-sync: cache, job ${result.id}` });
}
/** Save the job's destination under a new key; the key goes into the result. */
async function saveToCache(result, destination, log, transferTimeoutSec) {
    const { saveJobFiles } = await __webpack_require__.e(/* import() */ 528).then(__webpack_require__.bind(__webpack_require__, 9528));
    const saved = await saveJobFiles({
        jobId: result.id,
        paths: [destination],
        runId: process.env.GITHUB_RUN_ID ?? '0',
        runAttempt: process.env.GITHUB_RUN_ATTEMPT ?? '1',
        log: (m) => log.info(m),
        budget: job_cache_budget(transferTimeoutSec),
    });
    if (saved.key) {
        result.cacheKey = saved.key;
        log.info(`Saved to the Actions cache as '${saved.key}'.`);
    }
    if (saved.notice)
        log.info(saved.notice);
    if (saved.warning)
        warn(result, saved.warning, log);
}
/** True if `dir` does not exist or holds nothing: a restore there cannot replace anything. */
async function isEmptyDir(dir) {
    try {
        return (await (0,promises_.readdir)(dir)).length === 0;
    }
    catch (e) {
        return e.code === 'ENOENT';
    }
}
/**
 * When the job's working directory is gone, restore the newest cached copy — only into a
 * destination that is missing or empty, so that a restore never replaces a file.
 */
async function restoreFromCache(result, destination, log, transferTimeoutSec) {
    if (!(await isEmptyDir(destination))) {
        log.info(`The destination is not empty: no cached copy restored into it.`);
        return false;
    }
    const { restoreJobFiles } = await __webpack_require__.e(/* import() */ 528).then(__webpack_require__.bind(__webpack_require__, 9528));
    const restored = await restoreJobFiles({
        jobId: result.id,
        paths: [destination],
        log: (m) => log.info(m),
        budget: job_cache_budget(transferTimeoutSec),
    });
    if (restored.notice)
        log.info(restored.notice);
    if (restored.warning)
        warn(result, restored.warning, log);
    if (!restored.hit)
        return false;
    result.cacheHit = true;
    result.cacheKey = restored.key ?? '';
    result.destination = destination;
    log.info(`Restored from the Actions cache ('${restored.key}').`);
    return true;
}
/** `cache: true` where the runner has no cache service: one warning for the step. */
async function warnIfNoCache() {
    const { cacheAvailability } = await __webpack_require__.e(/* import() */ 528).then(__webpack_require__.bind(__webpack_require__, 9528));
    const availability = await cacheAvailability();
    if (!availability.available) {
        warnEarly(availability.notice, { title: 'qq-sync: cache not available' });
    }
}

// EXTERNAL MODULE: ./src/exec/run.ts + 1 modules
var exec_run = __webpack_require__(3857);
// EXTERNAL MODULE: ./src/domain/errors.ts
var errors = __webpack_require__(241);
;// CONCATENATED MODULE: ./src/transfer/errors.ts
/** The transfer layer's errors: what failed, whether another attempt may help, and why. */

/** qq's message for a failed transfer: `Could not rsync files between '<from>' and '<to>': <detail>.` */
function rsyncFailure(from, to, detail) {
    return `Could not rsync files between '${from}' and '${to}': ${detail}.`;
}
/**
 * A transfer that failed; `transient` when another attempt may succeed. The message is qq's
 * sentence exactly; `hint` is what ssh/rsync users miss most (which host, port and keys, a
 * missing remote rsync), said beside it in the log, annotation and summary, never inside it.
 */
class TransferError extends errors/* QQError */.V {
    transient;
    rsyncExit;
    name = 'TransferError';
    constructor(message, transient, 
    /** rsync's exit code, where rsync ran to its end (23, 24: it did all it could). */
    rsyncExit, hint) {
        super(message, hint);
        this.transient = transient;
        this.rsyncExit = rsyncExit;
    }
}
/**
 * The job's working directory is not there (rsync's `change_dir "…" failed: No such file or
 * directory`, or the built-in copier finding no directory): the job's files are gone, not
 * unreachable. Never transient.
 */
class WorkDirMissingError extends TransferError {
    name = 'WorkDirMissingError';
    constructor(message, hint) {
        super(message, false, undefined, hint);
    }
}
/** rsync's words for a source directory that does not exist. */
const RSYNC_WORK_DIR_MISSING = /change_dir "[^\n]*" failed: No such file or directory/;

;// CONCATENATED MODULE: ./src/transfer/path-filter.ts
const LEFT_OUT_NAMES = 1000;
/** Keep `rel` among the names of `out` while there is room. */
function noteLeftOut(out, rel) {
    out.names ??= [];
    if (out.names.length < LEFT_OUT_NAMES)
        out.names.push(rel);
}
/** Everything: no rule, no size limit. */
const EVERYTHING = { excludes: () => false };
const NOT_ASCII = /[\x80-\uffff]/;
/** Byte string (see above) to text for people and JSON: invalid UTF-8 shows as U+FFFD. */
function displayPath(rel) {
    // ASCII reads the same either way: no buffer (a job of 100,000 files shows each path).
    return !NOT_ASCII.test(rel) ? rel : Buffer.from(rel, 'latin1').toString('utf8');
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/util/throttle.ts
/**
 * How often progress lines are shown (restic's `NewUpdater(interval, report)` idea): the worker
 * only counts and says how its count reads as a line; this one place decides when a line is
 * shown. Used by the copier, rsync's progress through a pipe, and the streams' total.
 */
/** Milliseconds between progress lines when the caller does not say (`progressEveryMs`). */
const PROGRESS_EVERY_MS = 5000;
/**
 * A function to offer a progress line through: the line goes to `show` when at least `everyMs`
 * have passed since the last one shown, and is dropped otherwise. `line` is called only then
 * (the wording costs nothing between lines); when it gives undefined (nothing worth showing),
 * nothing is shown and the next offer may show at once. Without `show`, nothing is ever shown.
 * The first line may come at once, or, with `fromNow`, only `everyMs` after this call.
 */
function throttle(show, everyMs = PROGRESS_EVERY_MS, { fromNow = false } = {}) {
    let last = fromNow ? Date.now() : 0;
    return (line) => {
        if (!show)
            return;
        const now = Date.now();
        if (now - last < everyMs)
            return;
        const text = line();
        if (text === undefined)
            return;
        last = now;
        show(text);
    };
}

;// CONCATENATED MODULE: ./src/util/times.ts
/**
 * Times for fs.utimes / lutimes / futimes, from a Stats' milliseconds.
 *
 * Node takes a number of seconds below 0 for "now" (toUnixTimestamp in lib/internal/fs/utils),
 * so a time before 1970 (a job's tree may hold one; rsync -t keeps it) must go as a Date. A
 * Date holds whole milliseconds: floored, so the whole second (what rsync compares) stays the
 * same. From 1970 on, the number keeps what libuv keeps (microseconds).
 */
function fsTime(ms) {
    return ms >= 0 ? ms / 1000 : new Date(Math.floor(ms));
}
/** `fsTime` of a time in (possibly fractional) seconds. */
function fsTimeSec(sec) {
    return fsTime(sec * 1000);
}

;// CONCATENATED MODULE: ./src/transfer/type-change.ts


/** The prefix of a run's backup directory; the lock's token follows. */
const DISPLACED_PREFIX = '.qq-sync-displaced.';
/** A backup directory that could not be put back whole is renamed to this, token after. */
const KEPT_PREFIX = 'qq-sync-kept-';
/** The backup directory of the run holding the lock with `token`, relative to the destination. */
function displacedName(token) {
    return `${DISPLACED_PREFIX}${token}`;
}
/** rsync's extra arguments: the backup into `name` (made by makeDisplacedDir). */
function displacedArgs(name) {
    return name ? ['--backup', `--backup-dir=${name}`] : [];
}
/** rsync's rule that leaves the run's own directory out of the transfer. */
function reservedExclude(name) {
    return `--exclude=/${name}`;
}
/**
 * Make the backup directory, exclusively (an existing entry of that name is an error, never
 * reused); its identity, to be recognised when settled.
 */
async function makeDisplacedDir(destination, name) {
    const full = Buffer.concat([Buffer.from(destination), Buffer.from(`/${name}`)]);
    await (0,promises_.mkdir)(full, { mode: 0o700 });
    const st = await (0,promises_.lstat)(full, { bigint: true });
    return { dir: { name, dev: String(st.dev), ino: String(st.ino) }, st };
}
/** Whole seconds, as rsync compares modification times. */
function mtimeSec(st) {
    return Math.floor(st.mtimeMs / 1000);
}
/** Whether a destination entry `dst` is newer than the job's directory `srcDir`. */
function keptOverDirectory(dst, srcDir) {
    return mtimeSec(dst) > mtimeSec(srcDir);
}
/** The message for one refused entry (rel: a byte string). */
function refusedLine(rel, dst) {
    const kind = dst.isSymbolicLink() ? 'symlink' : 'file';
    return `'${displayPath(rel)}' in the destination is a ${kind} newer than the job's directory '${displayPath(rel)}/': kept, and that directory not fetched (rename or remove the ${kind} to fetch it, or use overwrite: always)`;
}
const SLASH = Buffer.from('/');
const join = (a, b) => (a.length ? Buffer.concat([a, SLASH, b]) : b);
const errCode = (e) => e.code;
/** lstat, undefined when nothing is there (ENOENT, ENOTDIR: a component is not a directory). */
async function lstatOrNone(p) {
    try {
        return await (0,promises_.lstat)(p);
    }
    catch (e) {
        if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR')
            return undefined;
        throw e;
    }
}
/**
 * Whether every directory of `rel` below `dest` (not the last name) is a real directory now:
 * looked at with lstat, a symlink or anything else (or nothing) fails.
 */
async function realParents(dest, rel) {
    let at = dest;
    let from = 0;
    for (;;) {
        const slash = rel.indexOf(SLASH, from);
        if (slash < 0)
            return true;
        at = Buffer.concat([dest, SLASH, rel.subarray(0, slash)]);
        const st = await lstatOrNone(at);
        if (!st?.isDirectory())
            return false;
        from = slash + 1;
    }
}
/** Regular files under a real directory and their bytes (lstat: symlinks are not followed). */
async function filesIn(dir) {
    const n = { files: 0, bytes: 0 };
    for (const name of await (0,promises_.readdir)(dir, { encoding: 'buffer' })) {
        const p = join(dir, name);
        const st = await (0,promises_.lstat)(p);
        if (st.isDirectory()) {
            const sub = await filesIn(p);
            n.files += sub.files;
            n.bytes += sub.bytes;
        }
        else if (st.isFile()) {
            n.files++;
            n.bytes += st.size;
        }
    }
    return n;
}
/**
 * Settle what rsync moved into the run's backup directory `dir` (see above). Names are Buffers
 * throughout: a non-UTF-8 name is put back exactly. Where the directory is not there (a dry
 * run, a killed run that had not made it) this is one lstat.
 */
async function settleDisplaced(destination, dir, how) {
    const { runFailed, refuse } = how;
    const out = { refused: [], removed: [], unsafe: [] };
    const dest = Buffer.from(destination.replace(/\/+$/, '') || '/');
    const root = join(dest, Buffer.from(dir.name));
    const rootSt = await (0,promises_.lstat)(root, { bigint: true }).catch((e) => {
        if (errCode(e) === 'ENOENT')
            return undefined;
        throw e;
    });
    if (!rootSt)
        return out;
    const made = dir.ino === undefined || (String(rootSt.ino) === dir.ino && String(rootSt.dev) === dir.dev);
    if (!rootSt.isDirectory() || !made) {
        // Not the directory made (only someone with the user's rights could have swapped it):
        // nothing in it is trusted, nothing is moved.
        out.notOurs = dir.name;
        return out;
    }
    const putBack = async (r, moved, st) => {
        if (!(await realParents(dest, r)))
            return false;
        const original = join(dest, r);
        const now = await lstatOrNone(original);
        if (!now) {
            await (0,promises_.rename)(moved, original); // rsync stopped between the move and its replacement
        }
        else if (now.isDirectory() && refuse && (runFailed || keptOverDirectory(st, now))) {
            // The directory was made by this run in the file's place: only the job's files are in
            // it. fs.rm removes a symlink in it as a link, never what it points to.
            const counted = await filesIn(original);
            await (0,promises_.rm)(original, { recursive: true, force: true });
            await (0,promises_.rename)(moved, original);
            const rel = r.toString('latin1');
            out.removed.push({ rel, ...counted });
            if (!runFailed)
                out.refused.push(refusedLine(rel, st));
        }
        else {
            await (0,promises_.rm)(moved, { force: true }); // replaced, as rsync replaces it without --backup
        }
        return true;
    };
    /** True when `rel` (under the backup) is empty now and removed. */
    const visit = async (rel) => {
        const here = rel.length ? join(root, rel) : root;
        let left = false;
        for (const name of await (0,promises_.readdir)(here, { encoding: 'buffer' })) {
            const r = join(rel, name);
            const moved = join(root, r);
            const st = await (0,promises_.lstat)(moved);
            const done = st.isDirectory() ? await visit(r) : await putBack(r, moved, st);
            if (!done) {
                left = true;
                if (!st.isDirectory())
                    out.unsafe.push(r.toString('latin1'));
            }
        }
        if (!left && rel.length)
            await (0,promises_.rmdir)(here);
        return !left;
    };
    // The destination's own time, as rsync set it: removing the backup directory changes it.
    const before = await (0,promises_.lstat)(dest);
    if (await visit(Buffer.alloc(0))) {
        await (0,promises_.rmdir)(root);
    }
    else {
        out.kept = await keepDisplaced(destination, dir.name);
    }
    await (0,promises_.utimes)(dest, before.atimeMs / 1000, before.mtimeMs / 1000).catch(() => { });
    return out;
}
/**
 * Rename the backup directory `name` to a visible name that says what it is (if that name is
 * free); the name it has now.
 */
async function keepDisplaced(destination, name) {
    const dest = Buffer.from(destination.replace(/\/+$/, '') || '/');
    const kept = `${KEPT_PREFIX}${name.slice(DISPLACED_PREFIX.length)}`;
    const target = join(dest, Buffer.from(kept));
    if (await lstatOrNone(target))
        return name;
    try {
        await (0,promises_.rename)(join(dest, Buffer.from(name)), target);
        return kept;
    }
    catch {
        return name;
    }
}
/** The job's error for what could not be settled safely, or '' when everything was. */
function settledProblems(s) {
    if (s.notOurs) {
        return `'${s.notOurs}' in the destination is not the directory this sync made for what rsync moved aside: left as it is, nothing in it put back.`;
    }
    if (s.unsafe.length === 0)
        return '';
    const shown = s.unsafe.slice(0, 10).map((r) => `'${displayPath(r)}'`);
    return `${s.unsafe.length} entr${s.unsafe.length === 1 ? 'y' : 'ies'} that rsync moved aside could not be put back safely (a directory on the way is now a symlink, a file or gone): ${shown.join(', ')}${s.unsafe.length > 10 ? ', …' : ''}. Nothing was moved or deleted; they are kept in '${s.kept}' in the destination.`;
}

;// CONCATENATED MODULE: ./src/transfer/copier/temp-files.ts
/**
 * Temporary names: each entry is written under `.<name>.<random>.qqsync` next to its target
 * and renamed onto it, so no half-written file ever stands under a final name (rsync's
 * `.<name>.XXXXXX`). A directory that this copy makes is made under such a name too, filled,
 * and renamed onto its final name when it is complete (walk.ts): one rename for the directory
 * instead of one per file in it. The live ones are known, so that a cancelled run can remove
 * the files and put the directories in place.
 */

/** Longest file name (bytes) on Linux file systems. */
const NAME_MAX = 255;
const temp_files_SLASH = 0x2f;
const DOT = Buffer.from('.');
/** Random per process, then counted: unique without a random draw per file. */
let nextId;
/** The temporary name for `target` (bytes): the stem is cut so that the whole fits NAME_MAX. */
function tempName(target) {
    // node:crypto on first use: it is some 50 internal modules that a run without a copy skips.
    nextId ??= process.getBuiltinModule('node:crypto').randomBytes(4).readUInt32BE(0);
    nextId = (nextId + 1) >>> 0;
    const suffix = `.${nextId.toString(16).padStart(8, '0')}.qqsync`;
    const room = NAME_MAX - 1 - suffix.length;
    if (typeof target === 'string') {
        // ASCII (paths.ts): a char is a byte.
        const cut = target.lastIndexOf('/');
        return `${target.slice(0, cut + 1)}.${target.slice(cut + 1, cut + 1 + room)}${suffix}`;
    }
    const cut = target.lastIndexOf(temp_files_SLASH);
    const stem = target.subarray(cut + 1, cut + 1 + room);
    return Buffer.concat([target.subarray(0, cut + 1), DOT, stem, Buffer.from(suffix)]);
}
/**
 * The temporary files being written now. A cancelled run that cannot wait for a copy to end
 * (a large file, in the thread pool, cannot be interrupted) removes them on its way out.
 */
const liveTemps = new Set();
/**
 * The directories being filled under a temporary name now, each with its final name. What is
 * in them is whole (a file is written in them only by a synchronous copy, which a cancel
 * cannot cut, or under a temporary name of its own, in `liveTemps`).
 */
const liveDirs = new Map();
/**
 * Remove the temporary files of the copies still running, then put the directories being
 * filled onto their final names, with what they hold (synchronously: the process exits next).
 * The files removed.
 */
function removeTempFilesNow() {
    let removed = 0;
    for (const tmp of liveTemps) {
        try {
            (0,external_node_fs_.rmSync)(tmp, { force: true });
            removed++;
        }
        catch { }
    }
    liveTemps.clear();
    // Innermost first (the map is in the order they were made): an outer one is renamed with
    // whatever is inside it, so the inner ones must be in place in it before.
    for (const [tmp, final] of [...liveDirs].reverse()) {
        try {
            (0,external_node_fs_.renameSync)(tmp, final);
        }
        catch { }
    }
    liveDirs.clear();
    return removed;
}

;// CONCATENATED MODULE: ./src/transfer/copier/copy-file.ts





/** Tries for a file that changes while it is read (rsync also gives a file a second go). */
const ATTEMPTS = 3;
/** Up to this size, read through the descriptor into one buffer (copyBuffered). */
const BUFFERED_UP_TO = 128 * 1024;
/** From this size on, piece by piece (a copyFile cannot be interrupted by a cancel). */
const PIECEWISE_FROM = 16 * 1024 * 1024;
const PIECE = 2 * 1024 * 1024;
/**
 * A source file is opened never through a symlink (one that took the file's place since it
 * was listed fails with ELOOP) and without waiting (a FIFO that took its place would block the
 * open; a regular file ignores O_NONBLOCK).
 */
const SOURCE_FLAGS = external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK;
/** A target is always a new name: nothing there is written through (not even a symlink). */
const TARGET_FLAGS = external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_EXCL;
/** Open `src` for copyBuffered (it throws what open throws: ELOOP for a symlink). */
function openSource(src) {
    const fd = (0,external_node_fs_.openSync)(src, SOURCE_FLAGS);
    try {
        return { fd, st: (0,external_node_fs_.fstatSync)(fd) };
    }
    catch (e) {
        (0,external_node_fs_.closeSync)(fd);
        throw e;
    }
}
/**
 * `src`, a regular file when it was looked at, open for copyBuffered; 'vanished' when it is
 * something else now (a symlink or FIFO took its place). Other errors are thrown.
 */
function openRegularOrVanished(src) {
    let from;
    try {
        from = openSource(src);
    }
    catch (e) {
        if (e.code === 'ELOOP')
            return 'vanished';
        throw e;
    }
    if (from.st.isFile())
        return from;
    (0,external_node_fs_.closeSync)(from.fd);
    return 'vanished';
}
/** `src` open for reading when it is a regular file now and can be opened; else undefined. */
function openIfRegular(src) {
    try {
        const from = openRegularOrVanished(src);
        return from === 'vanished' ? undefined : from;
    }
    catch {
        return undefined;
    }
}
/** Whether `a` and `b` are the same version of a file (any write changes ctime). */
function sameVersion(a, b) {
    return (b.isFile() &&
        a.size === b.size &&
        a.mtimeMs === b.mtimeMs &&
        a.ctimeMs === b.ctimeMs &&
        a.ino === b.ino);
}
/** After a copy into `tmp`: rename it onto `dst` if the source is unchanged; else what next. */
function settle(src, tmp, dst, seen) {
    const after = (0,external_node_fs_.lstatSync)(src, { throwIfNoEntry: false });
    if (after && sameVersion(seen, after)) {
        // rename replaces a symlink at `dst` itself: nothing is written through it.
        (0,external_node_fs_.renameSync)(tmp, dst);
        return 'renamed';
    }
    (0,external_node_fs_.rmSync)(tmp, { force: true });
    return after?.isFile() ? after : { ok: false, why: 'vanished' };
}
/** Read up to `size` bytes of `from` into `to`, through `buf`; the bytes copied. */
function copyChunks(from, to, size, buf) {
    let pos = 0;
    while (pos < size) {
        const n = (0,external_node_fs_.readSync)(from, buf, 0, Math.min(buf.length, size - pos), pos);
        if (n === 0)
            break; // shrunk meanwhile: the check after sees it
        for (let done = 0; done < n;)
            done += (0,external_node_fs_.writeSync)(to, buf, done, n - done, pos + done);
        pos += n;
    }
    return pos;
}
let buffer;
/**
 * Copy the open source `from` (closed here) onto `dst` with bits `mode` (made under `umask`)
 * and the source's times. `direct`: `dst` is in a directory under a temporary name, so it is
 * written under its own name (and removed if the read was not consistent).
 */
function copyBuffered(from, dst, mode, umask, direct) {
    buffer ??= Buffer.allocUnsafe(BUFFERED_UP_TO);
    const buf = buffer;
    let seen = from.st;
    try {
        for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
            const target = direct ? dst : tempName(dst);
            const to = (0,external_node_fs_.openSync)(target, TARGET_FLAGS, mode);
            let written;
            try {
                // open's bits are masked by the umask; a replaced file keeps its own bits whatever it is.
                if ((mode & umask) !== 0)
                    (0,external_node_fs_.fchmodSync)(to, mode);
                written = copyChunks(from.fd, to, seen.size, buf);
                (0,external_node_fs_.futimesSync)(to, fsTime(seen.atimeMs), fsTime(seen.mtimeMs));
                (0,external_node_fs_.closeSync)(to);
            }
            catch (e) {
                try {
                    (0,external_node_fs_.closeSync)(to);
                }
                catch { }
                (0,external_node_fs_.rmSync)(target, { force: true });
                throw e;
            }
            const after = (0,external_node_fs_.fstatSync)(from.fd);
            if (written === seen.size && sameVersion(seen, after)) {
                if (!direct)
                    renameOrRemove(target, dst);
                return { ok: true, written, st: seen };
            }
            (0,external_node_fs_.unlinkSync)(target);
            seen = after;
        }
        return { ok: false, why: 'changed' };
    }
    finally {
        (0,external_node_fs_.closeSync)(from.fd);
    }
}
/** rename, or remove `tmp` when it fails. */
function renameOrRemove(tmp, dst) {
    try {
        // rename replaces a symlink at `dst` itself: nothing is written through it.
        (0,external_node_fs_.renameSync)(tmp, dst);
    }
    catch (e) {
        (0,external_node_fs_.rmSync)(tmp, { force: true });
        throw e;
    }
}
/**
 * Copy a file `src` (seen as `st`) by copyFile onto `dst` with bits `mode` and the source's
 * times (a file larger than BUFFERED_UP_TO: the kernel copies it without passing it through
 * this process).
 */
function copyByKernel(src, dst, st, mode) {
    let seen = st;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const tmp = tempName(dst);
        try {
            (0,external_node_fs_.copyFileSync)(src, tmp, external_node_fs_.constants.COPYFILE_FICLONE);
            // copyFile gives the source's bits, whatever the umask: rsync's are wanted.
            if (mode !== (seen.mode & 0o7777))
                (0,external_node_fs_.chmodSync)(tmp, mode);
            (0,external_node_fs_.utimesSync)(tmp, fsTime(seen.atimeMs), fsTime(seen.mtimeMs));
            const next = settle(src, tmp, dst, seen);
            if (next === 'renamed')
                return { ok: true, written: seen.size, st: seen };
            if ('ok' in next)
                return next;
            seen = next;
        }
        catch (e) {
            (0,external_node_fs_.rmSync)(tmp, { force: true });
            throw e;
        }
    }
    return { ok: false, why: 'changed' };
}
/**
 * Copy at most `size` bytes piece by piece; the bytes written. With `hash`, each piece is
 * hashed as it passes (the manifest's checksum from the one read).
 */
async function copyPieces(src, tmp, size, signal, hash) {
    // A reflink (btrfs, XFS) is instant: no pieces needed (unless they are hashed). Elsewhere it
    // fails at once.
    const cloned = !hash &&
        (await (0,promises_.copyFile)(src, tmp, external_node_fs_.constants.COPYFILE_FICLONE_FORCE).then(() => true, () => false));
    if (cloned)
        return size;
    const from = await (0,promises_.open)(src, 'r');
    let pos = 0;
    try {
        const to = await (0,promises_.open)(tmp, 'wx', 0o600);
        try {
            const buf = Buffer.allocUnsafe(PIECE);
            // Up to the size seen before: a file that grows meanwhile is caught by the check after.
            while (pos < size) {
                if (signal?.aborted)
                    throw new errors/* QQError */.V('aborted');
                const { bytesRead } = await from.read(buf, 0, Math.min(PIECE, size - pos), pos);
                if (bytesRead === 0)
                    break; // shrunk meanwhile: the check after sees it
                hash?.update(buf.subarray(0, bytesRead));
                for (let done = 0; done < bytesRead;) {
                    done += (await to.write(buf, done, bytesRead - done, pos + done)).bytesWritten;
                }
                pos += bytesRead;
            }
        }
        finally {
            await to.close();
        }
    }
    finally {
        await from.close();
    }
    return pos;
}
/**
 * Copy a large file as copyByKernel does, piece by piece; with `sha256`, also the SHA-256 of what
 * was written (any file: the manifest's checksums cost no second read).
 */
async function copyLarge(src, dst, st, mode, signal, sha256) {
    let seen = st;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const tmp = tempName(dst);
        // node:crypto on first use: a run without checksums never loads it.
        const hash = sha256 ? process.getBuiltinModule('node:crypto').createHash('sha256') : undefined;
        // A cancelled run that cannot wait for this copy to end removes it on its way out.
        liveTemps.add(tmp);
        try {
            const written = await copyPieces(src, tmp, seen.size, signal, hash);
            (0,external_node_fs_.chmodSync)(tmp, mode);
            (0,external_node_fs_.utimesSync)(tmp, fsTime(seen.atimeMs), fsTime(seen.mtimeMs));
            const next = settle(src, tmp, dst, seen);
            if (next === 'renamed') {
                return { ok: true, written, st: seen, ...(hash ? { sha256: hash.digest('hex') } : {}) };
            }
            if ('ok' in next)
                return next;
            seen = next;
        }
        catch (e) {
            await (0,promises_.rm)(tmp, { force: true });
            throw e;
        }
        finally {
            liveTemps.delete(tmp);
        }
    }
    return { ok: false, why: 'changed' };
}

;// CONCATENATED MODULE: ./src/transfer/copier/modes.ts
/**
 * Permission bits as `rsync -rltD` sets them (no `-p`): a new file or directory gets the
 * source's permission bits masked by the umask, without setuid, setgid and sticky (rsync's
 * dest_mode); an existing file that is replaced keeps its own bits; an existing directory is
 * left as it is.
 */
/** The process umask, read once per copy (process.umask() without a value only reads it). */
function currentUmask() {
    return process.umask();
}
/** The bits a newly made entry gets from a source entry of mode `srcMode`. */
function newEntryMode(srcMode, umask) {
    return srcMode & 0o777 & ~umask;
}
/**
 * The bits to make a new directory with: writable and searchable for this process while its
 * contents are copied (rsync does the same for a read-only source directory); the
 * directory's own bits are set when it is finished.
 */
function workingDirMode(finalMode) {
    return finalMode | 0o700;
}

;// CONCATENATED MODULE: ./src/transfer/copier/paths.ts
/**
 * Paths as bytes. The copier never turns a file name into text: a name that is not UTF-8
 * would not survive the round trip (Node replaces invalid bytes with U+FFFD, and the lstat of
 * that other name fails). Relative paths and names (readdir's `latin1`) are byte strings (one
 * char per byte, see path-filter.ts). A path given to fs calls is a string only while it is
 * ASCII, whose bytes are the same as text, else a Buffer: most trees are ASCII throughout, and
 * a string costs no buffer per name and path (issue 29: readdir's Buffer names, each with
 * its own memory, and two Buffer.concat per file were some 3 µs of 20–30 per file).
 */
const paths_NOT_ASCII = /[\x80-\uffff]/;
const paths_SLASH = Buffer.from('/');
/** `dir/name`, `name` a byte string. */
function joinBytes(dir, name) {
    if (typeof dir === 'string' && !paths_NOT_ASCII.test(name))
        return `${dir}/${name}`;
    return Buffer.concat([bytesOfPath(dir), paths_SLASH, Buffer.from(name, 'latin1')]);
}
/** A path given as text (UTF-8), for fs calls. */
function fsPathOf(text) {
    return !paths_NOT_ASCII.test(text) ? text : Buffer.from(text);
}
/** A path's bytes. */
function bytesOfPath(p) {
    return typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
}
/** A path's bytes as text for people: invalid UTF-8 shows as U+FFFD. */
function shown(p) {
    return typeof p === 'string' ? p : p.toString('utf8');
}

;// CONCATENATED MODULE: ./src/transfer/copier/problems.ts
/**
 * What could not be copied, kept while the copy goes on (rsync's exit 23/24: everything else
 * is fetched, then the run fails naming each entry). Only the first MAX_NAMED are kept, so a
 * tree that is unreadable throughout cannot fill the memory.
 */

const MAX_NAMED = 200;
class Problems {
    lines = [];
    count = 0;
    add(line) {
        this.count++;
        if (this.lines.length < MAX_NAMED)
            this.lines.push(line);
    }
    /** An error of the source side (rsync's words: `opendir "…" failed: Permission denied (13)`). */
    source(what, p, e) {
        if (e.code === 'ENOENT')
            this.add(`file has vanished: "${shown(p)}"`);
        else
            this.add(`${what} "${shown(p)}" failed: ${describeErrno(e)}`);
    }
    /** The lines for the failure message, with how many more there were. */
    detail() {
        const more = this.count - this.lines.length;
        return [...this.lines, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n');
    }
}
/** `Permission denied (13)`, as rsync prints an errno. */
function describeErrno(e) {
    const text = /^[A-Z]+: ([^,]+),/.exec(e.message)?.[1] ?? e.code ?? 'error';
    const words = text.charAt(0).toUpperCase() + text.slice(1);
    return e.errno !== undefined ? `${words} (${Math.abs(e.errno)})` : words;
}
/** Whether an error is the source's (a name that cannot be read), not the destination's. */
function isSourceError(e) {
    const code = e?.code;
    return code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'ELOOP';
}

;// CONCATENATED MODULE: ./src/transfer/copier/special.ts
/**
 * FIFOs, recreated as rsync -D recreates them. Node has no mkfifo: the `mkfifo` program makes
 * one under a plain ASCII temporary name in the destination's root (argv is text: a name
 * that is not UTF-8 could not be passed), which is then renamed onto the target (bytes).
 * Devices and sockets are not recreated (rsync makes devices only as root): they are
 * counted and named in a note.
 */




/** Seconds for one mkfifo. */
const MKFIFO_TIMEOUT_MS = 10_000;
/** Make a FIFO at `target` with permission bits `mode` and `st`'s times. */
async function makeFifo(destRoot, target, st, mode) {
    const hex = process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');
    const tmp = external_node_path_.join(destRoot, `.qq-sync-fifo.${hex}.qqsync`);
    const r = await (0,exec_run/* runCommand */.d1)(['mkfifo', '-m', mode.toString(8), '--', tmp], {
        timeoutMs: MKFIFO_TIMEOUT_MS,
    });
    if (r.spawnError)
        return 'no-mkfifo';
    if (r.code !== 0)
        return { error: r.stderr.trim() || `mkfifo exited with code ${r.code}` };
    try {
        await (0,promises_.utimes)(tmp, fsTime(st.atimeMs), fsTime(st.mtimeMs));
        await (0,promises_.rename)(tmp, target);
    }
    catch (e) {
        await (0,promises_.rm)(tmp, { force: true });
        throw e;
    }
    return 'made';
}

;// CONCATENATED MODULE: ./src/transfer/copier/copier.ts












/** At most this long (ms) without giving the event loop a turn. */
const SLICE_MS = 10;
/** rsync's quick check: same size and same modification time (whole seconds). */
function upToDate(src, dst) {
    return src.size === dst.size && mtimeSec(src) === mtimeSec(dst);
}
/** A device or socket met with `stopOnSpecial`: the copy stops there (what it wrote stays). */
class SpecialFileStop extends Error {
}
class Copier {
    options;
    destRoot;
    outcome = {
        files: 0,
        bytes: 0,
        skippedSpecial: 0,
        skippedNames: [],
        problems: '',
        problemCount: 0,
        overMaxSize: { files: 0, bytes: 0 },
    };
    problems = new Problems();
    umask = currentUmask();
    filter;
    /** Offers a progress line: the first after progressEveryMs, then one per progressEveryMs. */
    progress;
    sliceEnd = performance.now() + SLICE_MS;
    constructor(options, destRoot) {
        this.options = options;
        this.destRoot = destRoot;
        this.filter = options.filter ?? EVERYTHING;
        this.progress = throttle(options.onProgress, options.progressEveryMs, { fromNow: true });
    }
    /** A turn for the event loop every SLICE_MS; then the cancel and a progress line. */
    breathe() {
        if (performance.now() < this.sliceEnd)
            return undefined;
        return new Promise((resolve) => setImmediate(resolve)).then(() => {
            this.sliceEnd = performance.now() + SLICE_MS;
            if (this.options.signal?.aborted)
                throw new errors/* QQError */.V('aborted');
            this.progress(() => `${this.outcome.files} files, ${this.outcome.bytes} bytes copied`);
        });
    }
    skipped(rel) {
        if (this.options.stopOnSpecial) {
            throw new SpecialFileStop(`'${displayPath(rel)}' is a device, socket or FIFO not made here`);
        }
        this.outcome.skippedSpecial++;
        if (this.outcome.skippedNames.length < 5)
            this.outcome.skippedNames.push(displayPath(rel));
    }
    changed(rel, kind, st, sha256) {
        const onChange = this.options.onChange;
        if (!onChange)
            return;
        const entry = { rel, kind, size: st.size, mtimeSec: mtimeSec(st) };
        if (sha256)
            entry.sha256 = sha256;
        onChange(entry);
    }
    /**
     * Make room at `dst` for a non-directory: an empty directory there is removed (as rsync
     * does); a non-empty one is reported in rsync's words. True when there is room.
     */
    roomFor(dst, rel, existing, kind) {
        if (!existing?.isDirectory() || this.options.dryRun)
            return true;
        try {
            (0,external_node_fs_.rmdirSync)(dst);
            return true;
        }
        catch (e) {
            const code = e.code;
            if (code !== 'ENOTEMPTY' && code !== 'EEXIST')
                throw e;
            this.problems.add(`cannot delete non-empty directory: ${displayPath(rel)}`);
            this.problems.add(`could not make way for new ${kind}: ${displayPath(rel)}`);
            return false;
        }
    }
    /** One entry of the walk: a file, symlink, FIFO or other special file. */
    entry(item) {
        const src = joinBytes(item.dir.src, item.name);
        const dst = joinBytes(item.dir.dst, item.name);
        if (item.regular && item.dir.fresh && !this.options.dryRun) {
            // Listed as a regular file, and nothing in the destination to compare with: opened at
            // once, its fstat standing for the lstat. Anything else (it cannot be opened, or it is
            // no longer a regular file) takes the way below, which names the problem as rsync does.
            const from = openIfRegular(src);
            if (from)
                return this.copyFile(item, src, dst, from.st, undefined, from);
        }
        let st;
        try {
            st = (0,external_node_fs_.lstatSync)(src);
        }
        catch (e) {
            if (!isSourceError(e))
                throw e;
            this.problems.source('lstat', src, e);
            return undefined;
        }
        const existing = item.dir.fresh ? undefined : (0,external_node_fs_.lstatSync)(dst, { throwIfNoEntry: false });
        if (st.isFile())
            return this.copyFile(item, src, dst, st, existing);
        if (st.isSymbolicLink())
            this.copySymlink(item, src, dst, st, existing);
        else if (st.isFIFO())
            return this.copyFifo(item.rel, dst, st, existing);
        else if (st.isDirectory()) {
            // A file when listed, a directory now: gone from where the walk saw it.
            this.problems.add(`file has vanished: "${shown(src)}"`);
        }
        else
            this.skipped(item.rel);
        return undefined;
    }
    /**
     * A regular file `src`, seen as `st`; `from`: already open (with `st` its fstat). Copied
     * when it is not over max-size and the destination's `existing` is not up to date or newer.
     */
    copyFile({ rel, dir }, src, dst, st, existing, from) {
        const o = this.options;
        const maxSize = this.filter.maxSize;
        let skip = false;
        if (maxSize !== undefined && st.size > maxSize) {
            // As rsync's generator: left out before any look at the destination, and counted.
            this.outcome.overMaxSize.files++;
            this.outcome.overMaxSize.bytes += st.size;
            noteLeftOut(this.outcome.overMaxSize, rel);
            skip = true;
        }
        else if (existing?.isFile()) {
            skip =
                upToDate(st, existing) || (o.overwrite === 'newer' && mtimeSec(existing) > mtimeSec(st));
        }
        if (skip || !this.roomFor(dst, rel, existing, 'regular file')) {
            if (from)
                (0,external_node_fs_.closeSync)(from.fd);
            return undefined;
        }
        if (o.dryRun) {
            this.counted(rel, st.size, st);
            return undefined;
        }
        const mode = existing?.isFile() ? existing.mode & 0o7777 : newEntryMode(st.mode, this.umask);
        if (st.size <= BUFFERED_UP_TO) {
            try {
                const opened = from ?? openRegularOrVanished(src);
                if (opened === 'vanished')
                    this.copied(rel, src, { ok: false, why: 'vanished' });
                // In a directory under a temporary name, a file goes under its own name.
                else
                    this.copied(rel, src, copyBuffered(opened, dst, mode, this.umask, dir.unseen));
            }
            catch (e) {
                this.copyFailed(src, e);
            }
            return undefined;
        }
        if (from)
            (0,external_node_fs_.closeSync)(from.fd);
        if (st.size >= PIECEWISE_FROM) {
            // With checksums, hashed as copied (read once); a smaller file keeps the kernel's copy
            // and is hashed after, from the page cache: measured faster (bench/checksums.ts).
            return copyLarge(src, dst, st, mode, o.signal, o.sha256).then((done) => this.copied(rel, src, done), (e) => this.copyFailed(src, e));
        }
        try {
            this.copied(rel, src, copyByKernel(src, dst, st, mode));
        }
        catch (e) {
            this.copyFailed(src, e);
        }
        return undefined;
    }
    counted(rel, bytes, st, sha256) {
        this.outcome.files++;
        this.outcome.bytes += bytes;
        this.changed(rel, 'file', st, sha256);
    }
    copied(rel, src, done) {
        if (done.ok)
            this.counted(rel, done.written, done.st, done.sha256);
        else if (done.why === 'vanished')
            this.problems.add(`file has vanished: "${shown(src)}"`);
        else
            this.problems.add(`"${shown(src)}" kept changing while it was read: not copied`);
    }
    /**
     * EACCES from a copy is the source (cannot be opened: reported, the copy goes on) or the
     * destination (cannot be written: thrown, the copy stops).
     */
    copyFailed(src, e) {
        if (!isSourceError(e))
            throw e;
        try {
            (0,external_node_fs_.closeSync)((0,external_node_fs_.openSync)(src, 'r'));
        }
        catch (again) {
            if (isSourceError(again)) {
                this.problems.source('open', src, again);
                return;
            }
        }
        throw e;
    }
    copySymlink({ rel, dir }, src, dst, st, existing) {
        let target;
        try {
            target = (0,external_node_fs_.readlinkSync)(src, { encoding: 'buffer' });
        }
        catch (e) {
            if (!isSourceError(e))
                throw e;
            this.problems.source('readlink', src, e);
            return;
        }
        if (existing?.isSymbolicLink() && target.equals((0,external_node_fs_.readlinkSync)(dst, { encoding: 'buffer' }))) {
            // The same link: only its time, as rsync -t does (--update does not apply to symlinks).
            if (mtimeSec(existing) !== mtimeSec(st) && !this.options.dryRun) {
                (0,external_node_fs_.lutimesSync)(dst, fsTime(st.atimeMs), fsTime(st.mtimeMs));
            }
            return;
        }
        if (!this.roomFor(dst, rel, existing, 'symlink'))
            return;
        this.changed(rel, 'symlink', st);
        if (this.options.dryRun)
            return;
        // In a directory under a temporary name, under its own name (nothing is there yet).
        const tmp = dir.unseen ? dst : tempName(dst);
        try {
            (0,external_node_fs_.symlinkSync)(target, tmp);
            (0,external_node_fs_.lutimesSync)(tmp, fsTime(st.atimeMs), fsTime(st.mtimeMs));
            if (tmp !== dst)
                (0,external_node_fs_.renameSync)(tmp, dst);
        }
        catch (e) {
            (0,external_node_fs_.rmSync)(tmp, { force: true });
            throw e;
        }
    }
    async copyFifo(rel, dst, st, existing) {
        if (existing?.isFIFO()) {
            if (mtimeSec(existing) !== mtimeSec(st) && !this.options.dryRun) {
                (0,external_node_fs_.lutimesSync)(dst, fsTime(st.atimeMs), fsTime(st.mtimeMs));
            }
            return;
        }
        if (!this.roomFor(dst, rel, existing, 'special file') || this.options.dryRun)
            return;
        const made = await makeFifo(this.destRoot, dst, st, newEntryMode(st.mode, this.umask));
        if (made === 'no-mkfifo')
            this.skipped(rel);
        else if (made !== 'made')
            this.problems.add(`mkfifo "${shown(dst)}" failed: ${made.error}`);
    }
    /**
     * Make `dst` the directory for source directory `st`; undefined when it is refused (a
     * newer file or symlink there, overwrite: newer). `fresh`: made now, so empty. A new
     * directory is made under a temporary name (`at`) and put onto `dst` when it is complete
     * (walk.ts), unless its parent is itself under one (`unseen`: then under its own name).
     */
    enterDir(rel, dst, st, parent) {
        const o = this.options;
        const existing = parent.fresh ? undefined : (0,external_node_fs_.lstatSync)(dst, { throwIfNoEntry: false });
        if (existing?.isDirectory())
            return { fresh: false };
        if (existing) {
            if (o.overwrite === 'newer' && keptOverDirectory(existing, st)) {
                this.problems.add(refusedLine(rel, existing));
                return undefined;
            }
            if (!o.dryRun)
                (0,external_node_fs_.unlinkSync)(dst);
        }
        const mode = newEntryMode(st.mode, this.umask);
        if (o.dryRun)
            return { fresh: true, mode };
        if (parent.unseen) {
            (0,external_node_fs_.mkdirSync)(dst, workingDirMode(mode));
            return { fresh: true, mode, unseen: true };
        }
        const at = tempName(dst);
        (0,external_node_fs_.mkdirSync)(at, workingDirMode(mode));
        liveDirs.set(at, dst);
        return { fresh: true, mode, unseen: true, at };
    }
    finish() {
        this.outcome.problems = this.problems.detail();
        this.outcome.problemCount = this.problems.count;
        return this.outcome;
    }
}

;// CONCATENATED MODULE: ./src/transfer/copier/walk.ts





/** Byte order: names are byte strings, one char per byte. */
function byBytes(a, b) {
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
function dirNode(src, dst, rel, st, made) {
    return {
        src,
        dst: made.at ?? dst,
        ...(made.at ? { landing: dst } : {}),
        unseen: made.unseen ?? false,
        rel,
        fresh: made.fresh,
        mode: made.mode,
        atime: fsTime(st.atimeMs),
        mtime: fsTime(st.mtimeMs),
        kept: false,
    };
}
/** Copy what is in `dir` (and below), then give `dir` its bits and times. */
async function walk(dir, hooks) {
    try {
        await walkEntries(dir, hooks);
    }
    catch (e) {
        // Stopped: what it holds is whole (copy-file.ts), so it goes in place as it is.
        if (dir.landing) {
            try {
                land(dir.dst, dir.landing);
            }
            catch { }
        }
        throw e;
    }
    if (hooks.filter.pruneEmptyDirs && !dir.kept && dir.rel !== '') {
        // rsync -m: a directory with nothing but (pruned) directories in it is not in the
        // transfer at all: one made for it is removed, one already there is left as it is.
        if (dir.fresh && !hooks.dryRun) {
            (0,external_node_fs_.rmdirSync)(dir.dst);
            liveDirs.delete(dir.dst);
        }
        return;
    }
    if (!hooks.dryRun) {
        const at = dir.landing ?? dir.dst;
        if (dir.landing)
            land(dir.dst, dir.landing);
        // A new directory was made writable for this copy (modes.ts): now its own bits.
        if (dir.mode !== undefined && (dir.mode & 0o700) !== 0o700)
            (0,external_node_fs_.chmodSync)(at, dir.mode);
        (0,external_node_fs_.utimesSync)(at, dir.atime, dir.mtime);
    }
}
/** Rename a complete directory from its temporary name onto its final path. */
function land(tmp, final) {
    (0,external_node_fs_.renameSync)(tmp, final);
    liveDirs.delete(tmp);
}
async function walkEntries(dir, hooks) {
    let entries = [];
    try {
        // latin1: each name as a byte string, byte for byte (paths.ts), with no Buffer per name.
        entries = (0,external_node_fs_.readdirSync)(dir.src, { withFileTypes: true, encoding: 'latin1' });
    }
    catch (e) {
        if (!isSourceError(e))
            throw e;
        hooks.problems.source('opendir', dir.src, e);
    }
    entries.sort(byBytes);
    for (const entry of entries) {
        const pause = hooks.breathe();
        if (pause)
            await pause;
        const name = entry.name;
        const rel = dir.rel ? `${dir.rel}/${name}` : name;
        let st;
        let isDir = entry.isDirectory();
        if (!isDir && !entry.isFile() && !entry.isSymbolicLink()) {
            // A file system that gives no types (DT_UNKNOWN), or a special file: look.
            st = (0,external_node_fs_.lstatSync)(joinBytes(dir.src, name), { throwIfNoEntry: false });
            isDir = st?.isDirectory() ?? false;
        }
        if (hooks.filter.excludes(rel, isDir))
            continue;
        if (!isDir) {
            dir.kept = true;
            const copying = hooks.entry({ dir, name, rel, regular: entry.isFile() });
            if (copying)
                await copying;
            continue;
        }
        const child = enter(dir, name, rel, st, hooks);
        if (child) {
            await walk(child, hooks);
            if (child.kept)
                dir.kept = true;
        }
    }
}
function enter(parent, name, rel, known, hooks) {
    const src = joinBytes(parent.src, name);
    let st = known;
    try {
        st ??= (0,external_node_fs_.lstatSync)(src);
    }
    catch (e) {
        if (!isSourceError(e))
            throw e;
        hooks.problems.source('lstat', src, e);
        return undefined;
    }
    const dst = joinBytes(parent.dst, name);
    const made = hooks.enterDir(rel, dst, st, parent);
    return made ? dirNode(src, dst, rel, st, made) : undefined;
}

;// CONCATENATED MODULE: ./src/transfer/copier/index.ts
/**
 * The built-in copier: for a local copy when rsync is not installed, with `rsync -rltD`'s
 * semantics (plus `--update` for overwrite: newer): recursive, symlinks copied as symlinks,
 * FIFOs recreated (special.ts), modification times kept, quick check by size and mtime,
 * nothing deleted, permission bits as rsync without -p (modes.ts). Each file is written to a
 * temporary name and renamed, or in a new directory that is itself under a temporary name
 * (walk.ts), and only when it was read consistently (copy-file.ts). Names
 * are bytes (paths.ts). What cannot be read is named at the end while everything else is
 * copied (problems.ts), as rsync's exit 23. A file or symlink in the destination that is
 * newer than the job's directory of that name is kept (type-change.ts). The walk (walk.ts)
 * offers each entry to the Copier (copier.ts), which decides what it needs.
 */








/** Copy `srcDir`'s contents (what `filter` selects) into `destDir`, rsync -rltD style. */
async function copyTree(srcDir, destDir, options) {
    const srcRoot = fsPathOf(srcDir.replace(/\/+$/, '') || '/');
    const dstRoot = fsPathOf(destDir.replace(/\/+$/, '') || '/');
    const rootStat = await (0,promises_.lstat)(srcRoot).catch(() => undefined);
    if (!rootStat?.isDirectory()) {
        // rsync's words, so that the message reads the same whichever tool copied.
        throw new WorkDirMissingError(rsyncFailure(srcDir, destDir, `change_dir "${srcDir}" failed: No such file or directory (2)`));
    }
    const madeRoot = options.dryRun
        ? !(await (0,promises_.lstat)(dstRoot).catch(() => undefined))
        : (await (0,promises_.mkdir)(dstRoot, { recursive: true })) !== undefined;
    const copier = new Copier(options, destDir);
    await walk(dirNode(srcRoot, dstRoot, '', rootStat, { fresh: madeRoot }), {
        filter: options.filter ?? EVERYTHING,
        dryRun: options.dryRun,
        problems: copier.problems,
        enterDir: (rel, dst, st, parent) => copier.enterDir(rel, dst, st, parent),
        entry: (item) => copier.entry(item),
        breathe: () => copier.breathe(),
    });
    return copier.finish();
}

// EXTERNAL MODULE: ./src/util/errors.ts
var util_errors = __webpack_require__(17);
// EXTERNAL MODULE: ./src/domain/info/limits.ts
var limits = __webpack_require__(8993);
// EXTERNAL MODULE: ./src/domain/info/parse.ts + 4 modules
var parse = __webpack_require__(1798);
// EXTERNAL MODULE: ./src/domain/info/properties/batch-system.ts
var batch_system = __webpack_require__(9757);
;// CONCATENATED MODULE: ./src/domain/info/properties/job-id.ts
/**
 * qq's `Informer.matches_job`: two job ids name the same job when the parts before the first
 * `.` are equal (`12345` matches `12345.pbs-m1.metacentrum.cz`).
 */
function jobIdMatches(a, b) {
    const head = (s) => {
        const i = s.indexOf('.');
        return i < 0 ? s : s.slice(0, i);
    };
    return head(a) === head(b);
}

// EXTERNAL MODULE: ./src/domain/info/properties/job-type.ts
var job_type = __webpack_require__(5485);
// EXTERNAL MODULE: ./src/domain/info/properties/resources.ts
var resources = __webpack_require__(4870);
// EXTERNAL MODULE: ./src/domain/info/properties/size.ts
var size = __webpack_require__(470);
// EXTERNAL MODULE: ./src/domain/info/properties/transfer-mode.ts
var transfer_mode = __webpack_require__(7394);
// EXTERNAL MODULE: ./src/domain/info/properties/walltime.ts
var walltime = __webpack_require__(8078);
;// CONCATENATED MODULE: ./src/domain/info/index.ts
/**
 * The qq info file (docs/qq-behaviour.md §1): a typed model of every field and a parser that reads it as qq
 * does (PyYAML SafeLoader + `Info._from_dict`), with qq's messages (§1.6). One file per value
 * type in properties/, as qq keeps them (`qq_lib/properties/`); the YAML reader in yaml.ts;
 * the table of fields in parse.ts; the size limits in limits.ts.
 *
 * Pure: no I/O. The reader (src/jobs/infofiles.ts) enforces MAX_INFO_FILE_BYTES before it
 * reads a file; parseInfoFile checks it again on the text.
 *
 * Untrusted input: the YAML is parsed with the YAML 1.2 core schema and no custom tags
 * (any tag the schema does not know, such as `!!python/object` or `!foo`, is an error, as
 * it is for PyYAML's SafeLoader), alias expansion is bounded (MAX_YAML_ALIAS_COUNT), flow
 * nesting is bounded (MAX_YAML_NESTING) and nothing the parser throws escapes as anything
 * but a QQError.
 *
 * Where qq itself raises a QQError while building the Info (unknown batch system, job type,
 * transfer mode, bad size string, loop_info checks) the message is qq's, verbatim, without
 * the path. Where qq fails with a Python TypeError (missing field, wrong type), the message
 * is `Invalid qq info file '<path>': <detail>.` with our own detail. Where qq would crash or
 * silently keep a wrongly typed value, we give the same `Invalid qq info file` error.
 *
 * Deliberate choices (documented for the README):
 * - Timestamps stay strings (the core schema has no timestamp type): quoted or unquoted,
 *   `YYYY-MM-DD HH:MM:SS` (also the YAML 1.1 forms `…T…`, fractions, zones, which PyYAML
 *   would read as datetime) is normalised to `YYYY-MM-DD HH:MM:SS`.
 * - A plain scalar that YAML reads as a number or boolean in a string field (unquoted job id
 *   `3123456`, prop value `false`) becomes its source text, so `0123` stays `0123`.
 * - Duplicate keys are accepted and the last one wins (PyYAML's behaviour); merge keys
 *   (`<<`) are honoured as PyYAML does.
 * - Unknown keys are ignored at every level (qq rejects unknown keys inside `resources`).
 */











;// CONCATENATED MODULE: ./src/batch/scheduler.ts
/**
 * The one door to the scheduler's commands (qstat, scontrol, sacct): argv arrays through
 * runCommand, with the context's timeout, qq's reading of failures, and job-id validation.
 * (Tests and the benchmark count calls from outside, with wrappers on PATH.)
 */


/** `30 s`, `0.5 s`. */
function formatSeconds(ms) {
    const s = ms / 1000;
    return `${Number.isInteger(s) ? s : Number(s.toFixed(1))} s`;
}
/**
 * Bytes of a scheduler command's stdout read at most (qstat/sacct for 500 jobs are a few MiB);
 * a command that prints more is killed and its answer not used, so that a runaway scheduler
 * cannot take the action's memory (a 100 MB answer once took Node to 816 MiB).
 */
const SCHEDULER_OUTPUT_BYTES = 64 * 1024 * 1024;
/** Bytes read at most of `scontrol show job` listing every job of the cluster (streamed). */
const SCONTROL_ALL_JOBS_BYTES = 512 * 1024 * 1024;
/** The start of an answer, for a message: one line, at most 60 characters, JSON-quoted. */
function sample(text) {
    const line = text.trim().split(/\r?\n/, 1)[0] ?? '';
    return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
}
/**
 * Why an answer that exited 0 holds no record, for the warning: `qstat printed no job record
 * (exit 0, 12 bytes: "garbage")`, or `… printed nothing (exit 0)`.
 */
function noRecordReason(name, result) {
    const bytes = Buffer.byteLength(result.stdout);
    return bytes === 0 || result.stdout.trim() === ''
        ? `${name} printed nothing (exit ${result.code})`
        : `${name} printed no job record (exit ${result.code}, ${bytes} bytes: ${sample(result.stdout)})`;
}
/**
 * Run one scheduler command. A command that cannot be started or that times out is a
 * QQError naming it; any exit code is returned to the caller to interpret (qq treats a
 * non-zero qstat/scontrol/sacct as "no information", not as an error).
 */
async function runScheduler(argv, ctx, options = {}) {
    const command = argv.join(' ');
    const maxStdout = options.maxStdout ?? SCHEDULER_OUTPUT_BYTES;
    const result = await (0,exec_run/* runCommand */.d1)(argv, {
        timeoutMs: ctx.timeoutMs,
        env: ctx.env,
        maxBuffer: maxStdout,
        maxStdout,
        ...(options.onStdoutLine ? { onStdoutLine: options.onStdoutLine, discardStdout: true } : {}),
    });
    const name = argv[0] ?? '';
    if (result.spawnError) {
        const e = result.spawnError;
        ctx.debug(`${command}: could not be started (${e.code ?? e.message})`);
        if (e.code === 'ENOENT') {
            throw new errors/* QQError */.V(`Could not run '${name}': command not found.`);
        }
        throw new errors/* QQError */.V(`Could not run '${name}': ${e.message}.`);
    }
    if (result.timedOut) {
        ctx.debug(`${command}: timed out after ${formatSeconds(ctx.timeoutMs)}`);
        throw new errors/* QQError */.V(`${name} timed out after ${formatSeconds(ctx.timeoutMs)}.`);
    }
    if (result.outputExceeded) {
        ctx.debug(`${command}: killed, ${result.outputExceeded}`);
        throw new errors/* QQError */.V(`${name}'s answer was not used: ${result.outputExceeded}.`);
    }
    if (result.code === null) {
        // Killed by a signal we did not send: whatever it printed before may be half a record.
        ctx.debug(`${command}: killed by ${result.signal}`);
        throw new errors/* QQError */.V(`${name} was killed by ${result.signal}.`);
    }
    const stderr = result.stderr.trim();
    ctx.debug(`${command}: exit ${result.code ?? result.signal} in ${result.durationMs} ms${stderr ? ` (stderr: ${stderr.length > 500 ? `${stderr.slice(0, 500)}…` : stderr})` : ''}`);
    return result;
}
/** Longest job id accepted (PBS ids with a long server name stay far below). */
const MAX_JOB_ID_LENGTH = 200;
const JOB_ID = /^[A-Za-z0-9_][A-Za-z0-9._[\]@+-]*$/;
/**
 * Refuse a job id that could be read as an option or holds a character no PBS or Slurm id
 * has (ids are `123`, `123.server`, `123[4].server`, `123_4`, `123+1`, `123@server`).
 * Throws InputError naming the id.
 */
function validateJobId(id) {
    if (typeof id !== 'string' || id.length === 0) {
        throw new errors/* InputError */.d('Invalid job id: the job id is empty.');
    }
    if (id.length > MAX_JOB_ID_LENGTH) {
        throw new errors/* InputError */.d(`Invalid job id '${id.slice(0, 40)}…': longer than ${MAX_JOB_ID_LENGTH} characters.`);
    }
    if (id.startsWith('-')) {
        throw new errors/* InputError */.d(`Invalid job id '${id}': a job id cannot start with '-'.`);
    }
    if (!JOB_ID.test(id)) {
        throw new errors/* InputError */.d(`Invalid job id '${JSON.stringify(id).slice(1, -1)}': a job id may contain only letters, digits and . _ [ ] @ + - (and must start with a letter or digit).`);
    }
    return id;
}
/** Split `items` into chunks of at most `size` (argv length stays bounded). */
function chunks(items, size) {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}

;// CONCATENATED MODULE: ./src/batch/unknown-job.ts

/** The answer for a job the scheduler does not know (qq's empty info). */
function unknownJob(id) {
    return { id, found: false, state: states/* BatchState */.Gw.UNKNOWN, nodes: [], raw: {} };
}

;// CONCATENATED MODULE: ./src/batch/usage.ts
/** Short values only: a scheduler's field is a few characters; anything else is not kept. */
function usage_short(value) {
    const v = value?.trim();
    return v && v.length <= 32 && v !== 'None' && v !== 'UNLIMITED' && v !== 'Partition_Limit'
        ? v
        : undefined;
}
function compact(usage) {
    const kept = Object.fromEntries(Object.entries(usage).filter(([, v]) => v !== undefined));
    return Object.keys(kept).length > 0 ? kept : undefined;
}
/**
 * OpenPBS/PBS Pro `qstat -f`: `resources_used.walltime`, `Resource_List.walltime`,
 * `resources_used.mem`, `Resource_List.mem`; `Exit_status` -29 is JOB_EXEC_KILL_WALLTIME and
 * -27 JOB_EXEC_KILL_MEM (src/include/job.h).
 */
function pbsUsage(fields) {
    const exit = fields.Exit_status?.trim();
    return compact({
        walltime: usage_short(fields['resources_used.walltime']),
        walltimeLimit: usage_short(fields['Resource_List.walltime']),
        mem: usage_short(fields['resources_used.mem']),
        memLimit: usage_short(fields['Resource_List.mem']),
        limitKill: exit === '-29'
            ? { limit: 'walltime', said: 'Exit_status -29' }
            : exit === '-27'
                ? { limit: 'memory', said: 'Exit_status -27' }
                : undefined,
    });
}
/**
 * Slurm (`scontrol show job`): `RunTime` of `TimeLimit`; the state `TIMEOUT` is a walltime
 * kill, `OUT_OF_MEMORY` a memory one. Slurm's answer has no memory used (that is sacct's
 * accounting, which qq does not ask for).
 */
function slurmUsage(fields) {
    const state = fields.JobState;
    return compact({
        walltime: usage_short(fields.RunTime),
        walltimeLimit: usage_short(fields.TimeLimit),
        limitKill: state === 'TIMEOUT'
            ? { limit: 'walltime', said: 'TIMEOUT' }
            : state === 'OUT_OF_MEMORY'
                ? { limit: 'memory', said: 'OUT_OF_MEMORY' }
                : undefined,
    });
}

;// CONCATENATED MODULE: ./src/batch/pbs.ts
/**
 * PBS Pro (and OpenPBS, its open-source edition, which the tests run): `qstat -fxw id1 id2 …`
 * in one call for many jobs, parsed as qq parses one job (docs/qq-behaviour.md §3.1), state as in docs/qq-behaviour.md §2.3.
 */





/** Ids per qstat call; N ≤ this costs one call. */
const PBS_IDS_PER_CALL = 500;
const RECORD_START = /^Job Id:\s*(\S+)\s*$/;
/**
 * Split `qstat -f` output into records. A record starts with `Job Id: <id>`; inside it every
 * line holding ` = ` is `key = value` split at the first ` = ` and trimmed (qq's rule). A
 * line that starts with a tab and has no ` = ` continues the previous value (qstat without
 * `-w` wraps long values that way; with `-w` it never happens). Lines before the first
 * `Job Id:` are ignored.
 */
function parseQstatRecords(text) {
    const records = [];
    let current;
    let lastKey;
    for (const line of text.split(/\r?\n/)) {
        const start = RECORD_START.exec(line);
        if (start?.[1]) {
            current = { id: start[1], fields: {} };
            records.push(current);
            lastKey = undefined;
            continue;
        }
        if (!current)
            continue;
        const at = line.indexOf(' = ');
        if (at >= 0) {
            const key = line.slice(0, at).trim();
            if (!key)
                continue;
            current.fields[key] = line.slice(at + 3).trim();
            lastKey = key;
        }
        else if (line.startsWith('\t') && lastKey !== undefined) {
            current.fields[lastKey] = `${current.fields[lastKey] ?? ''}${line.trim()}`;
        }
        else if (line.trim() === '') {
            lastKey = undefined;
        }
    }
    return records;
}
/** Python's `int(str)` for what qstat prints: optional spaces and sign, digits. */
function parseIntStrict(value) {
    if (value === undefined)
        return undefined;
    const t = value.trim();
    if (!/^[+-]?\d+$/.test(t))
        return undefined;
    const n = Number.parseInt(t, 10);
    return Number.isSafeInteger(n) ? n : undefined;
}
/** `Exit_status` as an integer, or undefined when missing or not an integer. */
function pbsExitCode(fields) {
    return parseIntStrict(fields.Exit_status);
}
/** Spec §2.3: job_state (+ Exit_status for F/X) → BatchState. */
function pbsState(fields) {
    const raw = fields.job_state;
    if (raw === undefined || raw === '')
        return states/* BatchState */.Gw.UNKNOWN;
    let code = raw.trim().toUpperCase();
    if (code === 'X')
        code = 'F';
    if (code === 'F') {
        return pbsExitCode(fields) === 0 ? states/* BatchState */.Gw.FINISHED : states/* BatchState */.Gw.FAILED;
    }
    return (0,states/* batchStateFromCode */.ff)(code);
}
/** One node of exec_host2 / exec_vnode: cut at the first `:`, then `/`, drop parentheses. */
function cleanPbsNodeName(part) {
    let s = part.trim();
    const colon = s.indexOf(':');
    if (colon >= 0)
        s = s.slice(0, colon);
    const slash = s.indexOf('/');
    if (slash >= 0)
        s = s.slice(0, slash);
    return s.replaceAll('(', '').replaceAll(')', '').trim();
}
/** Split a `+`-joined node list and clean each part. */
function nodeList(raw) {
    return raw
        .split('+')
        .map(cleanPbsNodeName)
        .filter((n) => n.length > 0);
}
/**
 * Nodes, the first being the main node. qq reads `exec_host2` (PBS Pro:
 * `node1.x:15002/0*8+node2.x:15002/0*8`), taken as qq takes it. OpenPBS never prints
 * `exec_host2`, only `exec_host` (`node1/0*8+node2/0*8`, the mom's names) and `exec_vnode`
 * (`(node1:ncpus=8)+(node2:ncpus=8)`): without `exec_host2` the nodes come from `exec_host`,
 * else from `exec_vnode`, each node once (a host holding several chunks appears once per chunk).
 */
function pbsNodes(fields) {
    if (fields.exec_host2)
        return nodeList(fields.exec_host2);
    const fallback = fields.exec_host || fields.exec_vnode;
    return fallback ? [...new Set(nodeList(fallback))] : [];
}
/**
 * `Variable_List` (`K=V,K=V,…`) as a map. PBS escapes a comma inside a value as `\,`; that is
 * honoured (qq splits on every comma, which only matters for values holding commas).
 */
function parseVariableList(value) {
    const out = {};
    if (!value)
        return out;
    // Split at each comma that no backslash escapes; `\,` is a comma of the value. (Sliced, not
    // built a character at a time: the list is kilobytes long, and read for every job.)
    for (const raw of value.split(/(?<!\\),/)) {
        const item = raw.includes('\\,') ? raw.replaceAll('\\,', ',') : raw;
        const eq = item.indexOf('=');
        if (eq <= 0)
            continue;
        out[item.slice(0, eq).trim()] = item.slice(eq + 1);
    }
    return out;
}
/** A PBS record as the adapter's answer for `id`. */
function pbsJobInfo(id, fields) {
    const vars = parseVariableList(fields.Variable_List);
    const nodes = pbsNodes(fields);
    const nonEmpty = (v) => (v ? v : undefined);
    return {
        id,
        found: true,
        state: pbsState(fields),
        mainNode: nodes[0],
        nodes,
        exitCode: pbsExitCode(fields),
        comment: nonEmpty(fields.comment),
        infoFile: nonEmpty(vars.QQ_INFO),
        inputDir: nonEmpty(vars.PBS_O_WORKDIR) ?? nonEmpty(vars.QQ_INPUT_DIR) ?? nonEmpty(vars.INF_INPUT_DIR),
        jobName: nonEmpty(fields.Job_Name),
        usage: pbsUsage(fields),
        raw: fields,
    };
}
const prefix = (id) => id.split('.', 1)[0] ?? id;
/**
 * Pair asked ids with records. Exact id first; then a record whose id extends the asked one
 * (`123.srv` → `123.srv.example.com`, or the reverse); an asked id without a server part
 * (`123`) matches a record with the same part before the first `.` (qstat completes it with
 * the default server). A record answers at most one asked id.
 */
function matchPbsRecords(ids, records) {
    const out = new Map();
    const used = new Set();
    const claim = (id, pick) => {
        if (out.has(id))
            return;
        const r = records.find((rec) => !used.has(rec) && pick(rec));
        if (r) {
            out.set(id, r);
            used.add(r);
        }
    };
    for (const id of ids)
        claim(id, (r) => r.id === id);
    for (const id of ids) {
        claim(id, (r) => r.id.startsWith(`${id}.`) || id.startsWith(`${r.id}.`));
    }
    for (const id of ids) {
        if (id.includes('.'))
            continue;
        claim(id, (r) => prefix(r.id) === id);
    }
    return out;
}
const CANNOT_CONNECT = /^qstat: cannot connect to server /;
const ILLEGAL_ID = /^qstat: illegally formed job identifier: (\S+)\s*$/;
/**
 * Pair qstat's error lines with the ids it printed no record for. qstat handles its ids in
 * order and prints one line per id it fails on: `Unknown Job Id <full id>` (unknown to PBS),
 * `illegally formed job identifier: <id>` (it names the id as given: a server name that does
 * not resolve), or `cannot connect to server <default server> (errno=…)` — which names the
 * DEFAULT server whatever server the id is on, so it is paired by order with the ids that no
 * other line names.
 */
function qstatFailures(stderr, missing) {
    const out = { unreachable: new Map(), refused: new Map() };
    const lines = stderr
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    const named = new Set();
    for (const line of lines) {
        const illegal = ILLEGAL_ID.exec(line)?.[1];
        if (illegal && missing.includes(illegal)) {
            out.refused.set(illegal, line);
            named.add(illegal);
            continue;
        }
        const unknown = /^qstat: Unknown Job Id (\S+)\s*$/.exec(line)?.[1];
        if (unknown) {
            const id = missing.find((m) => !named.has(m) &&
                (m === unknown || unknown.startsWith(`${m}.`) || m.startsWith(`${unknown}.`)));
            if (id)
                named.add(id);
        }
    }
    const connectLines = lines.filter((l) => CANNOT_CONNECT.test(l));
    const rest = missing.filter((m) => !named.has(m));
    connectLines.forEach((line, i) => {
        const id = rest[i];
        if (id)
            out.unreachable.set(id, line);
    });
    return out;
}
/** The server an id names (`123.srv` → `PBS server 'srv'`), or the default one. */
function serverOf(id) {
    const dot = id.indexOf('.');
    return dot < 0 ? 'the default PBS server' : `PBS server '${id.slice(dot + 1)}'`;
}
class PbsSystem {
    name = 'PBS';
    alwaysShared = false;
    async queryJobs(ids, ctx) {
        const unique = [...new Set(ids)];
        for (const id of unique)
            validateJobId(id);
        const answers = new Map();
        for (const group of chunks(unique, PBS_IDS_PER_CALL)) {
            const result = await runScheduler(['qstat', '-fxw', ...group], ctx);
            const records = parseQstatRecords(result.stdout);
            // No record at all, yet something printed or exit 0 (qstat prints its errors on stderr
            // and exits non-zero for unknown ids): not an answer. The jobs of this call keep their
            // info files' state, with one warning for the call.
            if (records.length === 0 && (result.code === 0 || result.stdout.trim() !== '')) {
                const why = noRecordReason('qstat', result);
                ctx.debug(`${why}; treating ${group.length} job(s) as not answered`);
                for (const id of group)
                    answers.set(id, { ...unknownJob(id), queryError: why });
                continue;
            }
            const matched = matchPbsRecords(group, records);
            const missing = group.filter((id) => !matched.has(id));
            const failures = qstatFailures(result.stderr, missing);
            // A server that does not answer is not an answer: when qstat reached no server at all
            // (PBS down), the whole call could not be asked, as for a missing or hung qstat.
            if (records.length === 0 &&
                missing.length > 0 &&
                failures.unreachable.size === missing.length) {
                const line = failures.unreachable.values().next().value;
                throw new errors/* QQError */.V(`qstat could not reach the PBS server: ${line.replace(/^qstat: /, '')}`);
            }
            for (const id of group) {
                const record = matched.get(id);
                const unreachable = failures.unreachable.get(id);
                const refused = failures.refused.get(id);
                if (record) {
                    answers.set(id, pbsJobInfo(id, record.fields));
                }
                else if (unreachable) {
                    answers.set(id, {
                        ...unknownJob(id),
                        queryError: `qstat could not reach ${serverOf(id)} (${unreachable.replace(/^qstat: cannot connect to server \S+ /, '')})`,
                    });
                }
                else if (refused) {
                    answers.set(id, {
                        ...unknownJob(id),
                        queryError: `PBS refused job id '${id}' (${refused.replace(/^qstat: /, '').replace(/: \S+$/, '')}: is its server name right?)`,
                    });
                }
                else {
                    ctx.debug(`qstat has no record for job '${id}': unknown to PBS`);
                    answers.set(id, unknownJob(id));
                }
            }
            const extra = records.filter((r) => ![...matched.values()].includes(r));
            if (extra.length > 0) {
                ctx.debug(`qstat printed records nobody asked for: ${extra.map((r) => r.id).join(', ')}`);
            }
        }
        return answers;
    }
}

;// CONCATENATED MODULE: ./src/batch/slurm/hostlist.ts
/**
 * Slurm hostlists (`cn[01-03,07],gpu5`): expanded here as `scontrol show hostnames` prints
 * them, and by scontrol only for a syntax this does not understand (docs/qq-behaviour.md §3.2).
 */


/** A NodeList value worth expanding (qq: present and not containing `None`). */
function usableNodeList(value) {
    return !!value && !value.includes('None') && value !== '(null)';
}
/** Split a hostlist at the commas outside brackets. */
function splitHostlist(list) {
    const out = [];
    let depth = 0;
    let cur = '';
    for (const c of list) {
        if (c === '[')
            depth++;
        else if (c === ']')
            depth--;
        if (c === ',' && depth === 0) {
            out.push(cur);
            cur = '';
        }
        else
            cur += c;
    }
    out.push(cur);
    return out.filter((s) => s.length > 0);
}
/** Most names one hostlist may expand to here (beyond that, scontrol does it). */
const MAX_EXPANDED = 100_000;
/**
 * Expand a Slurm hostlist (`cn[01-03,07],gpu5`, `a[1-2]b[3-4]`) the way
 * `scontrol show hostnames` does: brackets hold numbers and ranges, the width of a range is
 * that of its first number (`[08-10]` → 08 09 10, `[8-10]` → 8 9 10), several brackets make
 * a product with the first one outermost, order and duplicates are kept. Undefined for any
 * syntax this does not understand (then scontrol is asked).
 */
function expandHostlist(list) {
    const out = [];
    for (const item of splitHostlist(list)) {
        let names = [''];
        let rest = item;
        while (rest.length > 0) {
            const open = rest.indexOf('[');
            const literal = open < 0 ? rest : rest.slice(0, open);
            if (literal.includes(']'))
                return undefined;
            names = names.map((n) => n + literal);
            if (open < 0)
                break;
            const close = rest.indexOf(']', open);
            if (close < 0)
                return undefined;
            const values = [];
            for (const range of rest.slice(open + 1, close).split(',')) {
                const m = /^(\d+)(?:-(\d+))?$/.exec(range);
                if (!m)
                    return undefined;
                const loText = m[1];
                const lo = Number(loText);
                const hi = m[2] === undefined ? lo : Number(m[2]);
                if (hi < lo || hi - lo >= MAX_EXPANDED)
                    return undefined;
                for (let v = lo; v <= hi; v++)
                    values.push(String(v).padStart(loText.length, '0'));
            }
            if (names.length * values.length > MAX_EXPANDED)
                return undefined;
            names = names.flatMap((n) => values.map((v) => n + v));
            rest = rest.slice(close + 1);
        }
        out.push(...names);
        if (out.length > MAX_EXPANDED)
            return undefined;
    }
    return out;
}
/**
 * Expand NodeList values (docs/qq-behaviour.md §3.2). Lists in the plain hostlist syntax are expanded here,
 * exactly as `scontrol show hostnames` prints them, so that many jobs still cost one
 * scheduler call; only a list this does not understand is given to
 * `scontrol show hostnames <list>` (one call per such list). On a failure the list stays
 * compact (qq's fallback), with a debug message.
 */
async function expandNodeLists(lists, ctx) {
    const out = new Map();
    for (const list of new Set(lists)) {
        const local = expandHostlist(list);
        if (local) {
            out.set(list, local);
            continue;
        }
        if (list.startsWith('-') || /\s/.test(list)) {
            out.set(list, [list]);
            continue;
        }
        const fallback = (why) => {
            ctx.debug(`could not expand node list '${list}' (${why}); using it unexpanded`);
            out.set(list, [list]);
        };
        try {
            const r = await runScheduler(['scontrol', 'show', 'hostnames', list], ctx);
            const names = r.stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
            if (r.code !== 0 ||
                names.length === 0 ||
                /Invalid hostlist|Invalid range/.test(r.stdout + r.stderr)) {
                fallback(`exit ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`);
            }
            else {
                out.set(list, names);
            }
        }
        catch (e) {
            fallback((0,util_errors/* errorMessage */.g)(e));
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/batch/slurm/keys.ts
/** The names Slurm prints: the keys of `scontrol show job -o` and qq's sacct fields. */
/**
 * qq's sacct fields, in qq's order, each with the scontrol-style key qq gives it (so that a
 * sacct line reads like a scontrol record).
 */
const SACCT_FIELD_KEYS = [
    ['JobID', 'JobId'],
    ['Account', 'Account'],
    ['State', 'JobState'],
    ['User', 'UserId'],
    ['JobName', 'JobName'],
    ['Partition', 'Partition'],
    ['WorkDir', 'WorkDir'],
    ['AllocCPUs', 'AllocCPUs'],
    ['ReqCPUs', 'ReqCPUs'],
    ['AllocTRES', 'AllocTRES'],
    ['ReqTRES', 'ReqTRES'],
    ['AllocNodes', 'AllocNodes'],
    ['ReqNodes', 'ReqNodes'],
    ['Submit', 'SubmitTime'],
    ['Start', 'StartTime'],
    ['End', 'EndTime'],
    ['TimeLimit', 'TimeLimit'],
    ['NodeList', 'NodeList'],
    ['Reason', 'Reason'],
    ['ExitCode', 'ExitCode'],
];
/** qq's sacct fields, in qq's order. */
const SACCT_FIELDS = SACCT_FIELD_KEYS.map(([field]) => field);
/** The scontrol-style keys qq gives the sacct fields. */
const SACCT_KEYS = SACCT_FIELD_KEYS.map(([, key]) => key);
/**
 * Keys `scontrol show job -o` prints (Slurm 20.11 … 24.x). Used only to decide where a
 * free-text value (a job name or comment with spaces and `=`) ends.
 */
const SCONTROL_JOB_KEYS = new Set([
    'JobId',
    'ArrayJobId',
    'ArrayTaskId',
    'ArrayTaskThrottle',
    'HetJobId',
    'HetJobOffset',
    'HetJobIdSet',
    'JobName',
    'UserId',
    'GroupId',
    'MCS_label',
    'Priority',
    'Nice',
    'Account',
    'QOS',
    'JobState',
    'Reason',
    'Dependency',
    'Requeue',
    'Restarts',
    'BatchFlag',
    'Reboot',
    'ExitCode',
    'DerivedExitCode',
    'RunTime',
    'TimeLimit',
    'TimeMin',
    'SubmitTime',
    'EligibleTime',
    'AccrueTime',
    'StartTime',
    'EndTime',
    'Deadline',
    'SuspendTime',
    'SecsPreSuspend',
    'LastSchedEval',
    'Scheduler',
    'PreemptEligibleTime',
    'PreemptTime',
    'ResizeTime',
    'Partition',
    'AllocNode:Sid',
    'ReqNodeList',
    'ExcNodeList',
    'NodeList',
    'SchedNodeList',
    'BatchHost',
    'NumNodes',
    'NumCPUs',
    'NumTasks',
    'CPUs/Task',
    'ReqB:S:C:T',
    'ReqTRES',
    'AllocTRES',
    'TRES',
    'Socks/Node',
    'NtasksPerN:B:S:C',
    'CoreSpec',
    'ThreadSpec',
    'MinCPUsNode',
    'MinMemoryNode',
    'MinMemoryCPU',
    'MinTmpDiskNode',
    'Features',
    'ClusterFeatures',
    'Prefer',
    'DelayBoot',
    'OverSubscribe',
    'Contiguous',
    'Licenses',
    'LicensesAlloc',
    'Network',
    'Command',
    'WorkDir',
    'AdminComment',
    'SystemComment',
    'Comment',
    'StdErr',
    'StdIn',
    'StdOut',
    'Power',
    'CpusPerTres',
    'MemPerTres',
    'TresBind',
    'TresFreq',
    'TresPerJob',
    'TresPerNode',
    'TresPerSocket',
    'TresPerTask',
    'MailUser',
    'MailType',
    'Reservation',
    'Container',
    'ContainerID',
    'CPU_Bind',
    'MemPerNode',
    'MemPerCPU',
    'NtasksPerTRES',
    'CpuFreqMin',
    'CpuFreqMax',
    'CpuFreqGov',
    'KillOInInvalidDependent',
    'BurstBuffer',
    'BurstBufferState',
    'Partitions',
    'JobStateReason',
    'StepMgrEnabled',
    'ResvPorts',
    'SegmentSize',
    'OOMKillStep',
    'Wckey',
    'WCKey',
    'GresEnforceBind',
    'SpreadJob',
    'MCS',
    'FedOrigin',
    'FedViableSiblings',
    'FedActiveSiblings',
    'Siblings',
    'TaskPerNode',
    'Tasks/Node',
    'RemoteRunTime',
    'NodeListOwner',
    'Cluster',
    'ClusterName',
    'EndTimeEstimate',
    'PreSusTime',
    'ExtraState',
    'Extra',
    'SelinuxContext',
    'UserName',
    'GroupName',
    'ArrayTaskString',
]);
/** Keys whose value is free text: it may contain spaces and `word=word` pieces. */
const FREE_TEXT_KEYS = new Set([
    'JobName',
    'Comment',
    'AdminComment',
    'SystemComment',
    'Command',
]);

;// CONCATENATED MODULE: ./src/batch/slurm/parse.ts
/**
 * Parsers of what Slurm prints: `scontrol show job -o` lines, `sacct --parsable2` lines, the
 * state and exit code (docs/qq-behaviour.md §2.4), and which record answers which id.
 */


/** The sacct argv for `ids` (qq's command, ids comma-joined). */
function sacctArgv(ids) {
    return [
        'sacct',
        '--allocations',
        '--noheader',
        '--parsable2',
        '-j',
        ids.join(','),
        `--format=${SACCT_FIELDS.join(',')}`,
    ];
}
/**
 * One line of `scontrol show job -o` into key/value pairs. qq splits on whitespace and keeps
 * the pieces holding `=`, split at the first `=`. That loses the rest of a value with a
 * space (`JobName=my job`, `WorkDir=/a b`) and lets a comment (`Comment=a b=c`) invent keys.
 * Here a piece without `=` continues the previous value, and after a free-text key
 * (JobName, Comment, …) a `key=` piece starts a new pair only if it is a key scontrol prints
 * and has not been seen yet in the line. Keys are otherwise taken as qq takes them.
 */
function parseScontrolLine(line) {
    const out = {};
    // Candidate boundaries: start of line or whitespace, then `key=`.
    const re = /(^|\s+)([^\s=]+)=/g;
    const starts = [];
    const seen = new Set();
    let freeText = false;
    for (let m = re.exec(line); m !== null; m = re.exec(line)) {
        const key = m[2];
        const keyStart = m.index + m[1].length;
        if (starts.length > 0 && freeText && (!SCONTROL_JOB_KEYS.has(key) || seen.has(key)))
            continue;
        starts.push({ key, keyStart, valueStart: m.index + m[0].length });
        seen.add(key);
        freeText = FREE_TEXT_KEYS.has(key);
    }
    for (let i = 0; i < starts.length; i++) {
        const s = starts[i];
        const end = i + 1 < starts.length ? starts[i + 1].keyStart : line.length;
        out[s.key] = line.slice(s.valueStart, end).trim();
    }
    return out;
}
/** Every non-empty line of `scontrol show job -o` output. */
function parseScontrolOutput(text) {
    return text
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '' && l.includes('='))
        .map(parseScontrolLine);
}
/**
 * One `sacct --parsable2` line into scontrol-style keys, as qq's `fromSacctString`, or
 * undefined when it does not have exactly 20 fields (where qq raises "Number of items in a
 * sacct string …").
 */
function parseSacctLine(line) {
    const parts = line.split('|');
    if (parts.length !== SACCT_KEYS.length)
        return undefined;
    const info = {};
    SACCT_KEYS.forEach((k, i) => {
        info[k] = parts[i];
    });
    info.JobState = (info.JobState ?? '').trim().split(/\s+/)[0] ?? '';
    const assign = (alloc, req, target) => {
        const a = info[alloc];
        info[target] = a && a !== '0' && a !== 'None' ? a : (info[req] ?? '');
    };
    assign('AllocCPUs', 'ReqCPUs', 'NumCPUs');
    assign('AllocNodes', 'ReqNodes', 'NumNodes');
    return info;
}
const STATE_MAP = {
    BOOT_FAIL: states/* BatchState */.Gw.FAILED,
    CANCELLED: states/* BatchState */.Gw.FAILED,
    COMPLETED: states/* BatchState */.Gw.FINISHED,
    DEADLINE: states/* BatchState */.Gw.FAILED,
    FAILED: states/* BatchState */.Gw.FAILED,
    NODE_FAIL: states/* BatchState */.Gw.FAILED,
    OUT_OF_MEMORY: states/* BatchState */.Gw.FAILED,
    PENDING: states/* BatchState */.Gw.QUEUED,
    PREEMPTED: states/* BatchState */.Gw.SUSPENDED,
    RUNNING: states/* BatchState */.Gw.RUNNING,
    SUSPENDED: states/* BatchState */.Gw.SUSPENDED,
    TIMEOUT: states/* BatchState */.Gw.FAILED,
};
/** qq's comment: `Reason: <Reason>` when Reason is present and not `None`. */
function slurmComment(fields) {
    const reason = fields.Reason;
    return reason && reason !== 'None' ? `Reason: ${reason}` : undefined;
}
/** docs/qq-behaviour.md §2.4: exact, upper-case match; PENDING with "Dependency" in the comment is HELD. */
function slurmState(fields) {
    const raw = fields.JobState;
    if (!raw)
        return states/* BatchState */.Gw.UNKNOWN;
    const state = STATE_MAP[raw] ?? states/* BatchState */.Gw.UNKNOWN;
    if (state === states/* BatchState */.Gw.QUEUED && slurmComment(fields)?.includes('Dependency')) {
        return states/* BatchState */.Gw.HELD;
    }
    return state;
}
/** `ExitCode=<code>:<signal>` → code if non-zero, else signal; unparsable → undefined. */
function slurmExitCode(raw) {
    if (!raw)
        return undefined;
    const parts = raw.split(':');
    if (parts.length !== 2)
        return undefined;
    const nums = parts.map((p) => (/^\s*[+-]?\d+\s*$/.test(p) ? Number.parseInt(p, 10) : Number.NaN));
    const [code, signal] = nums;
    if (Number.isNaN(code) || Number.isNaN(signal))
        return undefined;
    return code || signal;
}
/** The ids a scontrol record answers to: JobId, `ArrayJobId_ArrayTaskId`, `HetJobId+HetJobOffset`. */
function recordIds(fields) {
    const ids = [];
    if (fields.JobId)
        ids.push(fields.JobId);
    if (fields.ArrayJobId && fields.ArrayTaskId && /^\d+$/.test(fields.ArrayTaskId)) {
        ids.push(`${fields.ArrayJobId}_${fields.ArrayTaskId}`);
    }
    if (fields.HetJobId && fields.HetJobOffset)
        ids.push(`${fields.HetJobId}+${fields.HetJobOffset}`);
    return ids;
}
/** Does an ArrayTaskId like `3-10%2`, `1,4,7-9` or `5` contain task `n`? */
function arrayTaskIdsContain(spec, n) {
    const body = spec.split('%', 1)[0] ?? '';
    return body.split(',').some((part) => {
        const m = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part.trim());
        if (!m)
            return false;
        const lo = Number(m[1]);
        const hi = m[2] === undefined ? lo : Number(m[2]);
        const step = m[3] === undefined ? 1 : Number(m[3]);
        return n >= lo && n <= hi && step > 0 && (n - lo) % step === 0;
    });
}
/**
 * The record for an array task `<job>_<n>` that scontrol still shows inside the pending
 * array record (`ArrayJobId=<job> ArrayTaskId=3-10`), as `scontrol show job <job>_<n>` would.
 */
function pendingArrayRecord(id, records) {
    const m = /^(\d+)_(\d+)$/.exec(id);
    if (!m)
        return undefined;
    return records.find((r) => r.ArrayJobId === m[1] &&
        r.ArrayTaskId !== undefined &&
        !/^\d+$/.test(r.ArrayTaskId) &&
        arrayTaskIdsContain(r.ArrayTaskId, Number(m[2])));
}
/** Index scontrol records by every id they answer to (first record wins). */
function indexRecords(records) {
    const index = new Map();
    for (const r of records)
        for (const id of recordIds(r))
            if (!index.has(id))
                index.set(id, r);
    return index;
}
/**
 * Choose the sacct line for `id` among all lines of one sacct call: the line whose JobID is
 * the id (the last one if several, i.e. the newest), else a heterogeneous job's leader
 * `id+0`. Array jobs (`id_1`, `id_2`, …) and ids with no line get undefined: qq raises
 * "Number of items in a sacct string …" there; we say so in a debug message and answer
 * UNKNOWN.
 */
function pickSacctRecord(id, records, debug = () => { }) {
    const exact = records.filter((r) => r.JobId === id);
    if (exact.length > 1) {
        debug(`sacct printed ${exact.length} lines for job '${id}'; using the last (newest)`);
    }
    if (exact.length > 0)
        return exact[exact.length - 1];
    const leader = records.find((r) => r.JobId === `${id}+0`);
    if (leader) {
        debug(`sacct: job '${id}' is a heterogeneous job; using its leader '${id}+0'`);
        return leader;
    }
    const related = records.filter((r) => r.JobId?.startsWith(`${id}_`) || r.JobId?.startsWith(`${id}+`));
    if (related.length > 0) {
        debug(`sacct printed ${related.length} lines for job '${id}' (an array job?) and none for the id itself; qq fails here with 'Number of items in a sacct string'; treating the job as unknown`);
    }
    else {
        debug(`sacct printed no line for job '${id}'; qq fails here with 'Number of items in a sacct string'; treating the job as unknown`);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/batch/slurm/job-info.ts
/** A Slurm record as the adapter's answer, with the info file found from WorkDir and JobName. */





/**
 * Python's `Path(workDir, jobName).with_suffix('.qqinfo')`, or undefined for a name that is
 * not a plain file name (empty, `.`/`..`, a `/` or NUL inside).
 */
function infoFileCandidate(workDir, jobName) {
    if (!jobName || jobName === '.' || jobName === '..' || /[/\0]/.test(jobName))
        return undefined;
    const dot = jobName.lastIndexOf('.');
    const stem = dot > 0 && dot < jobName.length - 1 ? jobName.slice(0, dot) : jobName;
    return external_node_path_.join(workDir, `${stem}.qqinfo`);
}
async function readableFile(file) {
    try {
        if (!(await (0,promises_.stat)(file)).isFile())
            return false;
        await (0,promises_.access)(file, external_node_fs_.constants.R_OK);
        return true;
    }
    catch {
        return false;
    }
}
/** What the adapter answers from a Slurm record (scontrol or sacct keys). */
async function slurmJobInfo(id, fields, nodes, ctx) {
    const batchHost = fields.BatchHost;
    const mainNode = batchHost && !batchHost.includes('None') ? batchHost : nodes[0];
    let inputDir;
    if (fields.WorkDir) {
        const abs = external_node_path_.resolve(fields.WorkDir);
        inputDir = await (0,promises_.realpath)(abs).catch(() => abs);
    }
    let infoFile;
    const name = fields.JobName || undefined;
    if (inputDir && name) {
        const candidate = infoFileCandidate(inputDir, name);
        if (candidate && (await readableFile(candidate)))
            infoFile = candidate;
        else
            ctx?.debug(`job '${id}': no readable info file at '${candidate ?? `${inputDir}/${name}`}'`);
    }
    return {
        id,
        found: true,
        state: slurmState(fields),
        mainNode,
        nodes,
        exitCode: slurmExitCode(fields.ExitCode),
        comment: slurmComment(fields),
        infoFile,
        inputDir,
        jobName: name,
        usage: slurmUsage(fields),
        raw: fields,
    };
}

;// CONCATENATED MODULE: ./src/batch/slurm/query.ts
/**
 * The Slurm adapter: `scontrol show job -o` (one job: qq's exact command; several jobs: one
 * call listing every job the controller knows, filtered here, because `scontrol show job`
 * takes a single id), then `sacct` for the jobs scontrol no longer knows (docs/qq-behaviour.md §3.2).
 */






/** Ids per sacct call; N ≤ this costs one call. */
const SACCT_IDS_PER_CALL = 500;
/**
 * The lines of `scontrol -o show job` (every job of the cluster) that can answer for `ids`:
 * those naming one of their numbers as JobId, ArrayJobId or HetJobId. Streamed, so that only
 * these lines are kept of a listing of tens of thousands of jobs.
 */
function listingFilter(ids) {
    const wanted = new Set(ids.map((id) => /^\d+/.exec(id)?.[0]).filter(Boolean));
    const kept = [];
    let records = 0;
    let other = '';
    return {
        onLine(line) {
            if (line.trim() === '' || line.trim() === 'No jobs in the system')
                return;
            if (!/^JobId=\d/.test(line)) {
                other ||= line;
                return;
            }
            records++;
            for (const m of line.matchAll(/(?:^|\s)(?:JobId|ArrayJobId|HetJobId)=(\d+)/g)) {
                if (wanted.has(m[1])) {
                    kept.push(line);
                    return;
                }
            }
        },
        /** The lines kept, and an answer that had lines but no record at all (garbage). */
        result: () => ({ text: kept.join('\n'), garbage: records === 0 ? other : '' }),
    };
}
/** Step 1: the scontrol records of `ids`, into `found`. A failed scontrol finds none. */
async function fromScontrol(ids, found, ctx) {
    const single = ids.length === 1 ? ids[0] : undefined;
    const filter = single === undefined ? listingFilter(ids) : undefined;
    const sc = single !== undefined
        ? await runScheduler(['scontrol', 'show', 'job', single, '-o'], ctx)
        : await runScheduler(['scontrol', '-o', 'show', 'job'], ctx, {
            maxStdout: SCONTROL_ALL_JOBS_BYTES,
            onStdoutLine: filter?.onLine,
        });
    if (sc.code !== 0) {
        ctx.debug(`scontrol failed (exit ${sc.code}): ${sc.stderr.trim()}; trying sacct`);
        return;
    }
    const listing = filter?.result();
    const records = parseScontrolOutput(listing ? listing.text : sc.stdout);
    // Exit 0 without a single record: not an answer (qq would read an empty job), and not a
    // reason to ask sacct either. The caller warns once, and the info files' state is used.
    if (single !== undefined && !records.some((r) => r.JobId)) {
        throw new errors/* QQError */.V(noRecordReason('scontrol', sc));
    }
    if (listing?.garbage) {
        throw new errors/* QQError */.V(`scontrol printed no job record (exit 0: ${sample(listing.garbage)}) listing the jobs`);
    }
    const index = indexRecords(records);
    for (const id of ids) {
        const r = index.get(id) ??
            pendingArrayRecord(id, records) ??
            (single !== undefined && records.length === 1 ? records[0] : undefined);
        if (r)
            found.set(id, r);
    }
    const first = records[0];
    if (single !== undefined && !found.has(single) && first && records.length > 1) {
        ctx.debug(`scontrol printed ${records.length} records for job '${single}'; using the first`);
        found.set(single, first);
    }
}
/** Step 2: the sacct records of `ids` (one call per SACCT_IDS_PER_CALL), into `found`. */
async function fromSacct(ids, found, ctx, notAnswered) {
    for (const group of chunks(ids, SACCT_IDS_PER_CALL)) {
        let sa;
        try {
            sa = await runScheduler(sacctArgv(group), ctx);
        }
        catch (e) {
            // Without sacct qq's bash gets exit 127: no information, not an error.
            if (e instanceof errors/* QQError */.V && /command not found/.test(e.message)) {
                ctx.debug(`${e.message} Jobs ${group.join(', ')} are unknown to Slurm.`);
                continue;
            }
            throw e;
        }
        if (sa.code !== 0) {
            ctx.debug(`sacct failed (exit ${sa.code}): ${sa.stderr.trim()}; no information about ${group.join(', ')}`);
            continue;
        }
        const records = [];
        const unparsed = [];
        for (const line of sa.stdout.split(/\r?\n/)) {
            if (line.trim() === '')
                continue;
            const r = parseSacctLine(line.replace(/\r$/, ''));
            if (r)
                records.push(r);
            else {
                unparsed.push(line);
                ctx.debug(`sacct line with a wrong number of fields (qq: 'Number of items in a sacct string'): ${line}`);
            }
        }
        // Lines, but not one sacct record: garbage, not "unknown to accounting" (which is no
        // line at all). The jobs keep their info files' state, with one warning for the call.
        const garbage = records.length === 0 && unparsed.length > 0
            ? `sacct printed no job record (exit 0, ${unparsed.length} line(s) without the 20 fields: ${sample(unparsed[0] ?? '')})`
            : undefined;
        for (const id of group) {
            const r = pickSacctRecord(id, records, ctx.debug);
            if (r)
                found.set(id, r);
            else if (garbage)
                notAnswered.set(id, garbage);
        }
    }
}
class SlurmSystem {
    name;
    alwaysShared;
    constructor(name, alwaysShared) {
        this.name = name;
        this.alwaysShared = alwaysShared;
    }
    async queryJobs(ids, ctx) {
        const unique = [...new Set(ids)];
        for (const id of unique)
            validateJobId(id);
        if (unique.length === 0)
            return new Map();
        const found = new Map();
        await fromScontrol(unique, found, ctx);
        const notAnswered = new Map();
        await fromSacct(unique.filter((id) => !found.has(id)), found, ctx, notAnswered);
        // Step 3: node lists, expanded here where the syntax is plain (no scheduler call), by
        // `scontrol show hostnames` one call per list otherwise.
        const lists = [...found.values()].map((r) => r.NodeList).filter(usableNodeList);
        const expanded = lists.length > 0 ? await expandNodeLists(lists, ctx) : new Map();
        const answers = new Map();
        for (const id of unique) {
            const r = found.get(id);
            if (!r) {
                const why = notAnswered.get(id);
                answers.set(id, why ? { ...unknownJob(id), queryError: why } : unknownJob(id));
                continue;
            }
            const nodeList = r.NodeList;
            const nodes = usableNodeList(nodeList) ? (expanded.get(nodeList) ?? [nodeList]) : [];
            answers.set(id, await slurmJobInfo(id, r, nodes, ctx));
        }
        return answers;
    }
}

;// CONCATENATED MODULE: ./src/batch/slurm/index.ts
/**
 * Slurm (docs/qq-behaviour.md §3.2, states as in §2.4): the names Slurm prints (keys.ts), their parsers
 * (parse.ts), hostlist expansion (hostlist.ts), the answer with its info file (job-info.ts)
 * and the adapter that asks scontrol and sacct (query.ts).
 */






;// CONCATENATED MODULE: ./src/batch/index.ts
/**
 * The four batch systems of qq (docs/qq-behaviour.md §3.3), how one is chosen, and job-id resolution
 * (docs/qq-behaviour.md §3.4) with one scheduler call for all ids.
 */










const SYSTEMS = {
    PBS: new PbsSystem(),
    Slurm: new SlurmSystem('Slurm', false),
    // IT4I (Karolina) and LUMI: plain Slurm queries, work dirs on shared storage (docs/qq-behaviour.md §6.4).
    SlurmIT4I: new SlurmSystem('SlurmIT4I', true),
    SlurmLumi: new SlurmSystem('SlurmLumi', true),
};
/** The batch system registered as `name` (exact, case-sensitive, as qq). */
function getBatchSystem(name) {
    return SYSTEMS[(0,batch_system/* parseBatchSystem */.h)(name)];
}
/**
 * qq's guess (docs/qq-behaviour.md §3.3), in registration order PBS → Slurm → SlurmIT4I → SlurmLumi: the
 * first whose marker command is on PATH.
 */
async function guessBatchSystem(env = process.env) {
    const [qsub, sbatch, it4ifree, lumi] = await Promise.all(['qsub', 'sbatch', 'it4ifree', 'lumi-allocations'].map((c) => (0,exec_run/* onPath */.L)(c, env)));
    if (qsub)
        return 'PBS';
    if (sbatch && !it4ifree && !lumi)
        return 'Slurm';
    if (it4ifree)
        return 'SlurmIT4I';
    if (lumi)
        return 'SlurmLumi';
    throw new errors/* QQError */.V('Could not guess a batch system. No registered batch system available.', notGuessedHelp(env));
}
/**
 * After qq's message: what was looked for and where, and the two ways out (the input, or the
 * runner service's PATH, which a runner started as a service reads from its `.path` file).
 */
function notGuessedHelp(env, execPath = process.execPath) {
    // Under the runner, node is `<runner>/externals/node24/bin/node`.
    const runner = /^(.*)\/externals\/node\d+\/bin\/node$/.exec(execPath)?.[1];
    const files = runner
        ? `${runner}/.path and ${runner}/.env`
        : 'the runner directory’s .path and .env';
    return [
        `Looked for qsub (PBS), sbatch (Slurm), it4ifree (SlurmIT4I) and lumi-allocations (SlurmLumi) on PATH=${env.PATH ?? ''} (neither the \`batch-system\` input nor QQ_BATCH_SYSTEM was set).`,
        'Set the `batch-system` input (PBS, Slurm, SlurmIT4I or SlurmLumi), or put the scheduler’s directory on the runner’s PATH:',
        `a runner installed as a service takes its PATH from ${files}, read when the service starts (restart it after a change).`,
    ].join(' ');
}
/**
 * The batch system for job-id mode: the explicit choice (the `batch-system` input), else
 * `QQ_BATCH_SYSTEM` (an unknown name is `No batch system registered as '<n>'.`), else the guess.
 */
async function resolveBatchSystemName(override, env = process.env) {
    if (override)
        return (0,batch_system/* parseBatchSystem */.h)(override);
    const fromEnv = env.QQ_BATCH_SYSTEM;
    if (fromEnv)
        return (0,batch_system/* parseBatchSystem */.h)(fromEnv);
    return guessBatchSystem(env);
}
/** qq's messages of docs/qq-behaviour.md §3.4. */
const jobDoesNotExist = (id) => `Job '${id}' does not exist.`;
const notAQqJob = (id) => `Job '${id}' is not a valid qq job.`;
const infoFileNotReachable = (id) => `Info file for job '${id}' does not exist or is not reachable.`;
/**
 * docs/qq-behaviour.md §3.4 steps 1–2 for many ids with one scheduler call: each id gets either the
 * scheduler's answer with the info-file path (PBS `QQ_INFO`; Slurm `WorkDir/JobName.qqinfo`
 * when that file exists and is readable), or qq's error. Steps 3–5 (read the file, check
 * that its job id matches — else `infoFileNotReachable(id)` — and reuse `info` for the
 * state) are the caller's. An invalid id gets its InputError message; a scheduler that
 * cannot be asked gives its QQError message to every id of the call.
 */
async function resolveJobIds(ids, system, ctx) {
    const out = new Map();
    const valid = [];
    for (const id of ids) {
        if (out.has(id) || valid.includes(id))
            continue;
        try {
            valid.push(validateJobId(id));
        }
        catch (e) {
            out.set(id, { id, ok: false, error: (0,util_errors/* errorMessage */.g)(e) });
        }
    }
    if (valid.length === 0)
        return out;
    let answers;
    try {
        answers = await system.queryJobs(valid, ctx);
    }
    catch (e) {
        const error = (0,util_errors/* errorMessage */.g)(e);
        for (const id of valid)
            out.set(id, { id, ok: false, error });
        return out;
    }
    for (const id of valid) {
        const info = answers.get(id);
        if (!info?.found) {
            out.set(id, { id, ok: false, error: info?.queryError ?? jobDoesNotExist(id), info });
        }
        else if (!info.infoFile)
            out.set(id, { id, ok: false, error: notAQqJob(id), info });
        else
            out.set(id, { id, ok: true, info, infoFile: info.infoFile });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/domain/suitability.ts
/**
 * qq's Navigator predicates (docs/qq-behaviour.md §4), `Syncer.ensure_suitable` (§5.1) in its exact order with
 * its exact messages, the no-destination error of `Syncer.sync`, and the state texts of the
 * job status panel (§2.6).
 *
 * Pure: no I/O. (`workDirIsInputDir` anchors relative paths to `process.cwd()` unless a cwd
 * is given; it never touches the file system.)
 */





// qq's messages (docs/qq-behaviour.md §5.1), verbatim.
const IMPLICITLY_SYNCHRONIZED_MESSAGE = 'Working directory of the job is the input directory of the job: implicitly synchronized.';
const SYNCHRONIZED_MESSAGE = 'Job has been completed and was synchronized: working directory no longer exists.';
const KILLED_NO_WORK_DIR_MESSAGE = 'Job has been killed and no working directory is available.';
const QUEUED_MESSAGE = 'Job is queued or booting: nothing to sync.';
const NO_DESTINATION_MESSAGE = "Host ('main_node') or working directory ('work_dir') are not defined.";
/** Navigator.has_destination: both `main_node` and `work_dir` present and non-empty. */
function hasDestination(info) {
    return Boolean(info.mainNode) && Boolean(info.workDir);
}
/** `{host, workDir}` when the job has a destination, else undefined (Informer.get_destination). */
function getDestination(info) {
    return info.mainNode && info.workDir ? { host: info.mainNode, workDir: info.workDir } : undefined;
}
/** Navigator.is_queued: QUEUED, BOOTING, HELD or WAITING. */
function isQueued(state) {
    return (state === states/* RealState */.k.QUEUED ||
        state === states/* RealState */.k.BOOTING ||
        state === states/* RealState */.k.HELD ||
        state === states/* RealState */.k.WAITING);
}
/** Navigator.is_killed: KILLED, or EXITING without an exit code (being killed). */
function isKilled(state, exitCode) {
    return state === states/* RealState */.k.KILLED || (state === states/* RealState */.k.EXITING && exitCode === undefined);
}
/**
 * Navigator.is_synchronized (v0.8+): an exit code is recorded and at least one transfer mode
 * matches it. Deliberately ignores the real state and whether the directory exists.
 */
function isSynchronized(exitCode, transferModes) {
    if (exitCode === undefined)
        return false;
    return transferModes.some((m) => (0,transfer_mode/* transferModeMatches */.e)(m, exitCode));
}
/**
 * The logical absolute form of a path (qq's `logical_resolve`, v0.10+): relative paths are
 * anchored to `cwd`, then `.` and `..` are collapsed as text; symlinks are never followed and
 * a trailing `/` is dropped.
 */
function normalizeLogical(p, cwd = process.cwd()) {
    return external_node_path_.posix.resolve(cwd, p);
}
/**
 * Host names compare equal case-insensitively (a trailing root `.` ignored), or when one is a
 * short name (no dot) equal to the first label of the other: qq ≤ 0.9 wrote short names,
 * v0.10+ FQDNs (docs/qq-behaviour.md §10.1). Empty or missing names never match.
 */
function hostsMatch(a, b) {
    if (!a || !b)
        return false;
    const norm = (h) => h.trim().toLowerCase().replace(/\.$/, '');
    const x = norm(a);
    const y = norm(b);
    if (x === '' || y === '')
        return false;
    if (x === y)
        return true;
    const first = (h) => h.split('.', 1)[0];
    if (!x.includes('.') && y.includes('.'))
        return x === first(y);
    if (!y.includes('.') && x.includes('.'))
        return y === first(x);
    return false;
}
/**
 * Navigator.work_dir_is_input_dir (v0.8+): the job has a destination, its work dir is the input
 * dir (logical paths), and the job does not use scratch or ran on the input machine
 * (`main_node` vs the file's `input_machine`, compared with `hostsMatch`).
 */
function workDirIsInputDir(info, cwd) {
    const destination = getDestination(info);
    if (!destination)
        return false;
    const base = cwd ?? process.cwd();
    if (normalizeLogical(destination.workDir, base) !== normalizeLogical(info.inputDir, base)) {
        return false;
    }
    return !(0,resources/* usesScratch */.z5)(info) || hostsMatch(info.mainNode, info.inputMachine);
}
const UNSUITABLE = {
    'implicitly-synchronized': IMPLICITLY_SYNCHRONIZED_MESSAGE,
    synchronized: SYNCHRONIZED_MESSAGE,
    'killed-no-work-dir': KILLED_NO_WORK_DIR_MESSAGE,
    queued: QUEUED_MESSAGE,
};
const unsuitable = (code) => ({ code, message: UNSUITABLE[code] });
/**
 * Syncer.ensure_suitable (v0.8 … v0.12), as a value: why the job is not suitable (code and qq's
 * message), or undefined when it is worth syncing. Order: input-dir, synchronized, killed
 * without destination, queued.
 */
function checkSuitable(info, state, cwd) {
    if (workDirIsInputDir(info, cwd))
        return unsuitable('implicitly-synchronized');
    if (isSynchronized(info.jobExitCode, info.transferMode))
        return unsuitable('synchronized');
    if (isKilled(state, info.jobExitCode) && !hasDestination(info)) {
        return unsuitable('killed-no-work-dir');
    }
    if (isQueued(state))
        return unsuitable('queued');
    return undefined;
}
/** The check at the start of Syncer.sync: throws QQError without a destination. */
function ensureDestination(info) {
    const destination = getDestination(info);
    if (!destination)
        throw new errors/* QQError */.V(NO_DESTINATION_MESSAGE);
    return destination;
}
// ---------------------------------------------------------------------------------------------
// Texts of the job status panel (docs/qq-behaviour.md §2.6)
const STATE_MESSAGES = {
    QUEUED: 'Job is queued',
    HELD: 'Job is held',
    WAITING: 'Job is waiting',
    SUSPENDED: 'Job is suspended',
    RUNNING: 'Job is running',
    BOOTING: 'Job is booting',
    KILLED: 'Job has been killed',
    FAILED: 'Job has failed',
    FINISHED: 'Job has finished',
    EXITING: 'Job is exiting',
    IN_AN_INCONSISTENT_STATE: 'Job is in an inconsistent state',
    UNKNOWN: 'Job is in an unknown state',
};
/** The `Job state:` message of qq's panel (`Job is running`, `Job has been killed`, …). */
function stateMessage(state) {
    return STATE_MESSAGES[state];
}
/** qq's `format_duration_wdhhmmss`: `[Nw ][Nd ]HH:MM:SS`. */
function formatDurationWdhhmmss(totalSecondsIn) {
    const total = Math.trunc(totalSecondsIn);
    // Python's divmod floors; keep that for negative spans too.
    const divmod = (a, b) => {
        const q = Math.floor(a / b);
        return [q, a - q * b];
    };
    const [weeks, r1] = divmod(total, 7 * 24 * 3600);
    const [days, r2] = divmod(r1, 24 * 3600);
    const [hours, r3] = divmod(r2, 3600);
    const [minutes, seconds] = divmod(r3, 60);
    const parts = [];
    if (weeks > 0)
        parts.push(`${weeks}w`);
    if (days > 0)
        parts.push(`${days}d`);
    const p = (n) => String(n).padStart(2, '0');
    parts.push(`${p(hours)}:${p(minutes)}:${p(seconds)}`);
    return parts.join(' ');
}
/** Seconds since the epoch of a `YYYY-MM-DD HH:MM:SS` local timestamp (as qq's naive datetime). */
function naiveSeconds(ts) {
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(ts);
    if (!m)
        return undefined;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
}
/** A Date as a naive local `YYYY-MM-DD HH:MM:SS` (qq's `datetime.now()`). */
function formatLocalTimestamp(date) {
    const p = (n) => String(n).padStart(2, '0');
    return (`${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ` +
        `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`);
}
/**
 * The details line under the state message of qq's panel (docs/qq-behaviour.md §2.6); empty for SUSPENDED.
 * Spans run from `start_time` (or `submission_time`) to `completion_time` (or now).
 */
function stateDetails(state, info, options = {}) {
    const begin = info.startTime ?? info.submissionTime;
    const end = info.completionTime ?? formatLocalTimestamp(options.now ?? new Date());
    const duration = () => {
        const a = naiveSeconds(begin);
        const b = naiveSeconds(end);
        return a === undefined || b === undefined ? '??:??:??' : formatDurationWdhhmmss(b - a);
    };
    switch (state) {
        case states/* RealState */.k.QUEUED:
        case states/* RealState */.k.HELD:
        case states/* RealState */.k.WAITING:
            return `In queue for ${duration()}`;
        case states/* RealState */.k.SUSPENDED:
            return '';
        case states/* RealState */.k.RUNNING: {
            const all = info.allNodes;
            let nodes;
            if (!all || all.length === 0 || !info.mainNode)
                nodes = 'unknown node(s)';
            else if (all.length === 1)
                nodes = `'${info.mainNode}'`;
            else
                nodes = `'${info.mainNode}' and ${all.length - 1} other node${all.length > 2 ? 's' : ''}`;
            return `Running for ${duration()} on ${nodes}`;
        }
        case states/* RealState */.k.BOOTING:
            // qq prints Python's None when the scheduler does not know the node.
            return `Preparing working directory on '${options.batchMainNode ?? 'None'}'`;
        case states/* RealState */.k.KILLED:
            return `Killed at ${end}`;
        case states/* RealState */.k.FAILED:
            return `Failed at ${end} [exit code: ${info.jobExitCode ?? 'None'}]`;
        case states/* RealState */.k.FINISHED:
            return `Completed at ${end}`;
        case states/* RealState */.k.EXITING:
            if (info.jobExitCode === undefined)
                return 'Job is being killed';
            if (info.jobExitCode === 0)
                return 'Job is finishing successfully';
            return `Job is failing [exit code: ${info.jobExitCode}]`;
        case states/* RealState */.k.IN_AN_INCONSISTENT_STATE:
            return 'The batch system and qq disagree on the status of the job';
        default:
            return 'Job is in a state that qq does not recognize';
    }
}

;// CONCATENATED MODULE: ./src/jobs/infofiles.ts
/**
 * Reading and finding qq info files on the local file system (docs/qq-behaviour.md §1.6, §1.9).
 *
 * - `readInfoFile` reads one file with qq's local read errors. It follows a symlinked info
 *   file, as qq does (Python's `open`), but refuses anything that is not a regular file once
 *   opened (a FIFO would block, a device could be endless) and any file larger than
 *   MAX_INFO_FILE_BYTES, checked on the open descriptor before reading it whole.
 * - `findInfoFiles` is qq's `get_info_files`: regular files (symlinks to regular files count,
 *   as Python's `is_file` follows them) directly in a directory whose last suffix is exactly
 *   `.qqinfo`, oldest mtime first (ties by name, so the order is deterministic).
 */






/** The suffix qq gives info files (config `[suffixes] qq_info`). */
const INFO_FILE_SUFFIX = '.qqinfo';
function errnoCode(e) {
    return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;
}
function tooLarge(path, size) {
    return new errors/* QQError */.V(`qq info file '${path}' is too large (${size} bytes; the limit is ${limits/* MAX_INFO_FILE_BYTES */.Tn} bytes).`);
}
function readError(e, path) {
    switch (errnoCode(e)) {
        case 'ENOENT':
        case 'ENOTDIR':
            return new errors/* QQError */.V(`qq info file '${path}' does not exist.`);
        case 'EACCES':
        case 'EPERM':
            return new errors/* QQError */.V(`No permission to read file '${path}' or access its parent directory.`);
        case 'EISDIR':
            return new errors/* QQError */.V(`Expected a file but path is a directory: ${path}.`);
        case 'ELOOP':
            return new errors/* QQError */.V(`Could not read qq info file '${path}': too many levels of symbolic links.`);
        default: {
            const msg = (0,util_errors/* errorMessage */.g)(e);
            return new errors/* QQError */.V(`Could not read qq info file '${path}': ${msg}.`);
        }
    }
}
/**
 * The bytes of an info file, at most MAX_INFO_FILE_BYTES, with qq's read errors. `path` is
 * used as given in messages.
 */
async function readInfoFileBytes(path) {
    let handle;
    try {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; harmless for regular files.
        handle = await (0,promises_.open)(path, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK);
    }
    catch (e) {
        throw readError(e, path);
    }
    try {
        let st;
        try {
            st = await handle.stat();
        }
        catch (e) {
            throw readError(e, path);
        }
        if (st.isDirectory())
            throw new errors/* QQError */.V(`Expected a file but path is a directory: ${path}.`);
        if (!st.isFile())
            throw new errors/* QQError */.V(`Expected a regular file: ${path}.`);
        if (st.size > limits/* MAX_INFO_FILE_BYTES */.Tn)
            throw tooLarge(path, st.size);
        // Read at most one byte more than the limit: the file may grow after the stat. The buffer
        // starts at the stat's size (a campaign reads hundreds of files at once: a buffer of the
        // limit each was 1 MiB per job, most of the 520-job campaign's peak memory) and grows.
        let buf = new Uint8Array(Math.min(st.size + 1, limits/* MAX_INFO_FILE_BYTES */.Tn + 1));
        let total = 0;
        for (;;) {
            if (total === buf.length) {
                const bigger = new Uint8Array(Math.min(buf.length * 2, limits/* MAX_INFO_FILE_BYTES */.Tn + 1));
                bigger.set(buf);
                buf = bigger;
            }
            let n;
            try {
                ({ bytesRead: n } = await handle.read(buf, total, buf.length - total, null));
            }
            catch (e) {
                throw readError(e, path);
            }
            if (n === 0)
                break;
            total += n;
            if (total > limits/* MAX_INFO_FILE_BYTES */.Tn)
                throw tooLarge(path, `more than ${limits/* MAX_INFO_FILE_BYTES */.Tn}`);
        }
        return buf.subarray(0, total);
    }
    finally {
        await handle.close().catch(() => undefined);
    }
}
/** Decode UTF-8 strictly (qq: `File is not valid UTF-8 text: <path>.`); a BOM is dropped. */
function decodeInfoFile(bytes, path) {
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
    catch {
        throw new errors/* QQError */.V(`File is not valid UTF-8 text: ${path}.`);
    }
}
/** Read and parse a qq info file (docs/qq-behaviour.md §1.6). Throws QQError with qq's messages. */
async function readInfoFile(path) {
    const bytes = await readInfoFileBytes(path);
    return (0,parse/* readInfoText */.KP)(decodeInfoFile(bytes, path), path);
}
/** Python's `Path.suffix == '.qqinfo'`: the last dot-suffix, a leading dot does not count. */
function hasInfoSuffix(name) {
    const i = name.lastIndexOf('.');
    return i > 0 && i < name.length - 1 && name.slice(i) === INFO_FILE_SUFFIX;
}
/**
 * qq's `get_info_files(dir)`: absolute paths of the regular files directly in `dir` whose
 * last suffix is exactly `.qqinfo`, oldest modification time first (ties by name).
 */
async function findInfoFiles(dir) {
    const absDir = (0,external_node_path_.resolve)(dir);
    let names;
    try {
        names = await (0,promises_.readdir)(absDir);
    }
    catch (e) {
        switch (errnoCode(e)) {
            case 'ENOENT':
                throw new errors/* QQError */.V(`Directory '${dir}' does not exist.`);
            case 'ENOTDIR':
                throw new errors/* QQError */.V(`Expected a directory but path is a file: ${dir}.`);
            case 'EACCES':
            case 'EPERM':
                throw new errors/* QQError */.V(`No permission to read directory '${dir}'.`);
            default:
                throw new errors/* QQError */.V(`Could not read directory '${dir}': ${(0,util_errors/* errorMessage */.g)(e)}.`);
        }
    }
    const found = [];
    for (const name of names) {
        if (!hasInfoSuffix(name))
            continue;
        const path = (0,external_node_path_.resolve)(absDir, name);
        let st;
        try {
            st = await (0,promises_.stat)(path); // follows symlinks, like Python's is_file()
        }
        catch {
            continue; // vanished, dangling symlink, no permission: not a file qq would see
        }
        if (!st.isFile())
            continue;
        found.push({ path, name, mtimeMs: st.mtimeMs });
    }
    found.sort((a, b) => a.mtimeMs !== b.mtimeMs
        ? a.mtimeMs - b.mtimeMs
        : a.name < b.name
            ? -1
            : a.name > b.name
                ? 1
                : 0);
    return found.map((f) => f.path);
}

;// CONCATENATED MODULE: ./src/util/compact.ts
/**
 * A compact copy of plain data that is kept for long: a campaign keeps something for each of
 * thousands of jobs from the start of the step to its end.
 *
 * Parsed values cost more than their content in V8: a string cut from a larger text (a YAML
 * scalar, a line of `qstat` output) is a slice that keeps the whole text alive (PBS answers
 * about 1 MiB for 500 jobs), and an object whose fields were set one by one by computed name
 * (a parser's table of fields) is a hash table. `structuredClone` writes the value out and
 * reads it back: strings of their own and objects of fixed shape. Measured on an info file of
 * 600 bytes: 3.8 KB kept as parsed, 1.5 KB as copied (docs/performance-streams.md §(d)).
 */
function compactCopy(value) {
    return structuredClone(value);
}

;// CONCATENATED MODULE: ./src/util/pool.ts
/** Run `fn` over `items` with at most `limit` at once; results keep the order of `items`. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}

;// CONCATENATED MODULE: ./src/action/jobs/shard.ts
/**
 * The `shard` input (`2/8`): a campaign too big for one runner is split over a matrix of
 * steps, each fetching the jobs of its shard. A job's shard follows from its id alone
 * (shardOf), so every step of the matrix agrees without talking to the others, and each job
 * lands in exactly one shard. Pure: no I/O.
 */

/** `'2/8'` → { index: 2, count: 8 }; '' → undefined (no sharding). */
function parseShard(text) {
    const raw = text.trim();
    if (raw === '')
        return undefined;
    const m = /^(\d+)\s*\/\s*(\d+)$/.exec(raw);
    const index = Number(m?.[1]);
    const count = Number(m?.[2]);
    if (!m || count < 1 || count > 10_000 || index < 1 || index > count) {
        throw new errors/* InputError */.d(`Input 'shard' must be 'k/n' with 1 ≤ k ≤ n ≤ 10000 (this step's shard of n, e.g. '2/8'); got '${raw}'.`);
    }
    return { index, count };
}
/**
 * The shard (0-based) of a job: an id whose first part (before the first `.`) is a number
 * goes by that number modulo n, so consecutive ids (`6001.pbs-m1`, `6002.pbs-m1`, …, as a
 * campaign submitted at once gets them) spread evenly, one by one, over the shards; any other
 * id (a Slurm array task `123_4`, an unreadable target's label) by a stable hash of that first
 * part. Only the first part: `123.pbs-server` and `123` are one job to qq (jobIdMatches), so
 * they land in the same shard whichever form a step sees. Never the id's place in a list: a
 * step that sees more or fewer jobs puts each where the others do.
 */
function shardOf(id, count) {
    const dot = id.indexOf('.');
    const head = dot < 0 ? id : id.slice(0, dot);
    if (/^\d{1,300}$/.test(head))
        return Number(BigInt(head) % BigInt(count));
    return shardKey(head) % count;
}
/**
 * FNV-1a (32 bits) of the id's first part, with murmur3's final mix: FNV's low bits depend
 * only on the low bits of each character, which would fill the shards unevenly.
 */
function shardKey(id) {
    const dot = id.indexOf('.');
    const head = dot < 0 ? id : id.slice(0, dot);
    let h = 0x811c9dc5;
    for (let i = 0; i < head.length; i++) {
        h ^= head.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
}
/** Whether the job with this id (or, without one, this label) belongs to `shard`. */
function inShard(id, shard) {
    return !shard || shardOf(id, shard.count) === shard.index - 1;
}
/** `Shard 2/8` for messages and the summary's title. */
/** `shard 2/8`, as it stands inside a sentence or a title. */
function describeShard(shard) {
    return `shard ${shard.index}/${shard.count}`;
}
/** The log line of a shard: `Shard 1/4: 5 of 20 jobs.`, or in words when it has none. */
function shardLine(shard, jobs, of) {
    return jobs === 0
        ? `Shard ${shard.index}/${shard.count} has no jobs.`
        : `Shard ${shard.index}/${shard.count}: ${jobs} of ${of} jobs.`;
}

;// CONCATENATED MODULE: ./src/action/jobs/targets.ts
/**
 * From the `path` and `job-id` inputs to the list of jobs, in qq's order: ids first, then the
 * info files of each path (each directory's files oldest first). A target that cannot be
 * prepared carries its error and fails alone (qq v0.11+: per-job isolation).
 *
 * action/jobs/ is which jobs a run has and in what state: this file (the targets), the
 * `shard` input (shard.ts), what to say when no info file is found (not-found.ts), the
 * schedulers asked (real-states.ts), `wait-for` (wait.ts) and `follow` (follow.ts).
 */











const GLOB_CHARS = /[*?[\]{}]/;
/** Expand one `path` line to info files (absolute), or throw a QQError for that line. */
async function expandPathLine(line, workspace) {
    const absolute = external_node_path_.resolve(workspace, line);
    const candidates = GLOB_CHARS.test(line)
        ? (await (await (await __webpack_require__.e(/* import() */ 377).then(__webpack_require__.bind(__webpack_require__, 2377))).create(absolute, {
            implicitDescendants: false,
            matchDirectories: true,
        })).glob()).sort()
        : [absolute];
    if (candidates.length === 0)
        throw new errors/* QQError */.V(`No file or directory matches '${line}'.`);
    const files = [];
    for (const candidate of candidates) {
        let s;
        try {
            s = await (0,promises_.stat)(candidate);
        }
        catch {
            throw new errors/* QQError */.V(`Path '${line}' does not exist.`);
        }
        if (s.isDirectory())
            files.push(...(await findInfoFiles(candidate)));
        else if (candidate.endsWith('.qqinfo'))
            files.push(candidate);
        else if (!GLOB_CHARS.test(line)) {
            throw new errors/* QQError */.V(`Path '${line}' is neither a directory nor a .qqinfo file.`);
        }
    }
    return files;
}
/** Read an info file into the job, or record the error on it. */
async function loadInfo(job, override) {
    if (!job.infoFile)
        return;
    try {
        // Kept until the report for every job of the step: compact (util/compact.ts).
        const info = compactCopy(await readInfoFile(job.infoFile));
        job.info = info;
        job.system = getBatchSystem(override ?? info.batchSystem);
        job.error = undefined;
    }
    catch (e) {
        job.error = (0,util_errors/* errorMessage */.g)(e);
        if (e instanceof errors/* QQError */.V && e.hint)
            job.hint = e.hint;
    }
}
/**
 * Info files read and parsed at once. All of a campaign's at once (4,000 on the bench) kept
 * thousands of reads and YAML parses in flight: the heap grew to 180 MiB for a live set of
 * 24 MiB, and V8 keeps such a heap for the rest of the run (docs/performance-streams.md §(d)).
 * A few at a time read them as fast: the disk and libuv's four threads are the limit anyway.
 */
const INFO_READS_AT_ONCE = 16;
/** `loadInfo` for every job, a few at a time (`then`: what to do with each, after it). */
async function loadInfos(jobs, override, then) {
    await mapLimit(jobs, INFO_READS_AT_ONCE, async (job) => {
        await loadInfo(job, override);
        then?.(job);
    });
}
/**
 * What a job keeps of its scheduler's answer: its fields, compact (util/compact.ts), without
 * `raw` (the whole `qstat`/`scontrol` record, which the action never reads).
 */
function keptAnswer(answer) {
    if (!answer)
        return undefined;
    return compactCopy({ ...answer, raw: {} });
}
/** After qq's `Job '…' does not exist.`: PBS finds a job of another server by its full id. */
function idHint(id, system) {
    return system === 'PBS' && !id.includes('.')
        ? `A job of another PBS server needs its full id, NNN.server, as qstat prints it (for example '${id}.pbs-m1.metacentrum.cz').`
        : undefined;
}
/**
 * After qq's `Job '…' is not a valid qq job.`: where qq looked for the job's info file (Slurm:
 * the job's WorkDir and JobName; PBS: its QQ_INFO variable).
 */
function whereInfoFileWasLooked(answer, system) {
    if (system === 'PBS') {
        return "Its info file is named by the job's QQ_INFO variable, which the scheduler does not report: the job was not submitted by qq.";
    }
    const candidate = answer?.inputDir && answer.jobName
        ? infoFileCandidate(answer.inputDir, answer.jobName)
        : undefined;
    return candidate
        ? `Its info file would be '${candidate}' (the job's WorkDir and JobName), which does not exist or cannot be read here.`
        : "The scheduler reports no WorkDir and JobName for it, which name qq's info file.";
}
/** qq's §3.4 for every id, with one scheduler call for all of them. */
async function jobsFromIds(settings, ctx, env) {
    // Another shard's ids are left out before the scheduler is asked: one call per shard, for
    // its own jobs only.
    const ids = settings.jobIds.filter((id) => inShard(id, settings.shard));
    if (ids.length === 0)
        return [];
    const system = getBatchSystem(await resolveBatchSystemName(settings.batchSystem, env));
    const resolved = await resolveJobIds(ids, system, ctx);
    const jobs = [];
    const seen = new Set();
    for (const id of ids) {
        if (seen.has(id))
            continue;
        seen.add(id);
        const r = resolved.get(id);
        const job = { label: id, requestedId: id, system, batch: keptAnswer(r?.info) };
        if (!r)
            job.error = jobDoesNotExist(id);
        else if (!r.ok) {
            job.error = r.error;
            if (r.error === notAQqJob(id))
                job.hint = whereInfoFileWasLooked(r.info, system.name);
        }
        else
            job.infoFile = r.infoFile;
        if (job.error === jobDoesNotExist(id))
            job.hint = idHint(id, system.name);
        jobs.push(job);
    }
    await loadInfos(jobs.filter((j) => j.infoFile), settings.batchSystem, (job) => {
        if (job.info && !jobIdMatches(job.label, job.info.jobId)) {
            job.error = infoFileNotReachable(job.label);
            job.hint = `The scheduler names the info file '${job.infoFile}', which is of job '${job.info.jobId}'.`;
            job.info = undefined;
        }
        // Keep the system the id was resolved with: its answer is the one we have.
        job.system = system;
    });
    return jobs;
}
async function collectJobs(settings, ctx, env, found = { all: 0 }) {
    const jobs = settings.jobIds.length > 0 ? await jobsFromIds(settings, ctx, env) : [];
    found.all = new Set(settings.jobIds).size;
    const seen = new Set(jobs.map((j) => j.infoFile).filter(Boolean));
    for (const line of settings.paths) {
        let files;
        try {
            files = await expandPathLine(line, settings.workspace);
        }
        catch (e) {
            jobs.push({
                label: line,
                error: (0,util_errors/* errorMessage */.g)(e),
                hint: e instanceof errors/* QQError */.V ? e.hint : undefined,
            });
            continue;
        }
        for (const file of files) {
            if (seen.has(file))
                continue;
            seen.add(file);
            jobs.push({ label: external_node_path_.relative(settings.workspace, file) || file, infoFile: file });
        }
    }
    const fromIds = jobs.filter((j) => j.requestedId).length;
    const fromPaths = jobs.slice(fromIds);
    await loadInfos(fromPaths.filter((j) => !j.info && !j.error), settings.batchSystem);
    found.all += fromPaths.length;
    if (!settings.shard)
        return jobs;
    // A job found through `path` has its id once its info file is read; a target without one
    // (unreadable) goes by its label, so that it too is reported by exactly one shard.
    return [
        ...jobs.slice(0, fromIds),
        ...fromPaths.filter((j) => inShard(j.info?.jobId ?? j.label, settings.shard)),
    ];
}

;// CONCATENATED MODULE: ./src/action/jobs/real-states.ts
/**
 * The real state of every job: the info file's naive state combined with the scheduler's
 * answer, asked with one call per batch system for all jobs (docs/qq-behaviour.md §2.5, §3).
 */




function realStateOf(job) {
    if (!job.info)
        return undefined;
    // qq does not ask the scheduler about a job whose file says `unknown`.
    if (job.info.jobState === states/* NaiveState */.Pu.UNKNOWN)
        return states/* RealState */.k.UNKNOWN;
    return (0,states/* realStateFrom */.Q_)(job.info.jobState, job.batch?.state ?? states/* BatchState */.Gw.UNKNOWN);
}
/**
 * Ask the schedulers about `jobs`. A scheduler that cannot be asked at all (missing command,
 * timeout) is what qq calls an empty answer: the jobs' batch state is UNKNOWN, with a warning.
 * @param reread read the info files again first (while waiting: `qq run` updates them)
 * @param all also ask about jobs that already have an answer (polling)
 */
async function refreshStates(jobs, settings, ctx, options) {
    if (options.reread) {
        await loadInfos(jobs.filter((j) => j.infoFile), settings.batchSystem);
    }
    const groups = new Map();
    for (const job of jobs) {
        if (!job.info || !job.system || job.error)
            continue;
        if (job.info.jobState === states/* NaiveState */.Pu.UNKNOWN)
            continue;
        if (job.batch && !options.all)
            continue;
        try {
            validateJobId(job.info.jobId);
        }
        catch (e) {
            job.error = (0,util_errors/* errorMessage */.g)(e);
            continue;
        }
        const group = groups.get(job.system.name) ?? [];
        group.push(job);
        groups.set(job.system.name, group);
    }
    await Promise.all([...groups.values()].map(async (group) => {
        const system = group[0]?.system;
        if (!system)
            return;
        const ids = [...new Set(group.map((j) => j.info?.jobId))];
        try {
            const answers = await system.queryJobs(ids, ctx);
            for (const job of group)
                job.batch = keptAnswer(answers.get(job.info?.jobId));
            // Asked, but not answered for some jobs (PBS: their server did not answer).
            const unanswered = new Map();
            for (const job of group) {
                const why = job.batch?.queryError;
                if (why)
                    unanswered.set(why, (unanswered.get(why) ?? 0) + 1);
            }
            for (const [why, n] of unanswered) {
                options.warn(`${system.name} scheduler could not be asked about ${n} job(s) (${why}); their state is taken from their info files alone.`);
            }
        }
        catch (e) {
            options.warn(`${system.name} scheduler could not be asked (${(0,util_errors/* errorMessage */.g)(e)}); the state of ${group.length} job(s) is taken from their info files alone.`);
            for (const job of group)
                job.batch = undefined;
        }
    }));
}

;// CONCATENATED MODULE: ./src/action/cancel.ts
/**
 * A cancelled run, as the GitHub runner cancels a step (a cancelled workflow, or
 * `timeout-minutes`): SIGINT to the step's process, SIGTERM 7.5 s later, SIGKILL 2.5 s after
 * that — to the process only, not to the process groups of the programs it runs.
 *
 * At the first SIGINT or SIGTERM: the run's AbortSignal is aborted (no new job, transfer,
 * retry or poll starts; what waits returns), every program gets SIGTERM (rsync then removes
 * its temporary file) and SIGKILL a second later (src/exec/run.ts). The run then unwinds on
 * its own: the destination locks are released, the shared ssh connections closed, the
 * outputs and the summary written, and the process exits with 1. Whatever has not unwound
 * after FORCE_AFTER_MS (a copy in the thread pool, a cache upload) is cut short: programs are
 * killed, the copier's temporary files removed, the clean-up hooks get a moment, the report
 * is written from what is known, and the process exits — well before the runner's SIGTERM.
 * A second signal exits at once (programs killed, temporary files removed, report written
 * if it was not). Held destination locks are removed at exit by src/transfer/lock/index.ts's handler.
 */







/** The error of every job a cancel stopped; its message is the job's `reason`. */
class CancelledError extends Error {
    signalName;
    name = 'CancelledError';
    constructor(signalName) {
        super(`Cancelled (${signalName}) before the transfer finished.`);
        this.signalName = signalName;
    }
}
/** `SIGINT` for a cancel's reason (the run's AbortSignal's), `a cancel` for anything else. */
function signalNameOf(reason) {
    return reason instanceof CancelledError ? reason.signalName : 'a cancel';
}
/** After the first signal, the run is cut short by then at the latest (runner: 7.5 s). */
const FORCE_AFTER_MS = 4000;
/** How long the clean-up hooks (`ssh -O exit`) may take when the run is cut short. */
const CLEANUP_MS = 1500;
function installCancellation(options) {
    const controller = new AbortController();
    const hooks = new Set();
    let signalledAt = 0;
    let exiting = false;
    const exit = (how) => {
        exiting = true;
        (0,exec_run/* killAllCommandsNow */.Im)();
        removeTempFilesNow();
        core/* info */.pq(`Cancelled: ${how} ${Date.now() - signalledAt} ms after the signal.`);
        process.exit(1);
    };
    const forceExit = async () => {
        if (exiting)
            return;
        exiting = true;
        core/* warning */.$e(`The run did not unwind within ${Math.round((options.forceAfterMs ?? FORCE_AFTER_MS) / 1000)} s of the cancel: cutting it short (${(0,exec_run/* liveCommandCount */.JX)()} program(s) still running).`);
        (0,exec_run/* killAllCommandsNow */.Im)();
        removeTempFilesNow();
        await Promise.race([
            Promise.allSettled([...hooks].map((fn) => fn())),
            new Promise((r) => setTimeout(r, CLEANUP_MS)),
        ]);
        options.reportNow();
        exit('cut short and exited');
    };
    const onSignal = (name) => {
        if (signalledAt > 0) {
            core/* info */.pq(`Received ${name} again: exiting now.`);
            options.reportNow();
            exit('exited at the second signal');
        }
        signalledAt = Date.now();
        core/* info */.pq(`Received ${name}: cancelling — no new work, every program stopped, then the outputs and the summary.`);
        controller.abort(new CancelledError(name));
        (0,exec_run/* stopAllCommands */.mB)();
        setTimeout(() => void forceExit(), options.forceAfterMs ?? FORCE_AFTER_MS);
    };
    const onInt = () => onSignal('SIGINT');
    const onTerm = () => onSignal('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    return {
        signal: controller.signal,
        onForcedExit(fn) {
            hooks.add(fn);
            return () => hooks.delete(fn);
        },
        done() {
            if (controller.signal.aborted) {
                if (!exiting)
                    exit('stopped and exited');
                return;
            }
            process.off('SIGINT', onInt);
            process.off('SIGTERM', onTerm);
        },
    };
}
/** The result of a job the cancel stopped before it had one of its own. */
function unfinishedResult(job, reason) {
    return {
        ...newResult(job, realStateOf(job)),
        reason: job.error ?? (reason instanceof Error ? reason.message : String(reason)),
        reasonCode: job.error ? (job.errorCode ?? 'error') : 'cancelled',
        ...(job.error && job.hint ? { hint: job.hint } : {}),
    };
}
/**
 * The step's error for a cancelled run: how many jobs it left unfetched (report.ts's one
 * sentence), or, before any job was found, that it was cancelled then.
 */
function cancelMessage(reason, results) {
    if (results.length > 0)
        return cancelledSentence(signalNameOf(reason), results);
    return reason instanceof CancelledError
        ? `Cancelled (${signalNameOf(reason)}) before any job was found.`
        : (0,util_errors/* errorMessage */.g)(reason);
}

;// CONCATENATED MODULE: ./src/transfer/builtin.ts
/**
 * The built-in copier as a Transport: rsync -rltD's result for a local copy where rsync is not
 * installed (or `force-builtin`). One sequential walk of synchronous calls in this process
 * (copier/walk.ts), so it takes the whole tree, never a part: parallel streams of it would
 * only take turns on the one thread.
 */




const copierTransport = {
    method: 'built-in copier',
    takesParts: false,
    attempt: (job, a) => copierAttempt(job, a, false),
};
/**
 * One run of the copier over the whole job. `stopOnSpecial`: a device or socket stops it
 * (the in-process copy then leaves the job to rsync) rather than being skipped with a note.
 */
async function copierAttempt(job, a, stopOnSpecial) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(a.remainingMs, 1));
    try {
        const out = await copyTree(job.workDir, job.destination, {
            filter: job.selection.filter,
            onChange: job.onChange,
            sha256: job.sha256,
            overwrite: job.overwrite,
            dryRun: job.dryRun,
            signal: a.signal ? AbortSignal.any([controller.signal, a.signal]) : controller.signal,
            onProgress: a.onProgress,
            progressEveryMs: job.progressEveryMs,
            stopOnSpecial,
        });
        if (out.skippedSpecial > 0) {
            const shown = out.skippedNames.join("', '");
            job.onMessage?.(`Skipped ${out.skippedSpecial} device or socket file(s) ('${shown}'${out.skippedSpecial > out.skippedNames.length ? ', …' : ''}): the built-in copier does not recreate them.`);
        }
        if (out.problemCount > 0) {
            // rsync's exit 23: everything else was copied; the run fails naming what was not.
            throw new TransferError(rsyncFailure(job.workDir, job.destination, `${out.problems} (built-in copier)`), false);
        }
        return {
            files: out.files,
            bytes: out.bytes,
            ...(job.selection.filter.maxSize === undefined ? {} : { overMaxSize: out.overMaxSize }),
        };
    }
    catch (e) {
        a.signal?.throwIfAborted();
        const fail = (detail) => new TransferError(rsyncFailure(job.workDir, job.destination, detail), false);
        if (controller.signal.aborted) {
            throw fail(`Connection timed out after ${job.timeoutSec} seconds`);
        }
        // A QQError is already in qq's words; a stop at a device is for the in-process copy.
        if (e instanceof errors/* QQError */.V || e instanceof SpecialFileStop)
            throw e;
        // A file-system error (no space, permission denied, read-only): qq's form, not retried.
        throw fail(`${(0,util_errors/* errorMessage */.g)(e)} (built-in copier)`);
    }
    finally {
        clearTimeout(timer);
    }
}

;// CONCATENATED MODULE: ./src/util/sleep.ts
/** Resolve after `ms` milliseconds, or at once when `signal` aborts. */
function sleep(ms, signal) {
    return new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
            clearTimeout(t);
            resolve();
        }, { once: true });
    });
}

;// CONCATENATED MODULE: ./src/transfer/retry.ts
/**
 * Retries with exponential backoff, in the manner of actions/checkout's retry-helper.ts: run
 * the action; on an error worth another attempt, wait and run it again, within a deadline.
 */



/** Default first wait between attempts (ms). */
const FIRST_BACKOFF_MS = 2000;
/** Longest wait between two attempts (ms). */
const MAX_BACKOFF_MS = 30_000;
/** The wait before attempt `attempt + 1`: doubling from `firstMs`, at most MAX_BACKOFF_MS. */
function backoffMs(attempt, firstMs = FIRST_BACKOFF_MS) {
    return Math.min(firstMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
}
/**
 * Equal jitter: half of the wait fixed, half random, so that parallel jobs retrying against one
 * node do not all come back at the same moment.
 */
function equalJitter(ms, random = Math.random) {
    return ms * (0.5 + random() / 2);
}
/** Run `action(attempt)` until it succeeds or an error may not be retried; its value and attempts. */
async function withRetries(action, options) {
    for (let attempt = 1;; attempt++) {
        options.signal?.throwIfAborted();
        try {
            return { value: await action(attempt), attempts: attempt };
        }
        catch (e) {
            options.signal?.throwIfAborted();
            const backoff = backoffMs(attempt, options.firstBackoffMs);
            const wait = options.jitter ? options.jitter(backoff) : backoff;
            const last = attempt > options.retries || Date.now() + wait >= options.deadline;
            if (last || !options.retryable(e))
                throw e;
            options.onRetry?.(attempt, e, wait);
            await sleep(wait, options.signal);
        }
    }
}
/**
 * The one retry of the transfer: a whole job, or one part of a parallel one (`part`: its index
 * and the number of parts), retried on a transient TransferError, with equal jitter, each
 * retry told in one sentence.
 */
function retryTransfer(action, budget, part) {
    return withRetries(action, {
        retries: budget.retries,
        deadline: budget.deadline,
        firstBackoffMs: budget.backoffMs,
        jitter: equalJitter,
        signal: budget.signal,
        retryable: (e) => e instanceof TransferError && e.transient,
        onRetry: (n, e, wait) => {
            const failed = `attempt ${n} failed (${(0,util_errors/* errorMessage */.g)(e)})`;
            const after = `in ${(wait / 1000).toFixed(1)} s.`;
            budget.onMessage?.(part
                ? `Part ${part.index + 1} of ${part.of}: ${failed}; retrying it alone ${after}`
                : `Attempt ${n} failed (${(0,util_errors/* errorMessage */.g)(e)}); retrying ${after}`);
        },
    });
}

;// CONCATENATED MODULE: ./src/transfer/transport.ts

/** The job as one run of the tool, retried whole on a transient failure. */
async function runWhole(transport, job) {
    const out = await retryTransfer(() => transport.attempt(job, {
        remainingMs: job.deadline - Date.now(),
        signal: job.signal,
        onProgress: job.onProgress,
    }), job);
    return { ...out.value, attempts: out.attempts, parts: 0, method: transport.method };
}

;// CONCATENATED MODULE: ./src/transfer/in-process.ts
/**
 * The in-process copy: a local job copied by the built-in copier in this process, with no
 * rsync spawned (choose.ts decides when: a small tree, or a new destination). If the copier
 * meets anything but the plain case — a device or socket (rsync -D makes devices as root),
 * an entry it cannot read, a type change refused — it stops there and rsync runs the job
 * (what the copier wrote is up to date for rsync's quick check; its files are counted with
 * rsync's), so that the result is rsync's and a failure is told in rsync's words.
 */



/** The in-process copy, falling back to `rsync` (whose settle step it keeps). */
function inProcessTransport(rsync) {
    return {
        method: 'in-process copy',
        takesParts: false,
        attempt: (job, a) => copierAttempt(job, a, true),
        run: (job, prepare) => copyFirst(job, rsync, prepare),
        ...(rsync.settle ? { settle: rsync.settle } : {}),
    };
}
/** One pass of the copier; on anything out of the plain case, `rsync` runs the whole job. */
async function copyFirst(job, rsync, prepare) {
    const written = { files: 0, bytes: 0 };
    // A dry run's entries are told once the copier has gone through: after a fallback, rsync's
    // dry run names them all again.
    const held = [];
    const onChange = (entry) => {
        if (job.dryRun) {
            held.push(entry);
            return;
        }
        if (entry.kind === 'file') {
            written.files++;
            written.bytes += entry.size;
        }
        job.onChange?.(entry);
    };
    try {
        const out = await copierAttempt({ ...job, onChange }, { remainingMs: job.deadline - Date.now(), signal: job.signal, onProgress: job.onProgress }, true);
        for (const entry of held)
            job.onChange?.(entry);
        return { ...out, attempts: 1, parts: 0, method: 'in-process copy' };
    }
    catch (e) {
        job.signal?.throwIfAborted();
        if (Date.now() >= job.deadline)
            throw e;
        job.ssh.debug?.(`The in-process copy stopped (${(0,util_errors/* errorMessage */.g)(e)}); rsync runs the job.`);
        await prepare();
        const out = await runWhole(rsync, job);
        return { ...out, files: out.files + written.files, bytes: out.bytes + written.bytes };
    }
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/util/cores.ts
/**
 * The cores this process may use: on a shared login node that is not the machine's count but
 * what its CPU affinity (taskset, a batch system's cpuset) and its cgroup's CPU quota
 * (systemd's CPUQuota=, a container's --cpus) leave it. `streams: auto` starts no more rsyncs
 * than this. The arithmetic is pure over the files' contents (tested with samples); the reader
 * below only reads them.
 */



/** Cores a quota of `quota` µs per `period` µs allows: at least 1; undefined: no limit. */
function quotaCores(quota, period) {
    if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) {
        return undefined; // -1 (v1) or anything unreadable: no limit
    }
    return Math.max(1, Math.ceil(quota / period));
}
/** cgroup v2's `cpu.max` ("max 100000" or "150000 100000"). */
function cpuMaxCores(text) {
    const [quota, period] = (text ?? '').trim().split(/\s+/);
    if (quota === undefined || quota === 'max' || period === undefined)
        return undefined;
    return quotaCores(Number(quota), Number(period));
}
/** The directories from `leaf` up to `root`, both included (leaf outside root: root alone). */
function upTo(root, leaf) {
    const dirs = [];
    let dir = external_node_path_.join(root, leaf).replace(/\/+$/, '');
    while (dir.startsWith(`${root}/`)) {
        dirs.push(dir);
        dir = external_node_path_.dirname(dir);
    }
    dirs.push(root);
    return dirs;
}
function smallest(values) {
    const known = values.filter((v) => v !== undefined);
    return known.length > 0 ? Math.min(...known) : undefined;
}
/**
 * The smallest CPU quota on the way from this process's cgroup to the root (a parent's limit
 * holds for its children), in cores; undefined: none. `procSelfCgroup` is /proc/self/cgroup's
 * text: `0::<path>` for cgroup v2, `<n>:<controllers>:<path>` for v1 (the `cpu` controller's
 * line counts). Both are read where both are mounted (a hybrid host).
 */
function cgroupCores(procSelfCgroup, read, mount = '/sys/fs/cgroup') {
    const found = [];
    for (const line of procSelfCgroup.split('\n')) {
        const m = /^(\d+):([^:]*):(\/.*)$/.exec(line.trim());
        if (!m)
            continue;
        const [, id, controllers, cgroupPath] = m;
        if (id === '0' && controllers === '') {
            // v2: mounted at /sys/fs/cgroup, or at /sys/fs/cgroup/unified on a hybrid host.
            for (const root of [mount, external_node_path_.join(mount, 'unified')]) {
                for (const dir of upTo(root, cgroupPath)) {
                    found.push(cpuMaxCores(read(external_node_path_.join(dir, 'cpu.max'))));
                }
            }
        }
        else if (controllers.split(',').includes('cpu')) {
            // v1: the cpu controller's own hierarchy, mounted under one of its usual names.
            for (const name of ['cpu', 'cpu,cpuacct', 'cpuacct,cpu']) {
                for (const dir of upTo(external_node_path_.join(mount, name), cgroupPath)) {
                    const quota = read(external_node_path_.join(dir, 'cpu.cfs_quota_us'));
                    const period = read(external_node_path_.join(dir, 'cpu.cfs_period_us'));
                    if (quota === undefined || period === undefined)
                        continue;
                    found.push(quotaCores(Number(quota.trim()), Number(period.trim())));
                }
            }
        }
    }
    return smallest(found);
}
/** The cores this process may use: its affinity's count, within its cgroup's quota. */
function usableCoresOf(affinity, procSelfCgroup, read) {
    const quota = cgroupCores(procSelfCgroup, read);
    return Math.max(1, Math.min(affinity, quota ?? affinity));
}
function readText(file) {
    try {
        return (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch {
        return undefined;
    }
}
let cached;
/**
 * This process's usable cores (read once: a few small files). availableParallelism() is
 * sched_getaffinity's count on Linux (Node ≥ 18.14); elsewhere, no /proc: affinity alone.
 */
function usableCores() {
    cached ??= usableCoresOf((0,external_node_os_.availableParallelism)(), readText('/proc/self/cgroup') ?? '', readText);
    return cached;
}

;// CONCATENATED MODULE: ./src/transfer/select/wildcard.ts
/**
 * The one rsync wildcard matcher: a port of rsync's lib/wildmatch.c (`dowild` and
 * `wildmatch_array`), so that the copier, the "matched nothing" check and the planner select
 * exactly what rsync's filter rules select. Differential-tested against rsync
 * (test/transfer/wildcard-rsync.test.ts).
 *
 * rsync's rules, on bytes (strings here are byte strings, one char per byte):
 * - `*` matches within one path element (not '/'); `**` (and `***`) also across '/';
 *   a trailing `*` matches only if no '/' is left, a trailing `**` matches everything.
 * - `?` is any one byte but '/'.
 * - `[…]` a class: `!` or `^` first negates, `a-z` ranges, `\x` a literal x, `]` first is a
 *   member, `[:alpha:]` and the other POSIX classes (C locale: ASCII only). A class never
 *   matches '/'. A `[` without its `]` makes the whole pattern match nothing (rsync aborts).
 * - `\x` matches x literally; a pattern ending in `\` matches nothing.
 * Pure: no I/O.
 */
const FALSE = 0;
const TRUE = 1;
/** The pattern cannot match at all (a malformed class, or text ran out before a literal). */
const ABORT_ALL = -1;
/** A `*` met a '/': only an outer `**` may still match by skipping further. */
const ABORT_TO_STARSTAR = -2;
const CLASSES = {
    alnum: (c) => isAlpha(c) || isDigit(c),
    alpha: (c) => isAlpha(c),
    blank: (c) => c === 0x20 || c === 0x09,
    cntrl: (c) => c < 0x20 || c === 0x7f,
    digit: (c) => isDigit(c),
    graph: (c) => c > 0x20 && c < 0x7f,
    lower: (c) => c >= 0x61 && c <= 0x7a,
    print: (c) => c >= 0x20 && c < 0x7f,
    punct: (c) => c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c),
    space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
    upper: (c) => c >= 0x41 && c <= 0x5a,
    xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};
function isAlpha(c) {
    return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function isDigit(c) {
    return c >= 0x30 && c <= 0x39;
}
const wildcard_SLASH = 0x2f;
/** `[…]` at `p[start]` against the byte `t`: [result, index of the closing `]`]. */
function matchClass(p, start, t) {
    let i = start + 1;
    let pc = p.charCodeAt(i);
    if (pc === 0x5e)
        pc = 0x21; // '^' negates as '!' does
    const negated = pc === 0x21;
    if (negated)
        pc = p.charCodeAt(++i);
    let prev = 0;
    let matched = false;
    do {
        if (Number.isNaN(pc))
            return [ABORT_ALL, i];
        if (pc === 0x5c) {
            pc = p.charCodeAt(++i);
            if (Number.isNaN(pc))
                return [ABORT_ALL, i];
            if (t === pc)
                matched = true;
        }
        else if (pc === 0x2d && prev && i + 1 < p.length && p[i + 1] !== ']') {
            pc = p.charCodeAt(++i);
            if (pc === 0x5c) {
                pc = p.charCodeAt(++i);
                if (Number.isNaN(pc))
                    return [ABORT_ALL, i];
            }
            if (t <= pc && t >= prev)
                matched = true;
            pc = 0; // a range's end does not start another range
        }
        else if (pc === 0x5b && p[i + 1] === ':') {
            const s = i + 2;
            let e = s;
            while (e < p.length && p[e] !== ']')
                e++;
            if (e >= p.length)
                return [ABORT_ALL, e];
            if (e - s - 1 < 0 || p[e - 1] !== ':') {
                // No ":]": the '[' is an ordinary member.
                if (t === 0x5b)
                    matched = true;
            }
            else {
                const test = CLASSES[p.slice(s, e - 1)];
                if (!test)
                    return [ABORT_ALL, e];
                if (test(t))
                    matched = true;
                i = e;
                pc = 0;
            }
        }
        else if (t === pc)
            matched = true;
        prev = pc;
        pc = p.charCodeAt(++i);
    } while (pc !== 0x5d);
    return [matched === negated || t === wildcard_SLASH ? FALSE : TRUE, i];
}
function dowild(p, pi, text, ti) {
    for (; pi < p.length; pi++, ti++) {
        const pc = p.charCodeAt(pi);
        if (ti >= text.length && pc !== 0x2a)
            return ABORT_ALL;
        const t = text.charCodeAt(ti);
        switch (pc) {
            case 0x5c: {
                // A literal next byte; a trailing '\' compares with nothing and fails.
                pi++;
                if (pi >= p.length || t !== p.charCodeAt(pi))
                    return FALSE;
                continue;
            }
            case 0x3f:
                if (t === wildcard_SLASH)
                    return FALSE;
                continue;
            case 0x2a: {
                let special = false;
                if (p.charCodeAt(pi + 1) === 0x2a) {
                    while (p.charCodeAt(pi + 1) === 0x2a)
                        pi++;
                    special = true;
                }
                pi++;
                if (pi >= p.length) {
                    // Trailing "**" matches everything, a trailing "*" only if no '/' is left.
                    return special || text.indexOf('/', ti) < 0 ? TRUE : FALSE;
                }
                for (; ti <= text.length; ti++) {
                    if (ti === text.length)
                        break;
                    const m = dowild(p, pi, text, ti);
                    if (m !== FALSE) {
                        if (!special || m !== ABORT_TO_STARSTAR)
                            return m;
                    }
                    else if (!special && text.charCodeAt(ti) === wildcard_SLASH)
                        return ABORT_TO_STARSTAR;
                }
                return ABORT_ALL;
            }
            case 0x5b: {
                const [m, end] = matchClass(p, pi, t);
                if (m !== TRUE)
                    return m;
                pi = end;
                continue;
            }
            default:
                if (t !== pc)
                    return FALSE;
        }
    }
    return ti >= text.length ? TRUE : FALSE;
}
/** Whether `pattern` matches all of `text` (rsync's `wildmatch`). */
function wildmatch(pattern, text) {
    return dowild(pattern, 0, text, 0) === TRUE;
}
/**
 * rsync's `wildmatch_array` on one string. `where` 0: from the start only; N > 0: the last N
 * '/'-separated elements only (no match if there are fewer); -1: from the start or after any
 * '/' that is not the last byte.
 */
function wildmatchAt(pattern, text, where) {
    let start = 0;
    if (where > 0) {
        let count = where;
        start = -1;
        for (let i = text.length - 1; i >= 0; i--) {
            if (text.charCodeAt(i) === wildcard_SLASH && --count === 0) {
                start = i + 1;
                break;
            }
        }
        if (start < 0) {
            if (count !== 1)
                return false;
            start = 0;
        }
    }
    for (;;) {
        const m = dowild(pattern, 0, text, start);
        if (m === TRUE)
            return true;
        if (where >= 0 || m === ABORT_ALL)
            return false;
        const slash = text.indexOf('/', start);
        if (slash < 0 || slash === text.length - 1)
            return false;
        start = slash + 1;
    }
}
/** Whether rsync treats `pattern` as a wildcard pattern (else it compares it literally). */
function hasWildcard(pattern) {
    return /[*?[]/.test(pattern);
}

;// CONCATENATED MODULE: ./src/transfer/select/filter-rules.ts
/**
 * rsync's include/exclude rules as one list that serves both sides: `ruleArgs` gives the
 * `--include`/`--exclude` arguments rsync gets, `firstMatch` decides one entry as rsync's
 * exclude.c (`add_rule`, `rule_matches`) does for that very list. So rsync and whatever walks
 * the tree itself (the copier, the planner) agree by construction. Pure: no I/O.
 */

/** rsync's `add_rule`: the flags it derives from a pattern. */
function compileRule(rule) {
    let pattern = rule.pattern;
    let dirOnly = false;
    // First the trailing '/', then the look for `***` at the end: `sub/***/` is the directory
    // `sub` and all below it, directories only (add_rule's order).
    if (pattern.length > 1 && pattern.endsWith('/')) {
        pattern = pattern.slice(0, -1);
        dirOnly = true;
    }
    const wild = hasWildcard(pattern);
    const star2 = wild ? pattern.indexOf('**') : -1;
    const wild3Suffix = star2 >= 0 && pattern.length >= 3 && pattern.endsWith('***');
    return {
        include: rule.include,
        pattern,
        dirOnly,
        wild,
        wild2: star2 >= 0,
        wild2Prefix: star2 === 0,
        wild3Suffix,
        slashes: pattern.split('/').length - 1,
    };
}
/** rsync's `rule_matches` for a path relative to the transfer root (no leading '/'). */
function ruleMatches(r, rel, isDir) {
    if (!rel)
        return false;
    let name = rel;
    let prefix = '';
    if (!r.slashes && !r.wild2) {
        // No '/' and no `**`: only the last element is matched.
        name = rel.slice(rel.lastIndexOf('/') + 1);
    }
    else if (r.wild2Prefix) {
        prefix = '/';
    }
    let suffix = '';
    if (isDir) {
        if (r.wild3Suffix)
            suffix = '/';
    }
    else if (r.dirOnly)
        return false;
    const anchored = r.pattern.startsWith('/');
    const pattern = anchored ? r.pattern.slice(1) : r.pattern;
    const where = !anchored && r.slashes && !r.wild2
        ? r.slashes + 1 // the last slashes+1 elements
        : !anchored && !r.wild2Prefix && r.wild2
            ? -1 // after any '/'
            : 0;
    if (r.wild)
        return wildmatchAt(pattern, prefix + name + suffix, where);
    if (anchored)
        return name === pattern;
    return (name.endsWith(pattern) &&
        (name.length === pattern.length || name[name.length - pattern.length - 1] === '/'));
}
/** The first rule that matches decides; no rule matching means included (rsync's default). */
function firstMatch(rules, rel, isDir) {
    for (const r of rules)
        if (ruleMatches(r, rel, isDir))
            return r.include;
    return true;
}
/** The rules as rsync's arguments, in order (rsync keeps the order it is given). */
function ruleArgs(rules) {
    return rules.flatMap((r) => [r.include ? '--include' : '--exclude', r.pattern]);
}

;// CONCATENATED MODULE: ./src/transfer/select/index.ts
/**
 * The `select/` room: what a transfer fetches — the `files` input (files.ts), rsync's filter
 * rules (filter-rules.ts) and its wildcards (wildcard.ts), all as one Selection (this file);
 * the PathFilter contract it builds lives beside the copier that also reads it (../path-filter.ts).
 *
 * What a transfer selects, as one value: `files` (qq's -f, split and kept inside the working
 * directory by files.ts), `exclude` (rsync patterns) and `max-size`. From it come rsync's
 * arguments and the `PathFilter` the copier and the planner apply — both from the same rule
 * list, so they agree by construction. Pure: no I/O.
 */



/**
 * The rules that select `files` (relative, validated). When every entry is top-level: qq's
 * form (`--include X --include X/*** … --exclude *`), so that qq's argv is kept where qq's
 * behaviour is wanted. When an entry is nested (which qq silently skips): every pattern
 * anchored at the root, with the parent directories included (`--include /sub/ --include
 * /sub/a.txt --include /sub/a.txt/*** …`); anchoring matters there, since an unanchored
 * `a.txt` would also pick `sub/a.txt` once `sub/` is traversed. `.` means everything: no rule.
 */
function includeRules(relative) {
    if (relative.includes('.'))
        return [];
    const nested = relative.some((rel) => rel.includes('/'));
    const rules = [];
    const include = (pattern) => rules.push({ include: true, pattern });
    const parents = new Set();
    for (const rel of relative) {
        if (!nested) {
            include(rel);
            include(`${rel}/***`);
            continue;
        }
        const parts = rel.split('/');
        for (let i = 1; i < parts.length; i++) {
            const parent = `/${parts.slice(0, i).join('/')}/`;
            if (!parents.has(parent)) {
                parents.add(parent);
                include(parent);
            }
        }
        include(`/${rel}`);
        include(`/${rel}/***`);
    }
    rules.push({ include: false, pattern: '*' });
    return rules;
}
/** rsync's filter arguments for `files` alone (qq's argv for top-level entries). */
function includeFilters(relative) {
    return ruleArgs(includeRules(relative));
}
/**
 * The `exclude` lines, refused (naming the input) where rsync would read one as something
 * else than a pattern: an option (`-…`), a rule with its own prefix (`+ x` includes, `- x`),
 * the list-clearing `!`; or where it holds a control character.
 */
function checkExclude(patterns, input = 'exclude') {
    for (const p of patterns) {
        if ([...p].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
            throw new errors/* InputError */.d(`Input '${input}' has a pattern with a control character.`);
        }
        if (p.startsWith('-')) {
            throw new errors/* InputError */.d(`Input '${input}' has '${p}', which looks like an option; write '[-]${p.slice(1)}' for a name that starts with '-'.`);
        }
        if (p.startsWith('+ ') || p === '!') {
            throw new errors/* InputError */.d(`Input '${input}' has '${p}', which rsync would read as a filter rule, not a pattern.`);
        }
    }
    return [...patterns];
}
const UNIT_POWER = { b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };
/**
 * A size as rsync's `--max-size` reads it (options.c, parse_size_arg): a number with an
 * optional fraction, then `K`/`M`/`G`/`T`/`P` (or `KiB`…) for powers of 1024, `KB`/`MB`… for
 * powers of 1000, `B` or nothing for bytes, any case; `+1`/`-1` at the end adds or takes one
 * byte. Returns whole bytes; undefined for anything else.
 */
function parseSize(text) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)(?:([bkmgtp])(b|ib)?)?([+-]1)?$/i.exec(text);
    if (!m)
        return undefined;
    const power = UNIT_POWER[(m[2] ?? 'b').toLowerCase()];
    const mult = m[3]?.toLowerCase() === 'b' ? 1000 : 1024;
    const bytes = Math.trunc(mult ** power * Number(m[1])) + (m[4] ? Number(m[4]) : 0);
    return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : undefined;
}
/** The `max-size` input: undefined (no limit) when empty. */
function checkMaxSize(text, input = 'max-size') {
    const raw = text.trim();
    if (!raw)
        return undefined;
    const bytes = parseSize(raw);
    if (bytes === undefined) {
        throw new errors/* InputError */.d(`Input '${input}' must be a size as rsync's --max-size takes it ('500M', '2G', '1.5G', '100KB', '4096'); got '${raw}'.`);
    }
    return bytes;
}
/**
 * Whether `exclude` alone leaves out `rel` (a byte string) — itself, or a directory above it:
 * a `files` entry that `exclude` wins over did not "match nothing".
 */
function excludedByPatterns(exclude, rel) {
    if (exclude.length === 0)
        return false;
    const { filter } = selectionOf({ exclude });
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
        if (filter.excludes(parts.slice(0, i).join('/'), true))
            return true;
    }
    return filter.excludes(rel, false) || filter.excludes(rel, true);
}
function selectionOf(input) {
    const rules = [
        ...(input.exclude ?? []).map((pattern) => ({ include: false, pattern })),
        ...(input.files ? includeRules(input.files) : []),
    ];
    // The filter sees names as byte strings; a pattern is text, which rsync gets as UTF-8 bytes.
    const compiled = rules.map((r) => compileRule({ ...r, pattern: Buffer.from(r.pattern).toString('latin1') }));
    const maxSize = input.maxSize;
    const prune = (input.files ?? []).some((rel) => hasWildcard(rel.split('/').slice(0, -1).join('/')));
    return {
        rules,
        rsyncArgs: [
            ...(prune ? ['--prune-empty-dirs'] : []),
            ...ruleArgs(rules),
            ...(maxSize === undefined ? [] : [`--max-size=${maxSize}`]),
        ],
        filter: {
            excludes: (rel, isDir) => !firstMatch(compiled, rel, isDir),
            ...(maxSize === undefined ? {} : { maxSize }),
            ...(prune ? { pruneEmptyDirs: true } : {}),
        },
    };
}

// EXTERNAL MODULE: ./node_modules/shell-quote/parse.js
var shell_quote_parse = __webpack_require__(2696);
var parse_default = /*#__PURE__*/__webpack_require__.n(shell_quote_parse);
;// CONCATENATED MODULE: ./src/transfer/ssh/options.ts
/**
 * The `ssh-options` input: each line split into words as a shell would (quotes, backslash
 * escapes) without running one, then read as ssh(1) reads its options, so that
 * `-p 2222 -i ~/.ssh/key`, `-oProxyJump=gw`, `-p2222` and `-o "ProxyCommand=ssh -W %h:%p gw"`
 * all work. Anything that is not an ssh option (a host, a command, a shell operator, a
 * variable) is refused with a message that names the input: no shell ever sees these words.
 */



/** ssh's options without a value (ssh(1) synopsis). */
const FLAGS = new Set('46AaCfGgKkMNnqsTtVvXxYy');
/** ssh's options that take a value. */
const WITH_VALUE = new Set('BbcDEeFIiJLlmOopQRSWw');
/** Options that change what ssh does (no remote command, a control command, a query): never ours to pass. */
const REFUSED = new Set('fGMNOQsVW');
const EXAMPLES = "like '-p 2222', '-i ~/.ssh/key' or '-o ProxyJump=gw'";
function refuse(line, why) {
    throw new errors/* InputError */.d(`Input 'ssh-options', line '${line}': ${why}; write ssh options ${EXAMPLES}.`);
}
/** Options whose value may hold spaces (a command, a path): words after it were meant to be in it. */
const SPACED_VALUE = new Set('oiFES');
/**
 * Words that are not options right after the value of an option that may hold spaces
 * (`-o ProxyCommand=nc x 22`): the value was not quoted. Name all of them and show the fix.
 */
function refuseUnquoted(line, ws, i, previous) {
    let end = i;
    while (end < ws.length && !/^-[^-]/.test(ws[end]))
        end++;
    const extra = ws.slice(i, end).join(' ');
    throw new errors/* InputError */.d(`Input 'ssh-options', line '${line}': '${extra}' after '${previous}' is not an ssh option; a value with spaces is one word, quoted: ${previous.slice(0, 2)} "${previous.slice(3)} ${extra}".`);
}
/** Where a shell would stop with "unexpected EOF": an unclosed quote, a trailing backslash. */
function unterminated(line) {
    let quote;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote === "'") {
            if (c === "'")
                quote = undefined;
        }
        else if (c === '\\') {
            if (i === line.length - 1)
                return 'a trailing backslash';
            i++;
        }
        else if (quote === '"') {
            if (c === '"')
                quote = undefined;
        }
        else if (c === '"' || c === "'") {
            quote = c;
        }
    }
    if (quote === "'")
        return 'an unterminated single quote';
    if (quote === '"')
        return 'an unterminated double quote';
    return undefined;
}
/** One line as shell words; operators, variables and command substitution are refused. */
function words(line) {
    const broken = unterminated(line);
    if (broken)
        refuse(line, `it has ${broken}`);
    const out = [];
    // A variable comes back as this marker object: there is no shell to expand it.
    const entries = parse_default()(line, (name) => ({ variable: name }));
    for (const e of entries) {
        if (typeof e === 'string')
            out.push(e);
        else if ('comment' in e)
            break;
        else if ('variable' in e) {
            refuse(line, `'$${String(e.variable)}' is not expanded (no shell runs)`);
        }
        else if (e.op === 'glob')
            out.push(e.pattern);
        else
            refuse(line, `'${e.op}' is a shell operator and no shell runs`);
    }
    return out;
}
function expandHome(value, home) {
    return value.replace(/^~(?=\/|$)/, home).replace(/^([A-Za-z]+[=\s]+)~(?=\/|$)/, `$1${home}`);
}
/**
 * The `ssh-options` lines as ssh argv words, each option separately (`-p`, `2222`, `-o`,
 * `ProxyJump=gw`), `~` expanded to `home`. Throws an InputError naming the input.
 */
function parseSshOptions(lines, home = (0,external_node_os_.homedir)()) {
    const argv = [];
    for (const raw of lines) {
        const line = raw.trim();
        if (!line)
            continue;
        const ws = words(line);
        /** The option just read with its value (`-o ProxyCommand=nc`), if it may hold spaces. */
        let spaced;
        for (let i = 0; i < ws.length; i++) {
            const word = ws[i];
            if (!/^-[^-]/.test(word)) {
                if (spaced)
                    refuseUnquoted(line, ws, i, spaced);
                refuse(line, `'${word}' is not an ssh option`);
            }
            spaced = undefined;
            // ssh's getopt: flags may be grouped (`-vC`); an option with a value takes the rest of
            // the word (`-p2222`, `-oProxyJump=gw`) or the next word.
            for (let j = 1; j < word.length; j++) {
                const letter = word[j];
                if (REFUSED.has(letter)) {
                    refuse(line, `'-${letter}' changes what ssh does, not how it connects, and is not allowed`);
                }
                if (FLAGS.has(letter)) {
                    argv.push(`-${letter}`);
                    continue;
                }
                if (!WITH_VALUE.has(letter))
                    refuse(line, `'-${letter}' is not an ssh option`);
                let value = word.slice(j + 1);
                if (!value) {
                    const next = ws[i + 1];
                    if (next === undefined || next.startsWith('-'))
                        refuse(line, `'-${letter}' needs a value`);
                    value = next;
                    i++;
                }
                if (!value.trim())
                    refuse(line, `'-${letter}' has an empty value`);
                if (letter === 'o' && !/^[A-Za-z]+\s*=?/.test(value)) {
                    refuse(line, `'-o ${value}' is not an ssh_config option (Keyword=value)`);
                }
                argv.push(`-${letter}`, expandHome(value, home));
                if (SPACED_VALUE.has(letter))
                    spaced = `-${letter} ${value}`;
                break;
            }
        }
    }
    return argv;
}

;// CONCATENATED MODULE: ./src/transfer/ssh/index.ts
/**
 * The `ssh/` room: ssh to the main node — its argv and rsync's `-e` (this file), the run's shared
 * connection, and the user's `ssh-options` parsed and checked (options.ts).
 *
 * ssh as rsync and `follow` use it: qq's options, never a prompt, a connect timeout, the
 * host-key policy, and the user's `ssh-options` — as argv, and as rsync's `-e` string.
 */




const CONNECT_TIMEOUT_SEC = 30;
/** The ssh argv before the host: qq's options, ours, then the user's (theirs win: ssh takes the first). */
function sshArgs(settings) {
    return [
        ...parseSshOptions(settings.sshOptions),
        '-o',
        'GSSAPIAuthentication=yes',
        '-o',
        'PasswordAuthentication=no',
        '-o',
        `StrictHostKeyChecking=${settings.strictHostKeyChecking}`,
        '-o',
        'BatchMode=yes',
        '-o',
        `ConnectTimeout=${settings.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC}`,
        ...(settings.controlDir
            ? [
                '-o',
                'ControlMaster=auto',
                '-o',
                `ControlPath=${settings.controlDir}/%C`,
                '-o',
                'ControlPersist=60',
            ]
            : []),
    ];
}
/** One word for rsync's `-e` splitter, which honours single quotes. */
function rshWord(word) {
    if (/^[A-Za-z0-9_./=:@,+%~-]+$/.test(word))
        return word;
    if (word.includes("'")) {
        throw new errors/* InputError */.d(`Input 'ssh-options': a value with a single quote cannot be passed to rsync: ${word}`);
    }
    return `'${word}'`;
}
/** rsync's `-e` value. */
function rsyncRsh(settings) {
    return ['ssh', ...sshArgs(settings)].map(rshWord).join(' ');
}
/** What ssh will try, for error messages: user, port, identity files, known-hosts file. */
function describeSsh(host, settings) {
    const words = parseSshOptions(settings.sshOptions);
    let user = settings.env?.USER ?? process.env.USER ?? 'the current user';
    let port = '22';
    const keys = [];
    let knownHosts = '~/.ssh/known_hosts';
    for (let i = 0; i < words.length; i++) {
        const w = words[i];
        const v = words[i + 1] ?? '';
        if (w === '-l')
            user = v;
        else if (w === '-p')
            port = v;
        else if (w === '-i')
            keys.push(v);
        else if (w === '-o') {
            // `Keyword=value` or `Keyword value`; ssh_config writes a value with spaces in double quotes.
            const m = /^([A-Za-z]+)\s*=?\s*(.*)$/s.exec(v);
            const val = (m?.[2] ?? '').replace(/^"(.*)"$/, '$1');
            const key = (m?.[1] ?? '').toLowerCase();
            if (key === 'user')
                user = val;
            else if (key === 'port')
                port = val;
            else if (key === 'identityfile')
                keys.push(val);
            else if (key === 'userknownhostsfile')
                knownHosts = val;
        }
    }
    return `ssh to ${user}@${host} port ${port}, ${keys.length ? `key ${keys.join(', ')}` : 'default keys'}, known hosts ${knownHosts}`;
}
/** The known-hosts file ssh uses with these settings. */
function knownHostsFile(settings) {
    const m = /known hosts (.*)$/.exec(describeSsh('x', settings));
    return m?.[1] ?? '~/.ssh/known_hosts';
}
/**
 * ssh's notices that are not errors, dropped from what is quoted as a reason: with
 * `accept-new` (or qq's `no`) the first connection to a node prints
 * `Warning: Permanently added '<host>' (ED25519) to the list of known hosts.` on stderr, which
 * would otherwise stand in front of (or as) the real cause of a failure.
 */
const SSH_NOTICE = /^Warning: Permanently added .* to the list of known hosts\.?\s*$/;
function withoutSshNotices(stderr) {
    return stderr
        .split(/\r?\n/)
        .filter((l) => !SSH_NOTICE.test(l.trim()))
        .join('\n');
}
/**
 * Open the run's shared connection to `host` (`controlDir` must be set): a background master
 * (`ssh -f -N`, ControlMaster=yes) that every later ssh of the run to the host rides on. Done
 * once per host before its first transfer, so that parallel transfers do not each make a
 * handshake of their own while the first is still connecting. True if it is open; when it is
 * not, each transfer connects by itself and reports what goes wrong in its own words.
 */
async function openSharedConnection(host, settings, timeoutMs) {
    if (!settings.controlDir)
        return { open: false, detail: 'no control directory' };
    const r = await (0,exec_run/* runCommand */.d1)(['ssh', ...sshArgs(settings), '-o', 'ControlMaster=yes', '-f', '-N', '--', host], { timeoutMs, env: settings.env });
    if (r.code === 0)
        return { open: true, detail: `in ${r.durationMs} ms` };
    const why = r.timedOut
        ? `no answer within ${Math.round(timeoutMs / 1000)} s`
        : r.spawnError
            ? r.spawnError.message
            : withoutSshNotices(r.stderr).trim().split('\n').pop() || `exit ${r.code}`;
    return { open: false, detail: why };
}
/**
 * Close the shared connections opened under `controlDir` (one `ssh -O exit` per host); also
 * in a cancelled run (a master is in a session of its own: nothing else ends it).
 */
async function closeSharedConnections(hosts, settings) {
    if (!settings.controlDir)
        return;
    await Promise.all([...new Set(hosts)].map((host) => (0,exec_run/* runCommand */.d1)(['ssh', ...sshArgs(settings), '-O', 'exit', '--', host], {
        timeoutMs: 10_000,
        env: settings.env,
        cleanup: true,
    })));
}

;// CONCATENATED MODULE: ./src/transfer/rsync/capabilities.ts
/**
 * What the local rsync can do, asked once (`rsync --version`): `-s` since 3.0.0,
 * `--info=progress2` since 3.1.0.
 */

/** A current rsync (what the argv tests assume). */
const MODERN_RSYNC = {
    version: '3.2.7',
    protectArgs: true,
    progress2: true,
};
/** The capabilities from the first line of `rsync --version`, or undefined if unreadable. */
function parseRsyncVersion(text) {
    const m = /^rsync\s+version\s+v?(\d+)\.(\d+)\.(\d+)/m.exec(text);
    if (!m)
        return undefined;
    const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const atLeast = (a, b) => major > a || (major === a && minor >= b);
    return {
        version: `${major}.${minor}.${patch}`,
        protectArgs: atLeast(3, 0),
        progress2: atLeast(3, 1),
    };
}
const detected = new Map();
/**
 * The local rsync's capabilities, asked once per PATH; undefined when rsync is not installed.
 * An rsync whose version cannot be read is taken as current.
 */
function detectRsync(env = process.env) {
    const key = env.PATH ?? '';
    let found = detected.get(key);
    if (!found) {
        found = (0,exec_run/* runCommand */.d1)(['rsync', '--version'], { timeoutMs: 15_000, env }).then((r) => {
            if (r.spawnError) {
                (0,exec_run/* debugMessage */.Nz)('rsync: not installed here; local copies use the built-in copier');
                return undefined;
            }
            const caps = parseRsyncVersion(r.stdout) ?? { ...MODERN_RSYNC, version: 'unknown' };
            (0,exec_run/* debugMessage */.Nz)(`rsync ${caps.version} found (${r.stdout.split('\n')[0]?.trim()}): -s ${caps.protectArgs ? 'yes' : 'no'}, --info=progress2 ${caps.progress2 ? 'yes' : 'no'}`);
            return caps;
        });
        detected.set(key, found);
    }
    return found;
}
const installed = new Map();
/**
 * Whether rsync is on `env`'s PATH, without running it; looked up once per PATH, as
 * detectRsync asks once (a step of 4,000 local jobs made 40,000 access() calls on a PATH of ten
 * directories when each job looked).
 */
function rsyncInstalled(env = process.env) {
    const key = env.PATH ?? '';
    let found = installed.get(key);
    if (!found) {
        found = (0,exec_run/* onPath */.L)('rsync', env);
        installed.set(key, found);
    }
    return found;
}

;// CONCATENATED MODULE: ./src/transfer/rsync/job.ts
/** The `<host>:<path>` or `<path>` form qq uses in its messages (no trailing slash). */
function endpoint(host, dir) {
    return host ? `${host}:${dir}` : dir;
}
/** The job's source as qq names it in its messages. */
function source(job) {
    return endpoint(job.host, job.workDir.replace(/\/+$/, ''));
}

;// CONCATENATED MODULE: ./src/transfer/rsync/records.ts

/** Starts every record; progress text never holds it, and a name comes only after it. */
const MARK = 'qq-sync> ';
const MARK_BYTES = Buffer.from(MARK, 'latin1');
/**
 * The itemized change (%i, 11 characters), the length (%l), the bytes sent (%b: only there so
 * that rsync logs a file after it is written, not before), the mtime (%M, in the TZ rsync
 * runs with: UTC, set by the caller) and the name (%n, '/' after a directory). rsync escapes
 * control and non-ASCII bytes in names as `\#ooo` (and a `\#` followed by 3 digits itself),
 * so a record is one line and the name can be decoded exactly.
 */
const OUT_FORMAT = `--out-format=${MARK}%i %l %b %M %n`;
const OVER_MAX_SIZE = ' is over max-size';
const SPACE = 0x20;
const DIGIT0 = 0x30;
const LF = 0x0a;
const CR = 0x0d;
/** Where each field of the record starts, after MARK: `%i` is 11 characters. */
const ITEM_LENGTH = 11;
/** `YYYY/MM/DD-HH:MM:SS` and the space after it. */
const TIME_LENGTH = 20;
/** The index after the run of decimal digits at `from` in `b`, not past `end`. */
function digitsEnd(b, from, end) {
    let i = from;
    while (i < end && b[i] >= DIGIT0 && b[i] <= DIGIT0 + 9)
        i++;
    return i;
}
/** `len` decimal digits at `at` in `b` as a number, or NaN where one is not a digit. */
function digits(b, at, len) {
    let v = 0;
    for (let i = at; i < at + len; i++) {
        const d = b[i] - DIGIT0;
        if (!(d >= 0 && d <= 9))
            return Number.NaN;
        v = v * 10 + d;
    }
    return v;
}
/** rsync's `\#ooo` escapes back to bytes (a byte string: one char per byte). */
function decodeName(text) {
    return text.replace(/\\#([0-7]{3})/g, (_m, oct) => String.fromCharCode(Number.parseInt(oct, 8) & 0xff));
}
/**
 * Reads records line by line (`line`) or from rsync's whole stdout (readRecords). Entries
 * written (itemized `>` received or `c` created, a file or a symlink) go to `onChange`;
 * directories and devices do not (nothing is in them to fetch).
 */
class RecordReader {
    onChange;
    overMaxSizeLines;
    tally = { overMaxSize: 0, overMaxSizeNames: [], listedBytes: 0 };
    /** The day of the last record's mtime (`YYYYMMDD`) and its start, in ms since the epoch. */
    day = -1;
    dayMs = 0;
    /**
     * `overMaxSizeLines`: rsync also writes a line per file over `--max-size` (`--info=skip1`),
     * which is not a record: every line is looked at, not only the records.
     */
    constructor(onChange, overMaxSizeLines = true) {
        this.onChange = onChange;
        this.overMaxSizeLines = overMaxSizeLines;
    }
    line(raw) {
        // A record may follow a progress update on the same line ('\r' between them).
        if (raw.indexOf('\r') < 0)
            this.piece(raw);
        else
            for (const piece of raw.split('\r'))
                this.piece(piece);
    }
    piece(text) {
        const at = text.indexOf(MARK);
        if (at < 0) {
            if (text.endsWith(OVER_MAX_SIZE)) {
                this.tally.overMaxSize++;
                const names = this.tally.overMaxSizeNames;
                if (names.length < LEFT_OUT_NAMES)
                    names.push(decodeName(text.slice(0, -OVER_MAX_SIZE.length)));
            }
            return;
        }
        const b = Buffer.from(text, 'latin1');
        this.record(b, at + MARK.length, b.length);
    }
    /**
     * Every record in `b` before `end` (where a line ends): each is the rest of the line (up to
     * '\r' or '\n') after the first mark in it, as `line` reads them. Lines without a mark
     * (progress, `--stats`) are skipped unread.
     */
    scan(b, end) {
        for (let pos = 0; pos < end;) {
            const mark = b.indexOf(MARK_BYTES, pos);
            if (mark < 0 || mark >= end)
                return;
            const at = mark + MARK_BYTES.length;
            let stop = b.indexOf(LF, at);
            if (stop < 0 || stop > end)
                stop = end;
            const cr = b.indexOf(CR, at);
            if (cr >= 0 && cr < stop)
                stop = cr;
            this.record(b, at, stop);
            pos = stop;
        }
    }
    /**
     * The record from `at` (after MARK) to `end` in `b`: `%i %l %b %M %n`, read field by field;
     * anything else is not a record and is ignored.
     */
    record(b, at, end) {
        const type = b[at + 1];
        if (type !== 0x66 && type !== 0x4c)
            return; // 'f', 'L'
        const sizeAt = at + ITEM_LENGTH + 1;
        if (sizeAt > end || b[at + ITEM_LENGTH] !== SPACE)
            return;
        const sizeEnd = digitsEnd(b, sizeAt, end);
        if (sizeEnd === sizeAt || sizeEnd >= end || b[sizeEnd] !== SPACE)
            return;
        const sentEnd = digitsEnd(b, sizeEnd + 1, end);
        if (sentEnd === sizeEnd + 1 || sentEnd >= end || b[sentEnd] !== SPACE)
            return;
        const timeAt = sentEnd + 1;
        const nameAt = timeAt + TIME_LENGTH;
        if (nameAt > end || b[nameAt - 1] !== SPACE)
            return;
        const mtimeSec = this.utcSeconds(b, timeAt);
        if (Number.isNaN(mtimeSec))
            return;
        const size = sizeEnd - sizeAt < 16
            ? digits(b, sizeAt, sizeEnd - sizeAt)
            : Number(b.toString('latin1', sizeAt, sizeEnd));
        this.tally.listedBytes += size;
        const change = b[at];
        if (change !== 0x3e && change !== 0x63)
            return; // '>' received, 'c' created
        const name = b.toString('latin1', nameAt, end);
        this.onChange?.({
            rel: name.includes('\\#') ? decodeName(name) : name,
            kind: type === 0x66 ? 'file' : 'symlink',
            size,
            mtimeSec,
        });
    }
    /**
     * `YYYY/MM/DD-HH:MM:SS` at `at` in `b` as seconds since the epoch (the text is UTC), or NaN
     * where it is not that. By hand, not a regular expression, and the day's start asked of
     * Date.UTC once per day met (one record per file; most share a day).
     */
    utcSeconds(b, at) {
        const seps = b[at + 4] === 0x2f && b[at + 7] === 0x2f; // '/'
        const mid = b[at + 10] === 0x2d; // '-'
        const colons = b[at + 13] === 0x3a && b[at + 16] === 0x3a; // ':'
        if (!seps || !mid || !colons)
            return Number.NaN;
        const [y, mo, d] = [digits(b, at, 4), digits(b, at + 5, 2), digits(b, at + 8, 2)];
        const [h, mi, s] = [digits(b, at + 11, 2), digits(b, at + 14, 2), digits(b, at + 17, 2)];
        const day = y * 10000 + mo * 100 + d;
        if (Number.isNaN(day) || Number.isNaN(h + mi + s))
            return Number.NaN;
        if (day !== this.day) {
            this.day = day;
            this.dayMs = Date.UTC(y, mo - 1, d);
        }
        // As Date.UTC(y, mo - 1, d, h, mi, s) computes it: the day's start plus the time.
        return (this.dayMs + h * 3_600_000 + mi * 60_000 + s * 1000) / 1000;
    }
}
/**
 * rsync's stdout file read as it grows, each byte once: what is complete of it is given to the
 * reader at each `pull` (while rsync runs, so that reading overlaps the transfer), the rest
 * at `finish`. Records are cut at the end of a line; with over-max-size lines, lines are.
 */
class RecordFollower {
    file;
    reader;
    b = Buffer.allocUnsafe(256 * 1024);
    /** Bytes of a line not ended yet, at the start of `b`. */
    held = 0;
    /** Where the next read starts in the file. */
    pos = 0;
    reading = Promise.resolve();
    constructor(file, reader) {
        this.file = file;
        this.reader = reader;
    }
    /** Read what rsync wrote since the last pull (after it, if one is running). */
    pull() {
        this.reading = this.reading.then(() => this.readNew());
        return this.reading;
    }
    /** Once no read is running (the file may be closed then). */
    idle() {
        return this.reading.catch(() => { });
    }
    /** Read the rest: rsync has ended (a last line without its newline included). */
    async finish() {
        await this.pull();
        if (this.held > 0)
            this.feed(this.held, true);
        this.held = 0;
    }
    async readNew() {
        for (;;) {
            if (this.held === this.b.length) {
                this.b = Buffer.concat([this.b, Buffer.allocUnsafe(this.b.length)]); // a long line
            }
            const room = this.b.length - this.held;
            const { bytesRead } = await this.file.read(this.b, this.held, room, this.pos);
            if (bytesRead === 0)
                return;
            this.pos += bytesRead;
            const filled = this.held + bytesRead;
            const lf = this.b.lastIndexOf(LF, filled - 1);
            const end = 1 + (this.reader.overMaxSizeLines ? lf : Math.max(lf, this.b.lastIndexOf(CR, filled - 1)));
            if (end > 0)
                this.feed(end, false);
            this.held = filled - end;
            this.b.copy(this.b, 0, end, filled);
            if (bytesRead < room)
                return;
        }
    }
    /** `b` up to `end`: the end of a line, or of the file (`last`). */
    feed(end, last) {
        if (!this.reader.overMaxSizeLines) {
            this.reader.scan(this.b, end);
            return;
        }
        const text = this.b.toString('latin1', 0, last ? end : end - 1);
        for (const l of text.split('\n'))
            this.reader.line(l);
    }
}
/** Feed `file` (rsync's stdout, from its start) to `reader`: its records, or every line. */
function readRecords(file, reader) {
    return new RecordFollower(file, reader).finish();
}

;// CONCATENATED MODULE: ./src/transfer/rsync/argv.ts
/** rsync's command line for one run (qq's `-rltD`, and what qq-sync adds: see index.ts). */







/**
 * `--info=progress2`; with a size limit also `skip1` (a line per file over it) and `name2`
 * (a record per file looked at, so that the size of what was left out is `Total file size`
 * less the sizes listed: rsync names those files but not their sizes).
 */
function infoFlags(job) {
    return job.selection?.filter.maxSize === undefined
        ? '--info=progress2'
        : '--info=progress2,skip1,name2';
}
/**
 * The selection as rsync's arguments. A part of a parallel transfer names its entries in
 * `--files-from`, listed with the same filter already: only `--max-size` is left to apply.
 */
function selectionArgs(job) {
    if (job.filesFrom) {
        const max = job.selection?.filter.maxSize;
        return max === undefined ? [] : [`--max-size=${max}`];
    }
    return job.selection ? job.selection.rsyncArgs : job.files ? includeFilters(job.files) : [];
}
function rsyncArgv(job, caps = MODERN_RSYNC) {
    const src = `${endpoint(job.host, job.workDir.replace(/\/+$/, ''))}/`;
    if (job.host && !caps.protectArgs) {
        throw new errors/* QQError */.V(`rsync ${caps.version} on this machine is too old to fetch over ssh safely (it cannot keep paths from the remote shell); rsync 3.0.0 or newer is needed.`);
    }
    return [
        'rsync',
        ...(job.host ? ['-e', rsyncRsh(job.ssh)] : []),
        job.filesFrom ? '-ltD' : '-rltD',
        ...(caps.protectArgs ? ['-s'] : []),
        ...(job.overwrite === 'newer' ? ['--update'] : []),
        ...(job.ownDir?.backup ? displacedArgs(job.ownDir.name) : []),
        ...(job.dryRun ? ['--dry-run'] : []),
        ...(job.bwlimitKiB ? [`--bwlimit=${job.bwlimitKiB}`] : []),
        '--stats',
        ...(caps.progress2 ? [infoFlags(job)] : []),
        OUT_FORMAT,
        ...(job.filesFrom ? [`--files-from=${job.filesFrom}`, '--from0'] : []),
        // First: rsync's first matching rule wins, so no `files` entry can bring it in.
        ...(job.ownDir ? [reservedExclude(job.ownDir.name)] : []),
        ...selectionArgs(job),
        '--',
        src,
        job.destination,
    ];
}

;// CONCATENATED MODULE: ./src/transfer/rsync/failure.ts



/** rsync's exit codes (rsync(1), EXIT VALUES) and the shell's for a missing command. */
const RSYNC_EXIT = {
    SOCKET_IO: 10,
    PROTOCOL_STREAM: 12,
    TIMEOUT_IN_DATA: 30,
    TIMEOUT_CONNECTING: 35,
    /** `command not found` from the remote shell. */
    COMMAND_NOT_FOUND: 127,
    /** ssh itself failed (rsync passes its 255 on). */
    REMOTE_SHELL_FAILED: 255,
};
/** Exit codes and messages of a failure worth another attempt. */
function isTransient(code, stderr) {
    if (/Host key verification failed|Permission denied|No such file or directory|command not found|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr)) {
        return false;
    }
    if (code === RSYNC_EXIT.SOCKET_IO ||
        code === RSYNC_EXIT.PROTOCOL_STREAM ||
        code === RSYNC_EXIT.TIMEOUT_IN_DATA ||
        code === RSYNC_EXIT.TIMEOUT_CONNECTING) {
        return true;
    }
    if (code === RSYNC_EXIT.REMOTE_SHELL_FAILED) {
        return /Connection (refused|reset|closed|timed out)|timed out|kex_exchange_identification|No route to host|Network is unreachable|Broken pipe/i.test(stderr);
    }
    return false;
}
/** qq's message, and beside it what ssh/rsync users miss most (TransferError's hint). */
function failureMessage(job, stderr, code) {
    const detail = withoutSshNotices(stderr)
        .split('\n')
        .filter((l) => l.trim() && !/^rsync error: .* at (io|main|rsync)\.c/.test(l) && !/^\s*$/.test(l))
        .join('\n')
        .trim();
    const message = rsyncFailure(source(job), job.destination, detail || `rsync exited with code ${code}`);
    if (!job.host)
        return { message };
    const hints = [];
    if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
        hints.push(`The host key of '${job.host}' is missing from or differs from ${knownHostsFile(job.ssh)} (strict-host-key-checking: ${job.ssh.strictHostKeyChecking}).`);
    }
    else if (code === RSYNC_EXIT.COMMAND_NOT_FOUND ||
        /rsync: (command )?not found|rsync: No such file or directory/.test(stderr)) {
        hints.push(`rsync is not installed on '${job.host}' (or not on its PATH).`);
    }
    hints.push(`(${describeSsh(job.host, job.ssh)})`);
    return { message, hint: hints.join(' ') };
}
/** The error for a run that did not succeed (qq's message; `transient` when worth retrying). */
function runFailure(job, r, timeoutSec) {
    if (r.spawnError) {
        return new TransferError(rsyncFailure(source(job), job.destination, 'rsync is not installed here'), false);
    }
    if (r.timedOut) {
        return new TransferError(rsyncFailure(source(job), job.destination, `Connection timed out after ${timeoutSec} seconds`), true);
    }
    if (r.code === null) {
        // Killed by a signal from outside (not our timeout): say so rather than "code null".
        const f = failureMessage(job, `${r.stderr}\nrsync was killed by ${r.signal ?? 'a signal'}`, null);
        return new TransferError(f.message, false, undefined, f.hint);
    }
    const { message, hint } = failureMessage(job, r.stderr, r.code);
    if (RSYNC_WORK_DIR_MISSING.test(r.stderr))
        return new WorkDirMissingError(message, hint);
    return new TransferError(message, isTransient(r.code, r.stderr), r.code, hint);
}

;// CONCATENATED MODULE: ./src/transfer/rsync/progress.ts
/**
 * rsync's stdout on a file rather than a pipe, and its `--info=progress2` records sampled
 * from that file: through a pipe every record wakes the reader.
 */



/** An open, empty file in a new private temporary directory; undefined if none can be made. */
async function stdoutFile() {
    let dir;
    try {
        dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'qq-sync-rsync-'));
        const file = await (0,promises_.open)((0,external_node_path_.join)(dir, 'stdout'), 'w+', 0o600);
        const made = dir;
        return {
            file,
            remove: async () => {
                await file.close().catch(() => { });
                await (0,promises_.rm)(made, { recursive: true, force: true }).catch(() => { });
            },
        };
    }
    catch {
        if (dir)
            await (0,promises_.rm)(dir, { recursive: true, force: true }).catch(() => { });
        return undefined;
    }
}
/** The last `max` bytes written to `file` so far, as text (latin1: one char per byte). */
async function readTail(file, max, encoding = 'utf8') {
    const { size } = await file.stat();
    const length = Math.min(size, max);
    if (length === 0)
        return '';
    const buf = Buffer.alloc(length);
    const { bytesRead } = await file.read(buf, 0, length, size - length);
    return buf.subarray(0, bytesRead).toString(encoding);
}
/**
 * Every `every` ms (at least 20), the newest progress record written to `file` so far, given
 * to `show`; one read at a time. Returns the function that stops it (safe to call twice).
 */
function sampleProgress(file, every, show) {
    let busy = false;
    const timer = setInterval(() => {
        if (busy)
            return;
        busy = true;
        readTail(file, 4096)
            .then((tail) => show(lastProgressLine(tail)))
            .catch(() => { })
            .finally(() => {
            busy = false;
        });
    }, Math.max(every, 20));
    return () => clearInterval(timer);
}
/**
 * The newest complete progress2 record in `tail`, one-spaced:
 * `    1,234,567  45%   12.34MB/s    0:00:03 (xfr#3, to-chk=0/10)` → `1,234,567 45% 12.34MB/s 0:00:03 (xfr#3, to-chk=0/10)`.
 * Records end with `\r` (or `\n` for a file's last one); the text after the last end may be
 * half-written and is ignored.
 */
function lastProgressLine(tail) {
    const records = tail.split(/\r\n|\n|\r/);
    records.pop();
    for (let i = records.length - 1; i >= 0; i--) {
        const line = records[i];
        if (/^\s*[\d,.]+\s+\d+%/.test(line))
            return line.trim().replace(/\s+/g, ' ');
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/transfer/rsync/index.ts
/**
 * The `rsync/` room: rsync as a Transport (transport.ts) with its settle step (settle.ts: the
 * backup directory of a type change), its command line (argv.ts), the local rsync's
 * capabilities (capabilities.ts), its failures in qq's words (failure.ts), its per-file records
 * (records.ts) and its progress lines (progress.ts). This file runs it once (runRsync).
 *
 * rsync as qq runs it (docs/qq-behaviour.md §6.2): `-rltD`, the source with a trailing slash, no `--delete`;
 * plus `-s` (paths reach the remote side as one word), `--update` for `overwrite: newer`,
 * `--stats` for the counts and `--info=progress2` for progress lines.
 *
 * The local rsync is asked its version once (`rsync --version`): `-s` exists since 3.0.0 (and
 * is `--secluded-args` from 3.2.4 on, with `-s`/`--protect-args` kept as names), so it is
 * always given as `-s`; `--info=progress2` exists since 3.1.0 and is left out before that.
 * rsync older than 3.0.0 cannot protect remote paths from the remote shell: refused for a
 * transfer over ssh. Files are written by rsync's default temporary-file-then-rename (no
 * `--inplace`, no `--partial`): a killed transfer never leaves a half-written file under a
 * final name.
 */











function statNumber(stats, label) {
    const m = new RegExp(`^${label}: ([\\d,.]+)`, 'm').exec(stats);
    return m ? Number(m[1].replace(/[,.]/g, '')) : 0;
}
/** Files and bytes transferred, from `--stats`. */
function parseStats(stdout) {
    return {
        files: statNumber(stdout, 'Number of regular files transferred'),
        bytes: statNumber(stdout, 'Total transferred file size'),
    };
}
/** How often the records rsync wrote so far are read while it runs (ms). */
const FOLLOW_EVERY_MS = 100;
/**
 * Run rsync with its stdout (--info=progress2 writes a record for every file, --stats a block
 * at the end) on a file in a private temporary directory, sampled every `every` ms for `show`,
 * its records read every FOLLOW_EVERY_MS as they come and the counts once at the end: through
 * a pipe every record would wake this process, which slows transfers of many small files. The
 * file holds about 140 bytes per transferred file and is removed. Where no temporary file can
 * be made, the pipe it is.
 */
async function runWithProgress(argv, run, every, show, reader) {
    const sink = await stdoutFile();
    if (!sink) {
        const offer = throttle(show, every);
        const r = await (0,exec_run/* runCommand */.d1)(argv, {
            ...run,
            onStdoutLine: (line) => {
                reader.line(line);
                offer(() => lastProgressLine(`${line}\n`));
            },
        });
        return { r, stdout: r.stdout };
    }
    const stop = show ? sampleProgress(sink.file, every, show) : () => { };
    // The records read as rsync writes them, while it runs: not all of them after it.
    const records = new RecordFollower(sink.file, reader);
    const follow = setInterval(() => void records.pull().catch(() => { }), FOLLOW_EVERY_MS);
    try {
        const r = await (0,exec_run/* runCommand */.d1)(argv, { ...run, stdoutFd: sink.file.fd });
        stop();
        clearInterval(follow);
        // Also after a failure: what rsync wrote before it is in the destination now.
        await records.finish();
        return { r, stdout: await readTail(sink.file, 64 * 1024) };
    }
    finally {
        stop();
        clearInterval(follow);
        await records.idle();
        await sink.remove();
    }
}
/** One rsync run; throws QQError with qq's message (and `transient` set) on failure. */
async function runRsync(job, options) {
    const argv = rsyncArgv(job, options.capabilities);
    // TZ=UTC: the records' mtimes (%M) are printed in rsync's local time.
    const env = { ...(job.ssh.env ?? process.env), LC_ALL: 'C', TZ: 'UTC' };
    const overMaxSize = argv.includes('--info=progress2,skip1,name2');
    const reader = new RecordReader(options.onChange, overMaxSize);
    const onProgress = options.onProgress;
    let shown = '';
    const show = onProgress
        ? (line) => {
            if (!line || line === shown)
                return;
            shown = line;
            onProgress(line);
        }
        : undefined;
    const every = options.progressEveryMs ?? PROGRESS_EVERY_MS;
    const { r, stdout } = await runWithProgress(argv, { timeoutMs: options.timeoutMs, env, signal: options.signal }, every, show, reader);
    if (r.spawnError || r.timedOut || r.code !== 0) {
        throw runFailure(job, r, options.timeoutSec ?? Math.round(options.timeoutMs / 1000));
    }
    const outcome = parseStats(stdout);
    if (overMaxSize) {
        const total = statNumber(stdout, 'Total file size');
        outcome.overMaxSize = {
            files: reader.tally.overMaxSize,
            names: reader.tally.overMaxSizeNames,
            bytes: Math.max(total - reader.tally.listedBytes, 0),
        };
    }
    return outcome;
}

;// CONCATENATED MODULE: ./src/transfer/plan/list.ts
/**
 * A job's tree as a listing for the planner (index.ts, parts.ts). Locally: a walk with many directory
 * reads in flight at once — on a shared file system every metadata operation is a
 * round trip, and a sequential crawl is what holds fpsync back. Over ssh: the remote rsync's
 * own `--list-only`, over the run's shared connection, so that the remote side needs nothing
 * but the rsync the transfer needs anyway.
 *
 * Names are byte strings (path-filter.ts). The walk honours the PathFilter as rsync does: an
 * excluded directory is not entered, a file above maxSize is left out.
 */






/** Directory reads and lstats in flight at once. */
const WALK_CONCURRENCY = 32;
/** The walk stopped: more entries than asked for. */
const OVER_LIMIT = Symbol('over the limit');
/** `root` joined with a byte-string `rel`, as the bytes the file system wants. */
function bytesOf(root, rel) {
    return rel === '.' ? root : Buffer.concat([root, Buffer.from(`/${rel}`, 'latin1')]);
}
function kindOf(st) {
    if (st.isDirectory())
        return 'dir';
    if (st.isFile())
        return 'file';
    if (st.isSymbolicLink())
        return 'symlink';
    return 'other';
}
async function listLocal(root, filter, signal, limit = Number.POSITIVE_INFINITY) {
    const rootBytes = Buffer.from(root.replace(/\/+$/, '') || '/');
    const rootStat = await (0,promises_.lstat)(rootBytes);
    const out = [
        { rel: '.', kind: 'dir', size: 0, mtimeSec: Math.floor(rootStat.mtimeMs / 1000) },
    ];
    const pending = [];
    let active = 0;
    let failure;
    let finish = () => { };
    const done = new Promise((resolve) => {
        finish = resolve;
    });
    const pump = () => {
        while (active < WALK_CONCURRENCY && pending.length > 0 && !failure) {
            const task = pending.pop();
            active++;
            task()
                .catch((e) => {
                failure ??= e;
            })
                .finally(() => {
                active--;
                if (signal?.aborted)
                    failure ??= signal.reason;
                if (out.length > limit)
                    failure ??= OVER_LIMIT;
                pump();
                if (active === 0 && (pending.length === 0 || failure))
                    finish();
            });
        }
    };
    const visitDir = (rel) => async () => {
        const names = await (0,promises_.readdir)(bytesOf(rootBytes, rel), {
            withFileTypes: true,
            encoding: 'buffer',
        });
        for (const d of names) {
            const name = d.name.toString('latin1');
            const child = rel === '.' ? name : `${rel}/${name}`;
            const isDir = d.isDirectory();
            if (filter.excludes(child, isDir))
                continue;
            if (isDir) {
                out.push({ rel: child, kind: 'dir', size: 0 });
                pending.push(visitDir(child));
            }
            else if (d.isFile() && filter.maxSize !== undefined) {
                pending.push(statFile(child));
            }
            else {
                out.push({ rel: child, kind: kindOf(d), size: 0 });
            }
        }
    };
    // Only `max-size` needs a file's size: every other entry is known by its directory's
    // listing (d_type), without a round trip of its own. Parts are then bounded by count.
    const statFile = (rel) => async () => {
        const st = await (0,promises_.lstat)(bytesOf(rootBytes, rel));
        const kind = kindOf(st);
        if (kind === 'file' && filter.maxSize !== undefined && st.size > filter.maxSize)
            return;
        out.push({ rel, kind, size: kind === 'file' ? st.size : 0 });
    };
    pending.push(visitDir('.'));
    pump();
    await done;
    if (failure === OVER_LIMIT)
        return undefined;
    if (failure)
        throw failure;
    return out;
}
/**
 * The sizes of a local listing's regular files (listLocal leaves them 0 without `max-size`:
 * a stat per file is a round trip on a slow file system), filled in until they add up to
 * `enough` bytes. Meant for a listing of few files, whose bytes then decide on streams.
 * Returns the bytes seen; a file gone since the listing counts 0.
 */
async function addLocalSizes(root, listing, enough, signal) {
    const rootBytes = Buffer.from(root.replace(/\/+$/, '') || '/');
    const files = listing.filter((e) => e.kind === 'file');
    let total = 0;
    let next = 0;
    const worker = async () => {
        while (next < files.length && total < enough) {
            signal?.throwIfAborted();
            const e = files[next++];
            const st = await (0,promises_.lstat)(bytesOf(rootBytes, e.rel)).catch(() => undefined);
            if (st?.isFile()) {
                e.size = st.size;
                total += st.size;
            }
        }
    };
    await Promise.all(Array.from({ length: WALK_CONCURRENCY }, worker));
    return total;
}
/**
 * Looks up `paths` under `root` (an lstat each, `concurrency` in flight, results dropped),
 * so that the kernel's dentry and attribute caches hold them when an rsync reaches them.
 */
async function warmLookups(root, paths, concurrency, signal) {
    const rootBytes = Buffer.from(root.replace(/\/+$/, '') || '/');
    let next = 0;
    const worker = async () => {
        while (next < paths.length && !signal?.aborted) {
            await (0,promises_.lstat)(bytesOf(rootBytes, paths[next++])).catch(() => undefined);
        }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
}
/**
 * rsync's --prune-empty-dirs on a listing (in place): the directories with nothing but
 * directories below them go, so that no part makes them.
 */
function pruneEmptyDirs(listing) {
    const kept = new Set(['.']);
    for (const e of listing) {
        if (e.kind === 'dir')
            continue;
        for (let i = e.rel.lastIndexOf('/'); i > 0; i = e.rel.lastIndexOf('/', i - 1)) {
            const dir = e.rel.slice(0, i);
            if (kept.has(dir))
                break;
            kept.add(dir);
        }
    }
    let n = 0;
    for (const e of listing)
        if (e.kind !== 'dir' || kept.has(e.rel))
            listing[n++] = e;
    listing.length = n;
}
/** rsync's `--list-only` escapes: `\#ooo` is the byte ooo (octal); nothing else is escaped. */
function unescapeListName(name) {
    return name.replace(/\\#([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
}
const LIST_LINE = /^([dlpscb-])\S{9}\s+([\d,]+) (\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) (.*)$/;
/**
 * The entries of `rsync -r --list-only` output (read as latin1: one char per byte). Without
 * `-l` a symlink's line holds its name alone (no ` -> target` to tell apart from the name).
 */
function parseListOnly(text) {
    const out = [];
    for (const line of text.split('\n')) {
        const m = LIST_LINE.exec(line);
        if (!m)
            continue;
        const type = m[1];
        const kind = type === 'd' ? 'dir' : type === '-' ? 'file' : type === 'l' ? 'symlink' : 'other';
        const size = kind === 'file' ? Number(m[2].replace(/,/g, '')) : 0;
        const rel = unescapeListName(m[9]);
        // The listing's rsync runs with TZ=UTC: its times are UTC.
        const [y, mo, d, h, mi, sec] = m.slice(3, 9).map(Number);
        const mtimeSec = Date.UTC(y, mo - 1, d, h, mi, sec) / 1000;
        out.push(rel === '.' ? { rel, kind, size, mtimeSec } : { rel, kind, size });
    }
    return out;
}
/**
 * The remote tree, listed by the rsync on `host` with the transfer's own filter arguments
 * (so that the selection is rsync's, exactly); undefined when the listing fails — the caller
 * then transfers in one stream, whose rsync reports the error in qq's words.
 */
async function listRemote(host, workDir, filterArgs, ssh, timeoutMs, signal) {
    const sink = await stdoutFile();
    if (!sink)
        return undefined;
    try {
        const src = `${endpoint(host, workDir.replace(/\/+$/, ''))}/`;
        const argv = ['rsync', '-e', rsyncRsh(ssh), '-r', '-s', '--list-only', ...filterArgs];
        const r = await (0,exec_run/* runCommand */.d1)([...argv, '--', src], {
            timeoutMs,
            env: { ...(ssh.env ?? process.env), LC_ALL: 'C', TZ: 'UTC' },
            stdoutFd: sink.file.fd,
            signal,
        });
        if (r.code !== 0)
            return undefined;
        const { size } = await sink.file.stat();
        return parseListOnly(await readTail(sink.file, size, 'latin1'));
    }
    finally {
        await sink.remove();
    }
}
/** Files opened (and closed, nothing read) to probe the file system's round trip. */
const PROBE_FILES = 16;
/** Directories read, breadth first, to find them. */
const PROBE_DIRS = 8;
/**
 * The shortest time, in µs, to open and close a file under `root` (up to PROBE_FILES of them,
 * one at a time, found within PROBE_DIRS directory reads): on a local disk (page cache) or
 * tmpfs a few µs; on Lustre, GPFS or NFS a round trip to a server (NFS revalidates on open
 * even where READDIRPLUS has filled its attribute cache), which is what parallel streams
 * hide. Synchronous calls, timed around the system call alone (through the thread pool a
 * busy machine adds its own wait), and the shortest: load only adds to it. Cheap enough to
 * run before deciding whether the tree is worth a walk. undefined when no file was found.
 */
async function openLatencyUs(root) {
    const dirs = [Buffer.from(root.replace(/\/+$/, '') || '/')];
    const files = [];
    for (let read = 0; read < PROBE_DIRS && dirs.length > 0 && files.length < PROBE_FILES; read++) {
        const dir = dirs.shift();
        let entries;
        try {
            entries = await (0,promises_.readdir)(dir, { withFileTypes: true, encoding: 'buffer' });
        }
        catch {
            continue;
        }
        for (const d of entries) {
            const p = Buffer.concat([dir, Buffer.from('/'), d.name]);
            if (d.isFile() && files.length < PROBE_FILES)
                files.push(p);
            else if (d.isDirectory())
                dirs.push(p);
        }
    }
    let best;
    for (const name of files) {
        const started = process.hrtime.bigint();
        try {
            (0,external_node_fs_.closeSync)((0,external_node_fs_.openSync)(name, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK));
        }
        catch {
            continue;
        }
        const us = Number(process.hrtime.bigint() - started) / 1000;
        best = best === undefined ? us : Math.min(best, us);
    }
    return best;
}

;// CONCATENATED MODULE: ./src/transfer/plan/parts.ts
/**
 * The planner of parallel streams: a job's listing split into parts, as fpart splits a tree
 * for fpsync — each part at most so many files and so many bytes, entries kept in sorted
 * order so that a directory's files mostly travel together. Pure: no I/O.
 *
 * Directories are not spread over the parts: they make a part of their own, run before the
 * others (every directory exists before files are written into it, so two streams never race
 * to make one) and again after them (a file written into a directory changes its mtime; the
 * second pass gives each directory its source's, as one rsync does at its end).
 */
/** A part is not cut for its bytes' share below this (maxBytes still holds). */
const SHARE_BYTES_FROM = 64 * 1024 ** 2;
/** Byte order, as the listing's strings are byte strings: one character per byte. */
function byteOrder(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/** Split `entries` into parts within `limits`. */
function planParts(entries, limits) {
    const dirs = [];
    const rest = [];
    let files = 0;
    let bytes = 0;
    let rootMtimeSec;
    for (const e of entries) {
        if (e.rel === '.')
            rootMtimeSec = e.mtimeSec;
        else if (e.kind === 'dir')
            dirs.push(e.rel);
        else
            rest.push(e);
        if (e.kind === 'file') {
            files++;
            bytes += e.size;
        }
    }
    dirs.sort(byteOrder);
    rest.sort((a, b) => byteOrder(a.rel, b.rel));
    // Even shares when the tree is small: maxFiles alone would leave streams idle.
    const perPart = Math.max(1, Math.min(limits.maxFiles, Math.max(limits.minFiles, Math.ceil(rest.length / Math.max(1, limits.minParts)))));
    // Bytes share parts out large files; small ones are bounded by count alone.
    const bytesPerPart = Math.max(1, Math.min(limits.maxBytes, Math.max(SHARE_BYTES_FROM, Math.ceil(bytes / limits.minParts))));
    const parts = [];
    let current = { paths: [], files: 0, bytes: 0 };
    for (const e of rest) {
        const size = e.kind === 'file' ? e.size : 0;
        if (current.paths.length > 0 &&
            (current.paths.length >= perPart || current.bytes + size > bytesPerPart)) {
            parts.push(current);
            current = { paths: [], files: 0, bytes: 0 };
        }
        current.paths.push(e.rel);
        if (e.kind === 'file') {
            current.files++;
            current.bytes += size;
        }
    }
    if (current.paths.length > 0)
        parts.push(current);
    return { dirs, rootMtimeSec, parts, files, bytes };
}

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
;// CONCATENATED MODULE: ./src/transfer/lock/leftovers.ts


/** rsync's temporary name for `<name>`: `.<name>.XXXXXX` (mkstemp's 6 letters or digits). */
const RSYNC_TEMP = /^\.(.+)\.([A-Za-z0-9]{6})$/s;
const COPIER_TEMP = /^\.[^/]+\.[0-9a-f]{8}\.qqsync$/s;
/** The final name whose rsync temporary file `name` has the form of, or undefined. */
function rsyncTempTarget(name) {
    return RSYNC_TEMP.exec(name)?.[1];
}
/**
 * True for a name of a temporary file of rsync (with a capital or digit in its suffix: see
 * above) or of the copier.
 */
function isTempName(name) {
    const suffix = RSYNC_TEMP.exec(name)?.[2];
    return (suffix !== undefined && /[A-Z0-9]/.test(suffix)) || COPIER_TEMP.test(name);
}
const bytes = (p) => Buffer.from(p, 'latin1');
function within(ms, window) {
    return ms >= window.since && ms <= window.until;
}
/** A directory (not a symlink to one) whose ctime lies in `window`. */
async function changedWithin(dir, window) {
    const st = await (0,promises_.lstat)(bytes(dir)).catch(() => undefined);
    return st?.isDirectory() === true && within(st.ctimeMs, window);
}
/**
 * Remove the leftovers under `destination` changed from `since` to `until` (ms since the
 * epoch); tell `onMessage` what was removed. Never throws: what cannot be read or removed is left.
 */
async function removeLeftovers(destination, window, onMessage, 
/** A top-level directory left out (the killed run's backup, kept: type-change.ts). */
skip) {
    const removed = [];
    const walk = async (dir, rel) => {
        let entries;
        try {
            entries = await (0,promises_.readdir)(bytes(dir), { withFileTypes: true, encoding: 'buffer' });
        }
        catch {
            return;
        }
        for (const e of entries) {
            const name = e.name.toString('latin1');
            const full = `${dir}/${name}`;
            const relName = rel ? `${rel}/${name}` : name;
            if (e.isDirectory()) {
                if (rel === '' && name === skip) {
                    // What rsync moved there has ctimes of the killed run: not temporaries.
                }
                else if (COPIER_TEMP.test(name) && (await changedWithin(full, window))) {
                    try {
                        await (0,promises_.rm)(bytes(full), { recursive: true });
                        removed.push(relName);
                    }
                    catch { }
                }
                else {
                    await walk(full, relName);
                }
                continue;
            }
            if (!e.isFile() || !isTempName(name))
                continue;
            const st = await (0,promises_.lstat)(bytes(full)).catch(() => undefined);
            if (!st?.isFile() || !within(st.ctimeMs, window))
                continue;
            try {
                await (0,promises_.unlink)(bytes(full));
                removed.push(relName);
            }
            catch { }
        }
    };
    await walk(Buffer.from(destination).toString('latin1'), '');
    if (removed.length > 0) {
        const shown = removed.slice(0, 10).map(displayPath).join(', ');
        onMessage?.(`Removed ${removed.length} temporary file(s) a killed run left in the destination: ${shown}${removed.length > 10 ? ', …' : ''}.`);
    }
    return removed;
}

;// CONCATENATED MODULE: ./src/transfer/plan/progress.ts
/** The one progress line of a job run as parallel streams (streams.ts). */

/** `1,234,567` as rsync writes byte counts. */
function grouped(n) {
    return n.toLocaleString('en-US');
}
/** One progress line for all streams: bytes so far (finished parts plus running ones). */
class Progress {
    plan;
    streams;
    running = new Map();
    doneBytes = 0;
    doneParts = 0;
    offer;
    constructor(plan, streams, every, show) {
        this.plan = plan;
        this.streams = streams;
        this.offer = throttle(show, every);
    }
    /** An rsync progress2 line of part `i`: its first number is the bytes it has sent. */
    part(i, line) {
        if (i < 0)
            return; // the directories' passes: no bytes
        const bytes = Number(/^[\d,]+/.exec(line)?.[0].replace(/,/g, '') ?? 0);
        this.running.set(i, bytes);
        this.emit();
    }
    finished(i, counts) {
        if (i < 0)
            return;
        this.running.delete(i);
        this.doneBytes += counts.bytes;
        this.doneParts++;
        this.emit();
    }
    emit() {
        this.offer(() => this.line());
    }
    line() {
        let bytes = this.doneBytes;
        for (const b of this.running.values())
            bytes += b;
        const total = this.plan.bytes;
        // A local listing of many files has no sizes (list.ts): the total is not known then.
        const of = total > 0
            ? `${grouped(bytes)} of ${grouped(total)} bytes ${Math.min(100, Math.floor((bytes / total) * 100))}%`
            : `${grouped(bytes)} bytes`;
        return `${of}, part ${this.doneParts}/${this.plan.parts.length} done, ${this.streams} streams`;
    }
}

;// CONCATENATED MODULE: ./src/transfer/plan/streams.ts
/**
 * Runs a plan's parts (parts.ts) as parallel streams of one transport, within one budget:
 * at most `streams` at once, the job's one deadline, the run's cancel. A part that fails for
 * a transient reason is retried alone, with backoff; an error that may not be retried stops
 * the other streams (their process groups are ended) and is the job's error. Counts are
 * summed once, from each part's final attempt; progress is one line for the whole job.
 */











/**
 * rsync's temporary files for a part's entries that a stopped rsync left behind: an rsync
 * sent SIGTERM between making `.<name>.XXXXXX` and noting it for removal leaves it (seen when
 * four streams of small files are cancelled). Only that exact form, for names of the part,
 * regular files made since the part began: nothing else in the destination is touched.
 */
async function removeLeftTemps(destination, paths, since) {
    const byDir = new Map();
    for (const rel of paths) {
        const slash = rel.lastIndexOf('/');
        const dir = slash < 0 ? '' : rel.slice(0, slash);
        const names = byDir.get(dir) ?? new Set();
        names.add(rel.slice(slash + 1));
        byDir.set(dir, names);
    }
    for (const [dir, names] of byDir) {
        const inDir = Buffer.concat([
            Buffer.from(destination),
            Buffer.from(dir ? `/${dir}` : '', 'latin1'),
        ]);
        let entries;
        try {
            entries = await (0,promises_.readdir)(inDir, { encoding: 'buffer' });
        }
        catch {
            continue;
        }
        for (const entry of entries) {
            const target = rsyncTempTarget(entry.toString('latin1'));
            if (target === undefined || !names.has(target))
                continue;
            const file = Buffer.concat([inDir, Buffer.from('/'), entry]);
            const st = await (0,promises_.lstat)(file).catch(() => undefined);
            if (st?.isFile() && st.ctimeMs >= since - 1000)
                await (0,promises_.rm)(file, { force: true });
        }
    }
}
/** The NUL-separated list rsync's `--files-from --from0` reads: the names' exact bytes. */
function listBytes(paths) {
    return Buffer.from(`${paths.join('\0')}\0`, 'latin1');
}
/**
 * Lookups in flight ahead of each part's rsync on a slow local file system (plan.lookAhead).
 * rsync looks its names up one at a time: this many at once, through Node's thread pool,
 * leave its own lstats and opens finding them in the kernel's cache. The bench's latency-bound
 * file system, 5,000 files, 2 streams, with parts of 250 (index.ts), old code against new,
 * alternating, medians of 4 at load 6–9: cold 10.0 → 8.1 s, warm no change (11.3 and 11.6 s);
 * 16 at once was no better (docs/performance.md).
 */
const LOOK_AHEAD = 8;
/** One part (or the directories' pass, `i` −1): its list written, run with its own retries. */
async function runPart(run, name, paths, i) {
    const { job, plan } = run;
    const filesFrom = external_node_path_.join(run.dir, name);
    await (0,promises_.writeFile)(filesFrom, listBytes(paths), { mode: 0o600 });
    const since = Date.now();
    // Looked up from the listed names (metadata only, nothing read, the result dropped), and
    // stopped when the part ends: no lookup outlives its part.
    const looked = new AbortController();
    const warmed = plan.lookAhead && i >= 0
        ? warmLookups(job.workDir, paths, LOOK_AHEAD, AbortSignal.any([run.signal, looked.signal]))
        : undefined;
    const out = await retryTransfer(() => run.transport.attempt(job, {
        remainingMs: job.deadline - Date.now(),
        signal: run.signal,
        filesFrom,
        onProgress: (line) => run.progress.part(i, line),
    }), { ...job, signal: run.signal }, { index: i, of: plan.parts.length })
        .catch(async (e) => {
        // Stopped (a cancel, another part's error) or failed for good: no debris of its rsync.
        if (!job.dryRun)
            await removeLeftTemps(job.destination, paths, since);
        throw e;
    })
        .finally(async () => {
        looked.abort();
        await warmed;
    });
    run.attempts = Math.max(run.attempts, out.attempts);
    run.progress.finished(i, out.value);
    return out.value;
}
/** The counts of the parts that finished, summed. */
function sum(settled) {
    const total = { files: 0, bytes: 0 };
    for (const s of settled) {
        if (!('counts' in s))
            continue;
        total.files += s.counts.files;
        total.bytes += s.counts.bytes;
        const over = s.counts.overMaxSize;
        if (over) {
            total.overMaxSize ??= { files: 0, bytes: 0 };
            total.overMaxSize.files += over.files;
            total.overMaxSize.bytes += over.bytes;
            for (const n of over.names ?? [])
                noteLeftOut(total.overMaxSize, n);
        }
    }
    return total;
}
async function runStreams(transport, job, plan) {
    const dir = await (0,promises_.mkdtemp)(external_node_path_.join((0,external_node_os_.tmpdir)(), 'qq-sync-parts-'));
    // The first error that may not be retried; it stops the other streams.
    const stop = new AbortController();
    const signal = job.signal ? AbortSignal.any([job.signal, stop.signal]) : stop.signal;
    // Every running stream listens to it (its rsync's kill): many listeners are expected.
    (0,external_node_events_.setMaxListeners)(0, signal);
    const progress = new Progress(plan, plan.streams, job.progressEveryMs, job.onProgress);
    const run = { transport, job, plan, dir, signal, progress, attempts: 1 };
    try {
        // Directories first (none is made by two streams at once), and last (their mtimes).
        if (plan.dirs.length > 0)
            await runPart(run, 'dirs', plan.dirs, -1);
        const settled = await mapLimit(plan.parts, plan.streams, (part, i) => runPart(run, `part-${i}`, part.paths, i).then((counts) => ({ counts }), (error) => {
            // The first error ends the others; theirs ("killed") are not the job's error.
            if (!stop.signal.aborted)
                stop.abort(error);
            return { error };
        }));
        job.signal?.throwIfAborted();
        if (stop.signal.aborted)
            throw stop.signal.reason;
        if (plan.dirs.length > 0)
            await runPart(run, 'dirs', plan.dirs, -1);
        // The root cannot be a name in a part (rsync's `-d` would copy its files with it): its
        // mtime is set here, as one rsync sets it at its end.
        if (plan.rootMtimeSec !== undefined) {
            await (0,promises_.utimes)(job.destination, new Date(), fsTimeSec(plan.rootMtimeSec));
        }
        return { ...sum(settled), attempts: run.attempts };
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/transfer/plan/index.ts
/**
 * The `plan/` room: parallel streams. Whether a job's tree is split into parts and how
 * (this file: planJob, and runParts, the façade's "run parts" step), the listing they are cut
 * from (list.ts), the cut itself (parts.ts), and the runner of the parts (streams.ts) with its
 * one progress line (progress.ts). A small tree, a dry run, the copier: one run of the tool.
 */






/** Trees with fewer files than this are one stream: below it, listing and spawning cost more than they save. */
const STREAMS_FROM_FILES = 2000;
/** …or fewer bytes than this (several streams over ssh use several cores to encrypt). */
const STREAMS_FROM_BYTES = 256 * 1024 ** 2;
/**
 * A local tree whose files open faster than this (µs, the shortest of a few) is on a fast file
 * system (page cache, tmpfs, a local disk): one rsync is as fast as several there, and
 * cheaper (measured: docs/performance-streams.md). Lustre, GPFS and NFS take a round trip.
 */
const SLOW_OPEN_US = 200;
/** Streams of `streams: auto` (measured: docs/performance-streams.md). */
const AUTO_STREAMS = 8;
/** `streams: auto`'s count: AUTO_STREAMS, within the cores this process may use. */
const autoStreams = () => Math.min(AUTO_STREAMS, usableCores());
/** Most entries in one part (fpsync's default) and most bytes (a larger file is a part alone). */
const PART_FILES = 2000;
/**
 * Parts per stream, at least: a stream that finishes early takes the next part, so that the
 * last parts do not run alone (20,000 files on the latency-bound bench file system, 8
 * streams: 10 parts of 2,000 took 18.5 s, 32 parts of 625 took less; docs/performance-streams.md).
 */
const PARTS_PER_STREAM = 4;
/** Fewest entries in a part: 5,000 files in 32 parts of 156 were slower than in 10 of 500. */
const PART_MIN_FILES = 500;
const PART_BYTES = 4 * 1024 ** 3;
/**
 * Most entries in a part read from a slow local file system. An rsync given `--files-from`
 * looks up every name of its list before it opens the first file; a kernel keeps a lookup
 * for a while only (FUSE's default: 1 s), so a part that takes longer looks its files up
 * twice (the bench's 625-file parts: 1,266 lookups for 625 files). 250 keep it to one.
 */
const SLOW_PART_FILES = 250;
/** The façade's "run parts" step: the job as parallel streams where they pay, else one run. */
async function runParts(transport, job, prepare) {
    await prepare();
    const plan = await planJob(job, transport);
    if (!plan)
        return runWhole(transport, job);
    job.onMessage?.(`${plan.files} files: fetched as ${plan.parts.length} parts, ${plan.streams} streams at once.`);
    const out = await runStreams(transport, job, plan);
    return { ...out, parts: plan.parts.length, method: transport.method };
}
/**
 * The streams asked for, or undefined where a local `auto` finds a fast file system; `slow`
 * where it found a slow one.
 */
async function streamsFor(job) {
    const asked = job.ssh.streams;
    if (asked !== 'auto')
        return { streams: asked ?? 1 };
    // Over ssh on this VM's loopback several streams lost to one rsync (2.7× slower for
    // 20,000 files: two cores encrypting for eight); locally, a fast file system is not
    // worth even the walk. Only a slow local file system is split without being asked.
    if (job.host)
        return undefined;
    const us = await openLatencyUs(job.workDir);
    job.ssh.debug?.(`open takes ${us?.toFixed(0) ?? '?'} µs here: ${us !== undefined && us >= SLOW_OPEN_US ? 'a slow file system, parallel streams' : 'one rsync'} (streams from ${SLOW_OPEN_US} µs)`);
    // No more rsyncs than the cores this process may use (affinity, cgroup quota): util/cores.ts.
    return us === undefined || us < SLOW_OPEN_US ? undefined : { streams: autoStreams(), slow: true };
}
/**
 * The parts of a parallel transfer, or undefined for one stream: a dry run, one stream asked
 * for, the copier, a selection the walk cannot apply, a small tree, or a listing that failed
 * (the one stream then reports why, in rsync's words).
 */
async function planJob(job, transport) {
    const requested = job.ssh.streams === 'auto' ? autoStreams() : (job.ssh.streams ?? 1);
    if (requested < 2 || job.dryRun || !transport.takesParts)
        return undefined;
    const chosen = await streamsFor(job);
    if (chosen === undefined)
        return undefined;
    const { streams, slow } = chosen;
    const listing = await listJob(job);
    if (!listing)
        return undefined;
    if (job.selection.filter.pruneEmptyDirs)
        pruneEmptyDirs(listing);
    if (!job.host && listing.filter((e) => e.kind === 'file').length < STREAMS_FROM_FILES) {
        // Few files: their bytes decide (the local listing has no sizes; a remote one has).
        await addLocalSizes(job.workDir, listing, STREAMS_FROM_BYTES, job.signal);
    }
    const plan = planParts(listing, {
        maxFiles: slow ? SLOW_PART_FILES : PART_FILES,
        maxBytes: PART_BYTES,
        minParts: streams * PARTS_PER_STREAM,
        minFiles: slow ? SLOW_PART_FILES : PART_MIN_FILES,
    });
    const large = plan.files >= STREAMS_FROM_FILES || plan.bytes >= STREAMS_FROM_BYTES;
    if (!large || plan.parts.length < 2)
        return undefined;
    return { ...plan, streams, lookAhead: slow === true };
}
/** The job's tree as the selection leaves it: over ssh by rsync's rules, locally by the walk. */
async function listJob(job) {
    // The rules only: --max-size is left to each part's rsync, which counts what it leaves out.
    const rules = [
        ...(job.ownDir ? [reservedExclude(job.ownDir.name)] : []),
        ...job.selection.rsyncArgs.filter((arg) => !arg.startsWith('--max-size=')),
    ];
    const filter = job.selection.filter;
    if (job.host) {
        return listRemote(job.host, job.workDir, rules, job.ssh, Math.max(job.deadline - Date.now(), 1000), job.signal);
    }
    return listLocal(job.workDir, { excludes: (rel, isDir) => filter.excludes(rel, isDir) }, job.signal).catch(() => undefined);
}

;// CONCATENATED MODULE: ./src/transfer/lock/owner.ts
/**
 * Who holds a destination lock, and whether that run is gone. The lock directory holds an
 * `owner` file from its first instant (it is written into a private directory that is then
 * renamed into place), so a waiting run can tell a live holder from a killed one: a holder
 * on this host whose process no longer exists is gone at once (a SIGKILL leaves no chance to
 * clean up); any holder whose heartbeat (the owner file's mtime, touched every HEARTBEAT_MS)
 * is older than STALE_MS is gone too (another host, or a reused pid).
 */



const OWNER_FILE = 'owner';
const HEARTBEAT_MS = 5_000;
const STALE_MS = 30_000;
function newOwner() {
    const token = process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex');
    return { pid: process.pid, host: (0,external_node_os_.hostname)(), token, started: Date.now() };
}
function parseOwner(text) {
    try {
        const o = JSON.parse(text);
        if (Number.isSafeInteger(o.pid) &&
            typeof o.host === 'string' &&
            typeof o.token === 'string' &&
            typeof o.started === 'number') {
            return o;
        }
    }
    catch { }
    return undefined;
}
/** The owner recorded in `lockDir` and its heartbeat; undefined if there is none (yet). */
async function readOwner(lockDir) {
    const file = external_node_path_.join(lockDir, OWNER_FILE);
    try {
        const [text, st] = await Promise.all([(0,promises_.readFile)(file, 'utf8'), (0,promises_.stat)(file)]);
        const owner = parseOwner(text);
        return owner ? { owner, beatMs: st.mtimeMs } : undefined;
    }
    catch {
        return undefined;
    }
}
/** The token of the owner recorded in `lockDir` (no heartbeat: one read, no stat); undefined if none. */
async function readOwnerToken(lockDir) {
    try {
        return parseOwner(await (0,promises_.readFile)(external_node_path_.join(lockDir, OWNER_FILE), 'utf8'))?.token;
    }
    catch {
        return undefined;
    }
}
/** True if `pid` names no process here (EPERM: it exists, someone else's). */
function processGone(pid) {
    try {
        process.kill(pid, 0);
        return false;
    }
    catch (e) {
        return e.code === 'ESRCH';
    }
}
/** Why the holder is gone ('' if it may be alive). */
function goneReason(owner, beatMs, now = Date.now()) {
    if (owner.host === (0,external_node_os_.hostname)() && owner.pid !== process.pid && processGone(owner.pid)) {
        return `its process ${owner.pid} on this host no longer exists`;
    }
    if (now - beatMs > STALE_MS) {
        return `it has given no sign of life for ${Math.round((now - beatMs) / 1000)} s (process ${owner.pid} on ${owner.host})`;
    }
    return '';
}

;// CONCATENATED MODULE: ./src/transfer/lock/take-over.ts
/**
 * A lock whose holder is gone (owner.ts), taken over: moved away to a private name and removed,
 * then what its run left behind is dealt with — its backup directory settled (type-change.ts),
 * its temporary files removed (leftovers.ts), the private directories of gone runs removed.
 */






/** In the lock directory: the backup directory its run made (type-change.ts), once made. */
const DISPLACED_FILE = 'displaced';
/** The backup directory a lock's run recorded (its identity as made), if any. */
async function readDisplaced(lockDir) {
    try {
        const o = JSON.parse(await (0,promises_.readFile)(external_node_path_.join(lockDir, DISPLACED_FILE), 'utf8'));
        if (typeof o.dev === 'string' && typeof o.ino === 'string')
            return { dev: o.dev, ino: o.ino };
    }
    catch { }
    return undefined;
}
/**
 * The lock in `lockDir` is held by a run that is gone: move it away and remove it. Returns the
 * dead lock when this run did so, undefined when another run did, or it was not dead after all.
 */
async function takeOver(lockDir, mine) {
    const found = await readOwner(lockDir);
    let why;
    if (found) {
        why = goneReason(found.owner, found.beatMs);
    }
    else {
        // No owner file: one of ours a moment before its rename, or left by an older qq-sync:
        // judged by its mtime.
        const st = await (0,promises_.stat)(lockDir).catch(() => undefined);
        if (!st)
            return undefined;
        const empty = (await (0,promises_.readdir)(lockDir).catch(() => ['?'])).length === 0;
        why = empty && Date.now() - st.mtimeMs > STALE_MS ? 'it is older than 30 s' : '';
    }
    if (!why)
        return undefined;
    const moved = `${lockDir}.gone-${mine.token}`;
    // Before the move: whatever changes in the destination after it is another run's.
    const at = Date.now();
    try {
        await (0,promises_.rename)(lockDir, moved);
    }
    catch {
        return undefined; // another run moved it first
    }
    const again = await readOwner(moved);
    if (found && again?.owner.token !== found.owner.token) {
        // Between reading and moving, the dead lock was replaced by a live one: put it back.
        await (0,promises_.rename)(moved, lockDir).catch(() => { });
        return undefined;
    }
    const displaced = await readDisplaced(moved);
    await (0,promises_.rm)(moved, { recursive: true, force: true });
    return { owner: found?.owner, why, at, ...(displaced ? { displaced } : {}) };
}
/** A lock staging directory whose run is gone (or that is older than STALE_MS without owner). */
async function staleStaging(dir) {
    const found = await readOwner(dir);
    if (found)
        return goneReason(found.owner, found.beatMs) !== '';
    const st = await (0,promises_.lstat)(dir).catch(() => undefined);
    return st?.isDirectory() === true && Date.now() - st.mtimeMs > STALE_MS;
}
/** The private directories (`<lock>.<token>`, `.gone-`, `.done-`) of runs that are gone. */
async function removeStaleStaging(lockDir) {
    const base = external_node_path_.basename(lockDir);
    const names = await (0,promises_.readdir)(external_node_path_.dirname(lockDir)).catch(() => []);
    for (const name of names) {
        const rest = name.startsWith(`${base}.`) ? name.slice(base.length + 1) : '';
        if (!/^(?:gone-|done-)?[0-9a-f]{16}$/.test(rest))
            continue;
        const dir = external_node_path_.join(external_node_path_.dirname(lockDir), name);
        if (await staleStaging(dir))
            await (0,promises_.rm)(dir, { recursive: true, force: true }).catch(() => { });
    }
}
/**
 * What a run taking over a dead lock does before its own transfer: the dead run's backup
 * directory settled (its name from the lock's token, which no tree can set), as a run that did
 * not finish (every moved entry put back), then its temporary files removed.
 */
async function cleanUpAfter(destination, lockDir, dead, onMessage) {
    await removeStaleStaging(lockDir);
    if (!dead.owner)
        return;
    let kept;
    if (/^[0-9a-f]{16}$/.test(dead.owner.token)) {
        const dir = { name: displacedName(dead.owner.token), ...dead.displaced };
        const settled = await settleDisplaced(destination, dir, {
            runFailed: true,
            refuse: true,
        });
        kept = settled.kept;
        const problems = settledProblems(settled);
        if (problems) {
            onMessage?.(problems);
            throw new errors/* QQError */.V(problems);
        }
    }
    const window = { since: dead.owner.started, until: dead.at };
    await removeLeftovers(destination, window, onMessage, kept);
}

;// CONCATENATED MODULE: ./src/transfer/lock/index.ts
/**
 * The `lock/` room: the lock on a destination (this file), who holds it (owner.ts), taking over
 * the lock of a run that is gone (take-over.ts) and removing what such a run left (leftovers.ts).
 *
 * Two runs fetching into the same destination at once are serialized: a lock directory that
 * names its holder (owner.ts), removed when the transfer ends. It lives beside the
 * destination, not in it — `<parent>/.<name>.qq-sync.lock`, on the same file system — because
 * every name inside the destination belongs to the job's tree and the user (issue 26): a job
 * file called `.qq-sync.lock` is fetched like any other. The destination's real path names it,
 * so two spellings of one destination share one lock.
 *
 * A lock whose holder is gone — its process no longer exists on this host, or its heartbeat
 * stopped — is taken over at once: the killed run's backup directory (named by the token in
 * its owner file, type-change.ts) is settled, and the temporary files it left are removed
 * (leftovers.ts). A run that exits while it holds a lock (a cancel) removes it in its exit
 * handler; after a SIGKILL the next run takes it over.
 *
 * Taking the lock: a private directory `<lock>.<token>` with the owner file is renamed to
 * `<lock>`, which fails while a (never empty) lock directory is there. Taking over: the dead
 * lock is renamed away to a private name first and its owner read again there, so two runs
 * that both found it dead cannot both remove it: the second's rename fails, or moves a lock
 * whose token differs, which it puts back.
 */









/** The lock's name ends so; `.<destination's name>` before it. */
const LOCK_SUFFIX = '.qq-sync.lock';
/** The longest staging name is the lock's plus `.gone-<16 hex>`; a name holds 255 bytes. */
const lock_NAME_MAX = 255;
const STAGING_EXTRA = '.gone-0123456789abcdef'.length;
/**
 * The lock directory of the destination whose real path is `realDest`: in its parent. A name
 * too long to take the suffixes is replaced by its hash.
 */
function lockPathOf(realDest) {
    let name = external_node_path_.basename(realDest) || 'root';
    if (Buffer.byteLength(`.${name}${LOCK_SUFFIX}`) + STAGING_EXTRA > lock_NAME_MAX) {
        // node:crypto on first use: some 50 internal modules that a short name does not need.
        const { createHash } = process.getBuiltinModule('node:crypto');
        name = createHash('sha256').update(name).digest('hex').slice(0, 32);
    }
    return external_node_path_.join(external_node_path_.dirname(realDest), `.${name}${LOCK_SUFFIX}`);
}
/**
 * `mkdir -p`, with the real reason when it fails: Node's recursive mkdir reports ENOENT when a
 * parent is read-only, so the first missing level is made on its own to get EROFS/EACCES.
 */
async function makeDestination(destination) {
    try {
        await (0,promises_.mkdir)(destination, { recursive: true });
        return;
    }
    catch (e) {
        let reason = e;
        if (e.code === 'ENOENT') {
            let missing = destination;
            for (let up = external_node_path_.dirname(missing); up !== missing; up = external_node_path_.dirname(up)) {
                try {
                    await (0,promises_.stat)(up);
                    break;
                }
                catch {
                    missing = up;
                }
            }
            await (0,promises_.mkdir)(missing).catch((e2) => {
                reason = e2;
            });
        }
        throw new errors/* QQError */.V(`Cannot create the destination '${destination}': ${reason.message}.`);
    }
}
/**
 * Locks this process holds: removed at exit (a cancelled run exits with process.exit) — unless
 * the run's backup directory is still there (the exit cut its settling short): the lock then
 * stays, so that the next run takes it over at once (this process is gone) and settles it.
 */
const held = new Map();
process.on('exit', () => {
    for (const [dir, { token, displaced }] of held) {
        if (displaced && (0,external_node_fs_.lstatSync)(displaced, { throwIfNoEntry: false }))
            continue;
        // Moved away first, as in release(): never a moment where the lock directory is empty.
        const moved = `${dir}.done-${token}`;
        try {
            (0,external_node_fs_.renameSync)(dir, moved);
            (0,external_node_fs_.rmSync)(moved, { recursive: true, force: true });
        }
        catch { }
    }
});
/** One attempt: true if the lock is ours now. */
async function tryLock(lockDir, owner) {
    const staging = `${lockDir}.${owner.token}`;
    await (0,promises_.mkdir)(staging);
    try {
        await (0,promises_.writeFile)(external_node_path_.join(staging, OWNER_FILE), JSON.stringify(owner));
        await (0,promises_.rename)(staging, lockDir);
        // Renamed: the private directory is the lock now, nothing is left to remove.
        return true;
    }
    catch (e) {
        await (0,promises_.rm)(staging, { recursive: true, force: true });
        const code = e.code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST')
            return false;
        throw e;
    }
}
async function withDestinationLock(destination, fn, options) {
    await makeDestination(destination);
    const lockDir = lockPathOf(await (0,promises_.realpath)(destination));
    const parent = external_node_path_.dirname(lockDir);
    const owner = newOwner();
    const deadline = Date.now() + options.timeoutMs;
    let told = false;
    for (;;) {
        options.signal?.throwIfAborted();
        let dead;
        try {
            if (await tryLock(lockDir, owner))
                break;
            dead = await takeOver(lockDir, owner);
        }
        catch (e) {
            const code = e.code;
            if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
                throw new errors/* QQError */.V(`Cannot take the lock of the destination '${destination}': qq-sync keeps it beside the destination, in '${parent}', which cannot be written (${(0,util_errors/* errorMessage */.g)(e)}).`);
            }
            throw new errors/* QQError */.V(`Cannot take the lock of the destination '${destination}' (in '${parent}'): ${(0,util_errors/* errorMessage */.g)(e)}.`);
        }
        if (dead) {
            const who = dead.owner ? `process ${dead.owner.pid} on ${dead.owner.host}` : 'a run';
            options.onMessage?.(`Took over the lock of ${who} on '${destination}': ${dead.why}.`);
            await cleanUpAfter(destination, lockDir, dead, options.onMessage);
            continue;
        }
        if (Date.now() > deadline) {
            throw new errors/* QQError */.V(`Another sync into '${destination}' still held its lock (${lockDir}) after ${Math.round(options.timeoutMs / 1000)} seconds.`);
        }
        if (!told) {
            options.onWait?.();
            told = true;
        }
        await sleep(250);
    }
    const holding = { token: owner.token };
    held.set(lockDir, holding);
    const heartbeat = setInterval(() => void beat(destination, lockDir, owner, options.onLost), HEARTBEAT_MS);
    heartbeat.unref();
    const lock = {
        token: owner.token,
        async recordDisplaced(dir) {
            holding.displaced = external_node_path_.join(destination, displacedName(owner.token));
            // Written whole under a private name, then renamed: a reader sees it whole or not at all.
            const tmp = external_node_path_.join(lockDir, `${DISPLACED_FILE}.tmp`);
            await (0,promises_.writeFile)(tmp, JSON.stringify({ dev: String(dir.dev), ino: String(dir.ino) }));
            await (0,promises_.rename)(tmp, external_node_path_.join(lockDir, DISPLACED_FILE));
        },
    };
    try {
        return await fn(lock);
    }
    finally {
        clearInterval(heartbeat);
        held.delete(lockDir);
        await release(lockDir, owner);
    }
}
/** Touch the owner file: the lock is alive. Tell once if it is no longer ours. */
async function beat(destination, lockDir, owner, onLost) {
    const now = new Date();
    const found = await readOwner(lockDir);
    if (found?.owner.token !== owner.token) {
        if (held.delete(lockDir)) {
            onLost?.(`The lock on '${destination}' was lost: another run took it over.`);
        }
        return;
    }
    await (0,promises_.utimes)(external_node_path_.join(lockDir, OWNER_FILE), now, now).catch(() => { });
}
/** Remove the lock if it is still ours (moved away first, so that nobody else's is removed). */
async function release(lockDir, owner) {
    if ((await readOwnerToken(lockDir)) !== owner.token)
        return;
    const moved = `${lockDir}.done-${owner.token}`;
    try {
        await (0,promises_.rename)(lockDir, moved);
    }
    catch {
        return;
    }
    // Usually the owner file alone is in it: two calls, not a recursive removal's walk; anything
    // more (the backup note, recordDisplaced) makes rmdir fail and the walk removes it all.
    await (0,promises_.unlink)(external_node_path_.join(moved, OWNER_FILE)).catch(() => { });
    await (0,promises_.rmdir)(moved).catch(() => (0,promises_.rm)(moved, { recursive: true, force: true }));
}

;// CONCATENATED MODULE: ./src/transfer/rsync/settle.ts
/**
 * The rsync transport's settle step (type-change.ts): with `overwrite: newer`, rsync moves aside
 * what it replaces into the run's own backup directory, made before rsync first runs. Once the
 * whole job has run, in one stream or many, each such entry is put back (a newer file where the
 * job has a directory: refused and named) or removed, and what was written under a directory
 * removed again is no longer reported.
 *
 * Only where something of the user's can be displaced: a destination that is not there yet or
 * is empty when the lock is taken holds nothing a directory of the job could replace (every
 * entry in it later is the job's, written by this run; the lock keeps other syncs out), so
 * rsync runs without `--backup` — which costs it per file — and nothing is made or settled.
 * One look at the destination (its first entry), no walk.
 */






/** rsync's exits after a whole pass in which some entries failed or vanished. */
const RSYNC_PARTIAL = 23;
const RSYNC_VANISHED = 24;
/** Under the lock: the job run with rsync's backup directory, then what it holds settled. */
async function settleRsync(lock, job, run) {
    const own = job.ownDir;
    if (!own || job.overwrite !== 'newer' || (await nothingToDisplace(job.destination))) {
        return run(job, async () => { });
    }
    const backed = { ...job, ownDir: { ...own, backup: true } };
    let made;
    const prepare = async () => {
        if (made)
            return;
        try {
            const m = await makeDisplacedDir(job.destination, own.name);
            made = m.dir;
            await lock.recordDisplaced(m.st);
        }
        catch (e) {
            throw new errors/* QQError */.V(`Cannot write to the destination '${job.destination}': ${(0,util_errors/* errorMessage */.g)(e)}.`);
        }
    };
    const ran = await run(backed, prepare).then((value) => ({ value, failed: false }), (failure) => ({ failure, failed: true }));
    if (!made) {
        if (ran.failed)
            throw ran.failure;
        return ran.value;
    }
    return settleAfter(job, made, ran);
}
/**
 * True when `destination` is not there or holds no entry at all (its first entry is looked
 * at, through a symlink as rsync goes). Anything else — an entry of any name or kind, a
 * destination that cannot be read or is not a directory — is taken as something that could
 * be displaced: rsync then runs with its backup directory, as before.
 */
async function nothingToDisplace(destination) {
    let dir;
    try {
        dir = await (0,promises_.opendir)(destination, { bufferSize: 1 });
    }
    catch (e) {
        return e.code === 'ENOENT';
    }
    try {
        return (await dir.read()) === null;
    }
    catch {
        return false;
    }
    finally {
        await dir.close().catch(() => { });
    }
}
/** Put back or remove what rsync moved aside; the outcome less what was removed, or the error. */
async function settleAfter(job, made, ran) {
    // rsync went through the whole tree (exit 0, or 23/24: some entries failed): the
    // directories it made have the job's times. Otherwise every displaced entry is put back.
    const exit = ran.failed && ran.failure instanceof TransferError ? ran.failure.rsyncExit : undefined;
    const complete = !ran.failed || exit === RSYNC_PARTIAL || exit === RSYNC_VANISHED;
    const settled = await settleDisplaced(job.destination, made, {
        runFailed: !complete,
        refuse: true,
    }).catch(async (e) => {
        // Cannot read or move (permissions, the disk): nothing of the user's hidden away.
        const kept = await keepDisplaced(job.destination, made.name);
        throw new TransferError(`Cannot put back what rsync moved aside in '${job.destination}' (${(0,util_errors/* errorMessage */.g)(e)}): it is kept in '${kept}' there.`, false);
    });
    let value = ran.failed ? undefined : ran.value;
    for (const r of settled.removed) {
        job.onRetract?.(r.rel);
        if (value)
            value = { ...value, files: value.files - r.files, bytes: value.bytes - r.bytes };
    }
    const lines = settledLines(job, settled);
    if (ran.failed)
        throw withLines(ran.failure, lines);
    if (lines.length > 0) {
        throw new TransferError(rsyncFailure(endpoint(job.host, job.workDir), job.destination, lines.join('\n')), false);
    }
    return value;
}
/** The entries refused and the problems met while settling (the problems also told). */
function settledLines(job, settled) {
    const lines = [...settled.refused];
    const problems = settledProblems(settled);
    if (problems) {
        job.onMessage?.(problems);
        lines.push(problems.replace(/\.$/, ''));
    }
    return lines;
}
/** The run's error with the settle step's lines after its sentence (or as it was, with none). */
function withLines(failure, lines) {
    if (lines.length === 0 || !(failure instanceof Error))
        return failure;
    const message = failure.message.replace(/\.$/, '');
    const hint = failure instanceof TransferError ? failure.hint : undefined;
    return new TransferError(`${message}\n${lines.join('\n')}.`, false, undefined, hint);
}

;// CONCATENATED MODULE: ./src/transfer/rsync/transport.ts



function rsyncTransport(capabilities, remote) {
    return {
        method: remote ? 'rsync over ssh' : 'rsync',
        takesParts: true,
        async attempt(job, a) {
            if (!job.dryRun)
                await makeDestination(job.destination);
            return runRsync({ ...job, filesFrom: a.filesFrom }, {
                timeoutMs: Math.max(a.remainingMs, 1000),
                timeoutSec: job.timeoutSec,
                onProgress: a.onProgress,
                progressEveryMs: job.progressEveryMs,
                capabilities,
                signal: a.signal,
                onChange: job.onChange,
            });
        },
        settle: settleRsync,
    };
}

;// CONCATENATED MODULE: ./src/transfer/choose.ts
/**
 * Which transport moves a job: the pure rule (chooseTransport, unit-tested) and the facts it is
 * given (transportFor: whether rsync is installed here, and for a local job whether its
 * destination is new, the listing of a small tree, and whether parallel streams would split it).
 */







/**
 * A local job of fewer entries than this (after the selection) is copied in-process by the
 * built-in copier, which is exact as `rsync -rltD` (issue 21): no rsync is spawned. Spawning
 * from a large Node process is most of what a campaign of small jobs costs per job
 * (docs/performance-streams.md §d). Anything out of the plain case — a device or socket, an
 * entry that cannot be read, a type change refused — is left to rsync, whose words qq reports.
 * The copier wins on an up-to-date re-run up to about 12,000 files of 1 KiB (0.45× rsync at
 * 4,096, tmpfs, issue 29); the listing that decides is capped here, and costs a tree larger
 * than this no measurable time before rsync runs it. (A new destination is copied in-process
 * at any size: chooseTransport.)
 */
const IN_PROCESS_BELOW_ENTRIES = 4096;
/**
 * The rule: over ssh, rsync; locally, the built-in copier when asked for or without rsync;
 * in-process a small tree of only plain entries (rsync -D makes devices as root; the copier
 * skips them, and sockets), unless it has files enough for parallel streams, or a new
 * destination, unless the job may be split into parallel streams; else rsync.
 */
function chooseTransport(f) {
    if (!f.local)
        return 'rsync over ssh';
    if (f.forceBuiltin || !f.rsync)
        return 'built-in copier';
    const tree = f.smallTree;
    if (tree?.every((e) => e.kind !== 'other')) {
        const files = tree.filter((e) => e.kind === 'file').length;
        if (f.parallel !== true || files < STREAMS_FROM_FILES)
            return 'in-process copy';
    }
    return f.freshDestination === true && f.parallel !== true ? 'in-process copy' : 'rsync';
}
/** The facts for this job, and its transport by the rule. */
async function transportFor(job, s) {
    const local = job.host === undefined;
    // Over ssh rsync runs: its capabilities now (main.ts asked while the scheduler answered).
    if (!local)
        return rsyncTransport(await detectRsync(s.env), true);
    const forceBuiltin = s.forceBuiltin === true;
    // Locally, whether rsync is installed decides, not its version: `rsync --version` (a spawn,
    // most of what a step with nothing to fetch costs beyond Node and the scheduler) is asked
    // only when rsync runs.
    const rsync = !forceBuiltin && (await rsyncInstalled(s.env));
    const below = s.inProcessBelowEntries ?? IN_PROCESS_BELOW_ENTRIES;
    // Looked at only where they can decide: a local job rsync would otherwise run, with the
    // in-process copy allowed (not with `bwlimit`: the copier does not throttle).
    const facts = { local, forceBuiltin, rsync, smallTree: undefined };
    if (!forceBuiltin && rsync && below > 0)
        await gatherFacts(job, s, below, facts);
    const method = chooseTransport(facts);
    if (method === 'built-in copier')
        return copierTransport;
    const viaRsync = localRsync(s.env);
    if (method !== 'in-process copy')
        return viaRsync;
    const why = facts.freshDestination && !facts.parallel ? 'a new destination' : `fewer than ${below} entries`;
    s.debug?.(`'${job.workDir}': ${why}, copied in-process (no rsync spawned)`);
    return inProcessTransport(viaRsync);
}
/** rsync here, asked its capabilities when it first runs (not at all when the copier does all). */
function localRsync(env) {
    return {
        ...rsyncTransport(undefined, false),
        attempt: async (job, a) => rsyncTransport(await detectRsync(env), false).attempt(job, a),
    };
}
/**
 * The facts of a local job, cheapest first, each only where the rule still needs it: the
 * destination (one lstat and one directory read, no walk), the streams asked for, the file
 * system's latency (for `streams: auto`, as plan/index.ts probes it: a few opens), the capped
 * listing.
 */
async function gatherFacts(job, s, below, f) {
    const asked = s.streams ?? 1;
    const slowFs = async () => ((await openLatencyUs(job.workDir)) ?? 0) >= SLOW_OPEN_US;
    f.freshDestination = await isFresh(job.destination);
    if (f.freshDestination) {
        // A new destination: in-process unless streams may split the job.
        if (asked === 'auto')
            f.parallel = await slowFs();
        else
            f.parallel = asked >= 2;
        if (!f.parallel)
            return;
    }
    f.smallTree = await listLocal(job.workDir, job.selection.filter, s.signal, below - 1).catch(() => undefined);
    const files = f.smallTree?.filter((e) => e.kind === 'file').length ?? 0;
    // A small tree with files enough for streams (a limit above STREAMS_FROM_FILES).
    if (f.parallel === undefined && files >= STREAMS_FROM_FILES) {
        f.parallel = asked === 'auto' ? await slowFs() : asked >= 2;
    }
}
/** `dir` does not exist, or is an empty directory (not a symlink to one). */
async function isFresh(dir) {
    const st = await (0,promises_.lstat)(dir).catch((e) => e);
    if (st instanceof Error)
        return st.code === 'ENOENT';
    if (!st.isDirectory())
        return false;
    try {
        const d = await (0,promises_.opendir)(dir);
        try {
            return (await d.read()) === null;
        }
        finally {
            await d.close();
        }
    }
    catch {
        return false;
    }
}

// EXTERNAL MODULE: ./src/util/paths.ts
var util_paths = __webpack_require__(4964);
;// CONCATENATED MODULE: ./src/transfer/locality.ts
/**
 * Where the working directory is read from (docs/qq-behaviour.md §6.3–6.4), and the checks on the values from
 * the info file that reach ssh and rsync. Pure: no I/O.
 */



/** True: copy locally; false: rsync over ssh from the main node. */
function isLocal(input) {
    return locality(input).local;
}
/** The local-or-ssh decision with the rule that made it (for the debug log). */
function locality(input) {
    if (input.sharedStorage === 'true')
        return { local: true, why: 'shared-storage: true' };
    if (input.sharedStorage === 'false')
        return { local: false, why: 'shared-storage: false' };
    if (input.alwaysShared) {
        return { local: true, why: 'the batch system keeps work dirs on shared storage' };
    }
    if (input.env.QQ_SHARED_SUBMIT)
        return { local: true, why: 'QQ_SHARED_SUBMIT is set' };
    if (!input.mainNode)
        return { local: true, why: 'the job has no main node' };
    const here = input.localHosts.find((h) => hostsMatch(h, input.mainNode));
    return here
        ? { local: true, why: `the main node '${input.mainNode}' is this host ('${here}')` }
        : {
            local: false,
            why: `the main node '${input.mainNode}' is not this host (${input.localHosts.join(', ') || 'names not asked'})`,
        };
}
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?$/;
/** A host name or IPv4 address, nothing that ssh could read as an option or a user@ part. */
function validateHost(host) {
    if (host.length > 253 || !HOST_NAME.test(host)) {
        throw new errors/* InputError */.d(`Refusing main node '${host}': it is not a host name (letters, digits, '-' and '.', not starting with '-').`);
    }
    return host;
}
/** An absolute path without `..`, line breaks or NUL: a path from an info file that we use. */
function validateDirectory(value, what) {
    if (!external_node_path_.posix.isAbsolute(value)) {
        throw new errors/* InputError */.d(`Refusing ${what} '${value}': it is not an absolute path.`);
    }
    if (/[\0\n\r]/.test(value)) {
        throw new errors/* InputError */.d(`Refusing ${what}: it holds a line break or NUL character.`);
    }
    if (value.split('/').includes('..')) {
        throw new errors/* InputError */.d(`Refusing ${what} '${value}': it climbs out with '..'.`);
    }
    return value;
}

;// CONCATENATED MODULE: ./src/transfer/select/files.ts
/**
 * The `files` input (qq's `-f`): split as qq splits it, and every entry kept inside the job's
 * working directory. Pure: no I/O.
 */



/** qq's `_split_files`: spaces, colons, commas (and newlines); empty → undefined (everything). */
function splitFiles(text) {
    if (!text)
        return undefined;
    const items = text.split(/[\s:,]+/).filter((s) => s.length > 0);
    return items.length > 0 ? items : undefined;
}
/** qq's message for an entry outside the working directory. */
function notInTargetMessage(item, workDir) {
    return `Item '${item}' is not in target directory '${workDir}'.`;
}
/**
 * Each entry as a path relative to `workDir` (posix, no `.`/`..` left). An absolute entry must
 * lie inside `workDir`; a relative one must not climb out of it (`..`, `sub/../../x`); an entry
 * that could be read as an option is refused.
 */
function validateFiles(entries, workDir) {
    const root = external_node_path_.posix.normalize(workDir).replace(/\/+$/, '') || '/';
    return entries.map((entry) => {
        if (entry.startsWith('-')) {
            throw new errors/* InputError */.d(`Item '${entry}' of 'files' looks like an option; name it as './${entry}' if it is a file.`);
        }
        if (/[\0\n\r]/.test(entry))
            throw new errors/* InputError */.d(`Item of 'files' holds a control character.`);
        const absolute = external_node_path_.posix.isAbsolute(entry) ? entry : `${root}/${entry}`;
        const normalized = external_node_path_.posix.normalize(absolute);
        const relative = (0,util_paths/* relativeInside */.J)(normalized, root);
        if (relative === undefined)
            throw new errors/* QQError */.V(notInTargetMessage(absolute, workDir));
        return relative === '' ? '.' : relative;
    });
}

;// CONCATENATED MODULE: ./src/transfer/job.ts
/**
 * The request a caller makes (TransferRequest), what it gets back (TransferResult), and the one
 * shape every step after the check works on (Job): the request's values checked — what may
 * reach rsync, ssh and the file system — together with the settings that apply to all attempts.
 */





/** The check: the request's paths, host and selection, or the error qq would give. */
function checkJob(req, started) {
    const s = req.settings;
    const workDir = validateDirectory(req.workDir, 'working directory');
    const destination = validateDirectory(req.destination, 'destination');
    const host = req.local ? undefined : validateHost(req.mainNode);
    const files = req.files ? validateFiles(req.files, workDir) : undefined;
    if (req.local && (0,util_paths/* isInside */.F)(destination, workDir)) {
        // A copy into itself would nest deeper on every run (and the copier would recurse).
        throw new errors/* QQError */.V(`Refusing destination '${destination}': it lies inside the job's working directory '${workDir}'.`);
    }
    const selection = selectionOf({ files, exclude: req.exclude, maxSize: req.maxSize });
    return {
        workDir,
        destination,
        host,
        files,
        selection,
        overwrite: s.overwrite,
        dryRun: req.dryRun,
        ssh: s,
        timeoutSec: s.timeoutSec,
        deadline: started + s.timeoutSec * 1000,
        retries: s.retries,
        backoffMs: s.backoffMs,
        signal: s.signal,
        progressEveryMs: s.progressEveryMs,
        onProgress: req.onProgress,
        onMessage: req.onMessage,
        onChange: req.onChange,
        onRetract: req.onRetract,
        sha256: req.sha256,
        ...(s.bwlimitKiB ? { bwlimitKiB: s.bwlimitKiB } : {}),
    };
}
/** The job with the run's own directory (type-change.ts) left out of its selection. */
function withOwnDir(job, ownDir) {
    const f = job.selection.filter;
    const name = ownDir.name;
    return {
        ...job,
        // Every other field of the filter (maxSize, pruneEmptyDirs, …) as it was.
        selection: {
            ...job.selection,
            filter: { ...f, excludes: (rel, isDir) => rel === name || f.excludes(rel, isDir) },
        },
        ownDir,
    };
}

;// CONCATENATED MODULE: ./src/transfer/index.ts
/**
 * The `transfer/` room: fetch one job's working directory into its destination, locally or
 * over ssh from the main node, with rsync or (locally) the built-in copier; under a lock on
 * the destination, within the transfer timeout, retrying transient failures with backoff.
 *
 * This file is the façade, one named step each: check (job.ts) → choose the transport
 * (choose.ts) → lock (lock/) → run the parts (plan/: one run of the tool, or a large tree as
 * parallel streams) → settle (the transport's own step: rsync's backup directory,
 * rsync/settle.ts) → result. Beside it: the transports (transport.ts, builtin.ts,
 * in-process.ts, rsync/), ssh (ssh/), what the user selects (select/, path-filter.ts), the
 * change log (changes.ts), the one retry (retry.ts), and the rules of a type change shared
 * by rsync and the copier (type-change.ts, copier/).
 */











/** Fetch one job's working directory, retrying transient failures, under the destination's lock. */
async function transferJob(req) {
    const started = Date.now();
    const job = checkJob(req, started);
    const transport = await transportFor(job, req.settings);
    await connectFirst(job);
    // A dry run writes nothing: no lock, no run's own directory, nothing to settle.
    const out = job.dryRun
        ? await runJob(transport)(job, async () => { })
        : await locked(job, transport);
    return resultOf(out, started);
}
/** What the caller is told: the outcome and the time it took, retries and waits included. */
function resultOf(out, started) {
    return {
        files: out.files,
        bytes: out.bytes,
        method: out.method,
        attempts: out.attempts,
        parts: out.parts,
        durationMs: Date.now() - started,
        ...(out.overMaxSize ? { overMaxSize: out.overMaxSize } : {}),
    };
}
/** The run's shared ssh connection to the main node, opened first (whatever it answers). */
async function connectFirst(job) {
    const s = job.ssh;
    if (!job.host || !s.connect)
        return;
    const connectSec = s.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC;
    await s.connect(job.host, Math.max(Math.min((connectSec + 5) * 1000, job.deadline - Date.now()), 1000));
}
/** The whole job: the transport's own run, or the parts (plan/). */
function runJob(transport) {
    return transport.run ?? ((job, prepare) => runParts(transport, job, prepare));
}
/**
 * Under the destination's lock, with the run's own directory (type-change.ts) left out of the
 * job: the run, and the transport's settle step around it.
 */
function locked(job, transport) {
    return withDestinationLock(job.destination, (lock) => {
        const own = withOwnDir(job, { name: displacedName(lock.token), backup: false });
        const run = runJob(transport);
        return transport.settle ? transport.settle(lock, own, run) : run(own, async () => { });
    }, {
        timeoutMs: job.timeoutSec * 1000,
        onWait: () => job.onMessage?.(`Waiting for another sync into '${job.destination}' to finish.`),
        onLost: (reason) => job.onMessage?.(reason),
        onMessage: (text) => job.onMessage?.(text),
        signal: job.signal,
    });
}

;// CONCATENATED MODULE: ./src/action/fetch/bwlimit.ts
/**
 * `bwlimit` on a shared login node: the whole step's rate, divided evenly over the most rsyncs
 * the step can run at once, so that together they never exceed it (rsync's --bwlimit is per
 * process). The built-in copier cannot throttle: with a limit, local jobs go through rsync,
 * and where there is no rsync a warning says the limit is not applied.
 */



/** Streams of one job at most: `streams: auto` starts no more rsyncs than usable cores. */
function maxStreams(streams, cores = usableCores()) {
    return streams === 'auto' ? Math.max(1, Math.min(AUTO_STREAMS, cores)) : streams;
}
/**
 * Each rsync's `--bwlimit` in KiB/s: the total over (jobs at once × streams of each), at least
 * 1; undefined without a limit. `jobs`: how many jobs the step fetches (fewer than `parallel`
 * run fewer at once).
 */
function bwlimitShare(settings, jobs, cores) {
    // The cores (cgroup files read) only with a limit: this is asked for every job.
    if (settings.bwlimit === undefined)
        return undefined;
    const atOnce = Math.max(1, Math.min(settings.parallel, jobs)) *
        maxStreams(settings.streams, cores ?? usableCores());
    return Math.max(1, Math.floor(settings.bwlimit / atOnce));
}
/** With a limit, where no rsync is installed: one warning (the copier copies unthrottled). */
async function warnBwlimitUnapplied(settings, env, warn) {
    if (settings.bwlimit === undefined || (await detectRsync(env)))
        return;
    warn(`bwlimit: ${settings.bwlimit} KiB/s is not applied: rsync is not installed here, and the built-in copier, which copies local jobs without it, cannot limit its rate.`);
}

;// CONCATENATED MODULE: ./src/exec/hosts.ts
/**
 * This host's names, to tell whether a job's main node is this machine, decided as qq decides
 * it (docs/qq-behaviour.md §6.3, §10.1): qq ≥ 0.10 compares the main node with Python's
 * `socket.getfqdn()`, qq ≤ 0.9 with `socket.gethostname()`.
 *
 * `getfqdn()` resolves `gethostname()` to its first address (getaddrinfo), looks that address
 * up (gethostbyaddr: a canonical name and aliases) and takes the first of those names with a
 * dot, else the canonical name; `gethostname()` when a lookup fails. Both lookups go through
 * the system's resolver here as well (Node's dns.lookup is getaddrinfo; `getent hosts <addr>`
 * is glibc's gethostbyaddr through nsswitch), so /etc/hosts, DNS and NIS give the answer they
 * give Python. The names returned: getfqdn() (qq ≥ 0.10), gethostname() (qq ≤ 0.9), and the
 * other names the resolver gives this machine's address — a main node named by one of those
 * is this machine, and copying locally reads the very files ssh to it would: a harmless
 * widening of qq's one comparison, as the short name is. Asked once per run.
 */


/** Python's choice among the names of an address: the first with a dot, else the first. */
function fqdnOf(names, fallback) {
    return names.find((n) => n.includes('.')) ?? names[0] ?? fallback;
}
/** gethostbyaddr through `getent hosts <address>`: `<address> <canonical> <alias>…`. */
async function namesOfAddress(address) {
    const r = await (0,exec_run/* runCommand */.d1)(['getent', 'hosts', address], { timeoutMs: 5000 });
    if (r.code !== 0)
        return [];
    const line = r.stdout.split('\n', 1)[0] ?? '';
    return line.trim().split(/\s+/).slice(1).filter(Boolean);
}
async function resolveLocalNames(name = (0,external_node_os_.hostname)()) {
    try {
        // node:dns on first use: most steps never ask (shared-storage: true, or no main node).
        const { address } = await process.getBuiltinModule('node:dns/promises').lookup(name);
        const resolved = await namesOfAddress(address);
        return { hostname: name, fqdn: fqdnOf(resolved, name), resolved };
    }
    catch {
        return { hostname: name, fqdn: name, resolved: [] };
    }
}
let names;
/** getfqdn() first, then gethostname(), then the other names of this host's address. */
function localHostNames() {
    names ??= resolveLocalNames().then((n) => [
        ...new Set([n.fqdn, n.hostname, ...n.resolved].filter((h) => h && !/\s/.test(h))),
    ]);
    return names;
}

;// CONCATENATED MODULE: ./src/action/fetch/job-context.ts
/**
 * What every job of a run shares: the settings, the environment, the run's ssh connections;
 * and what follows from them for one job (its destination, its transfer settings, whether
 * its working directory is read here or over ssh).
 */




const job_context_GLOB_CHARS = /[*?[\]{}]/;
/**
 * Whether each job gets `<destination>/<job_id>`: from the inputs alone, never from how many
 * jobs they matched (an hourly pull of a growing campaign must not move its results). Several
 * targets (`path` lines and `job-id`s together), a `path` that is a pattern, or `shard` (one of
 * several steps into one destination): one directory per job. One plain directory, one
 * .qqinfo file or one job id: the destination itself, as qq puts such jobs in their input
 * directory.
 */
function perJobDirectories(settings) {
    const targets = new Set(settings.jobIds).size + settings.paths.length;
    return (settings.shard !== undefined || targets > 1 || settings.paths.some((p) => job_context_GLOB_CHARS.test(p)));
}
/** The job's destination directory (absolute). */
function destinationOf(jobId, inputDir, ctx) {
    const dest = ctx.settings.destination;
    if (!dest)
        return inputDir;
    return ctx.multiple ? external_node_path_.join(dest, jobId) : dest;
}
/**
 * Tests of rsync's own path through the bundle set this to 0, so that a small local job is
 * fetched by rsync rather than in-process (CONTRIBUTING.md). Anything but a plain number
 * leaves the default.
 */
const IN_PROCESS_ENV = 'QQ_SYNC_IN_PROCESS_BELOW_ENTRIES';
function inProcessBelow(env) {
    const value = env[IN_PROCESS_ENV];
    return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
/** The ssh options of the settings, as the pool and the transfers use them. */
function sshSettingsOf(settings, env) {
    return {
        sshOptions: settings.sshOptions,
        strictHostKeyChecking: settings.strictHostKeyChecking,
        env,
    };
}
function transferSettings(ctx) {
    const s = ctx.settings;
    const pool = ctx.ssh;
    return {
        ...sshSettingsOf(s, ctx.env),
        overwrite: s.overwrite,
        timeoutSec: s.transferTimeoutSec,
        retries: s.retries,
        streams: s.streams,
        // The built-in copier does not throttle: with a limit, rsync copies (bwlimit.ts).
        bwlimitKiB: bwlimitShare(s, ctx.jobs ?? s.parallel),
        inProcessBelowEntries: s.bwlimit === undefined ? inProcessBelow(ctx.env) : 0,
        debug: ctx.debug,
        controlDir: pool?.controlDir,
        connect: pool ? (host, timeoutMs) => pool.connect(host, timeoutMs) : undefined,
        signal: ctx.signal,
    };
}
/** Whether the job's working directory is read here (true) or over ssh from its main node. */
async function readsLocally(job, ctx) {
    const input = {
        sharedStorage: ctx.settings.sharedStorage,
        alwaysShared: job.system?.alwaysShared ?? false,
        env: ctx.env,
        mainNode: job.info?.mainNode,
        localHosts: [],
    };
    // Without this host's names the answer is only "remote" when they could change it: ask
    // `hostname -f` (once per run) only then.
    if (!isLocal(input) && ctx.settings.sharedStorage === 'auto') {
        input.localHosts = await localHostNames();
    }
    const decided = locality(input);
    if (!explained.has(job)) {
        explained.add(job);
        ctx.debug?.(`${job.label}: ${decided.local ? 'reads its working directory locally' : `fetches over ssh from '${input.mainNode}'`}: ${decided.why}`);
    }
    return decided.local;
}
/** Jobs whose local-or-ssh decision is in the debug log already (follow asks on every poll). */
const explained = new WeakSet();

;// CONCATENATED MODULE: ./src/action/fetch/ssh-pool.ts
/**
 * The run's shared ssh connections: one master per host (ControlMaster), opened once before
 * the host's first transfer so that parallel jobs do not each make a handshake, and closed at
 * the end of the run.
 */




class SshPool {
    controlDir;
    settings;
    debug;
    /** The hosts this run has used over ssh (each may hold a master to close). */
    hosts = new Set();
    masters = new Map();
    constructor(
    /** The private directory of the control sockets. */
    controlDir, settings, debug) {
        this.controlDir = controlDir;
        this.settings = settings;
        this.debug = debug;
    }
    /** A pool with a new private control directory. */
    static async open(settings, debug = () => { }) {
        const controlDir = await (0,promises_.mkdtemp)(external_node_path_.join((0,external_node_os_.tmpdir)(), 'qqs-'));
        return new SshPool(controlDir, { ...settings, controlDir }, debug);
    }
    /** Note that the run reads from `host` over ssh (its master, if any, is closed at the end). */
    use(host) {
        this.hosts.add(host);
    }
    /** The shared connection to `host`, opened once for the run (all its jobs wait for it). */
    connect(host, timeoutMs) {
        let opening = this.masters.get(host);
        if (!opening) {
            this.use(host);
            opening = openSharedConnection(host, this.settings, timeoutMs).then((r) => this.debug(r.open
                ? `ssh: shared connection to '${host}' open ${r.detail}`
                : `ssh: no shared connection to '${host}' (${r.detail}); each transfer connects by itself`));
            this.masters.set(host, opening);
        }
        return opening;
    }
    /** Close every master (one `ssh -O exit` per host) and remove the control directory. */
    async close() {
        await closeSharedConnections(this.hosts, this.settings).catch(() => { });
        await (0,promises_.rm)(this.controlDir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/action/report/log.ts
/**
 * The log: qq's messages per job, and text from the cluster fenced by `::stop-commands::` so
 * that it can never act as a workflow command.
 *
 * A group's title is printed before its lines, yet should say how the job ended
 * (`✔ 5001.pbs-m1 (ala-300K): fetched 4 files, 157 B`). So with several jobs, which run in
 * parallel and end in an order that differs from run to run, a job's lines are kept and
 * printed as one group, titled with its outcome, once all are done: in the summary's order
 * (report.ts reportOrder), the same on two identical runs. Progress lines of long transfers
 * are printed at once, prefixed with the job. A single job's lines are printed as they come,
 * ungrouped (there is nothing to tell apart), and its outcome follows them as one line.
 */

/** Print text that came from the cluster (file names, job output, ssh/rsync messages). */
function printUntrusted(text, write = core/* info */.pq) {
    // node:crypto on first use: some 50 internal modules that a run printing nothing skips.
    const token = process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex');
    write(`::stop-commands::${token}`);
    for (const line of text.split(/\r?\n|\r/))
        write(line);
    write(`::${token}::`);
}
/**
 * What could make a line act as a workflow command: a line break (a new line may start with
 * `::`), the `::` form anywhere, or the runner's older `##[command]` form anywhere.
 */
const UNSAFE = /[\r\n]|::|##\[/;
/** A title quotes the job name from the info file: made harmless and kept on one line. */
function safeTitle(title) {
    return title
        .replace(/[\r\n]+/g, ' ')
        .replaceAll('::', ': :')
        .replaceAll('##[', '# #[');
}
/** A job's log: live for a single job, kept and printed whole, as a group, for several. */
class JobLog {
    live;
    /** Logs still keeping lines: printed by flushOpen when the run is cut short. */
    static open = new Set();
    /** Logs of jobs that are done, by their key, until printInOrder prints them. */
    static ended = new Map();
    lines = [];
    title;
    outcome = '';
    constructor(title, live) {
        this.live = live;
        this.title = safeTitle(title);
        if (!live)
            JobLog.open.add(this);
    }
    /**
     * A message of ours (qq's wording). Messages quote values from info files, so one that could
     * hold a workflow command (a line break or `::`) is fenced like cluster text.
     */
    info(message) {
        if (UNSAFE.test(message))
            this.untrusted(message);
        else
            this.emit(message);
    }
    /** Text from the cluster. */
    untrusted(text) {
        printUntrusted(text, (l) => this.emit(l));
    }
    /** Progress of a long transfer: printed at once, also when the rest is kept. */
    progress(line) {
        if (this.live)
            this.emit(line);
        else
            core/* info */.pq(`[${this.title}] ${line}`);
    }
    emit(line) {
        if (this.live)
            core/* info */.pq(line);
        else
            this.lines.push(line);
    }
    /**
     * The job is done: `outcome` (`✔ …: fetched 4 files, 157 B`) titles its group, printed by
     * printInOrder when it is that `key`'s turn (at once without a key).
     */
    end(outcome, key) {
        this.outcome = safeTitle(outcome);
        if (this.live) {
            core/* info */.pq(this.outcome);
            return;
        }
        JobLog.open.delete(this);
        if (key === undefined)
            this.print();
        else
            JobLog.ended.set(key, this);
    }
    print() {
        core/* startGroup */.Oh(this.outcome);
        for (const l of this.lines)
            core/* info */.pq(l);
        core/* endGroup */.N4();
    }
    /** Print the groups of the jobs that are done: those of `keys` in their order, then the rest. */
    static printInOrder(keys) {
        for (const key of keys) {
            const log = JobLog.ended.get(key);
            if (!log)
                continue;
            JobLog.ended.delete(key);
            log.print();
        }
        for (const log of JobLog.ended.values())
            log.print();
        JobLog.ended.clear();
    }
    /** The run is cut short: print the jobs done (in `keys`' order), then what the others logged. */
    static flushOpen(keys = []) {
        JobLog.printInOrder(keys);
        for (const log of [...JobLog.open])
            log.end(`… ${log.title}: not finished`);
    }
}

;// CONCATENATED MODULE: ./src/transfer/changes.ts
const KINDS = ['file', 'symlink'];
/** A record `retract` took back. */
const GONE = 255;
/**
 * One entry per path: a later attempt (after a retry) replaces an earlier record.
 *
 * Kept compact while the transfer runs: the paths' bytes in one buffer, the numbers in typed
 * arrays, no object per record. A job of 100,000 files made one object, one string and one
 * map entry per file that all lived to the end: the young generation, seeing most of what it
 * held survive, grew to four times its size (the copier alone on 100,000 files: 77 MiB peak
 * RSS, 118 MiB with its records kept as objects; issue 29). Duplicates (a path recorded again
 * by a retry) are resolved when the records are read, the latest one kept.
 */
class ChangeLog {
    count = 0;
    // Small at first, doubled as records come: a campaign keeps one log per job (4,000 logs of
    // 89 KB each made a 4,000-job step 273 MiB where it had been 237).
    bytes = Buffer.allocUnsafe(256);
    used = 0;
    /** Where record i's path ends in `bytes` (it starts where record i - 1's ends). */
    ends = new Float64Array(8);
    kinds = new Uint8Array(8);
    sizes = new Float64Array(8);
    mtimes = new Float64Array(8);
    /** Record index → SHA-256, for the few transports that give one. */
    hashes = new Map();
    add = (entry) => {
        const i = this.count;
        if (i === this.kinds.length)
            this.grow();
        const bytes = entry.rel.length; // a byte string: one char per byte
        if (this.used + bytes > this.bytes.length) {
            const more = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + bytes));
            this.bytes.copy(more, 0, 0, this.used);
            this.bytes = more;
        }
        this.used += this.bytes.write(entry.rel, this.used, 'latin1');
        this.ends[i] = this.used;
        this.kinds[i] = entry.kind === 'file' ? 0 : 1;
        this.sizes[i] = entry.size;
        this.mtimes[i] = entry.mtimeSec;
        if (entry.sha256)
            this.hashes.set(i, entry.sha256);
        this.count = i + 1;
    };
    grow() {
        const n = this.kinds.length * 2;
        const bigger = (a, make) => {
            const b = make(n);
            b.set(a);
            return b;
        };
        this.ends = bigger(this.ends, (k) => new Float64Array(k));
        this.kinds = bigger(this.kinds, (k) => new Uint8Array(k));
        this.sizes = bigger(this.sizes, (k) => new Float64Array(k));
        this.mtimes = bigger(this.mtimes, (k) => new Float64Array(k));
    }
    start(i) {
        return i === 0 ? 0 : this.ends[i - 1];
    }
    relOf(i) {
        return this.bytes.toString('latin1', this.start(i), this.ends[i]);
    }
    /** `rel` and what is under it are gone again (a directory removed after the transfer). */
    retract = (rel) => {
        const key = Buffer.from(rel, 'latin1');
        const n = key.length;
        for (let i = 0; i < this.count; i++) {
            const s = this.start(i);
            const len = this.ends[i] - s;
            if (len < n || this.bytes.compare(key, 0, n, s, s + n) !== 0)
                continue;
            if (len === n || this.bytes[s + n] === 0x2f)
                this.kinds[i] = GONE;
        }
    };
    /** Record a's path is before record b's in byte order. */
    before(a, b) {
        const p = this.bytes;
        let x = this.start(a);
        let y = this.start(b);
        const xEnd = this.ends[a];
        const yEnd = this.ends[b];
        for (; x < xEnd && y < yEnd; x++, y++) {
            if (p[x] !== p[y])
                return p[x] < p[y];
        }
        return xEnd - x < yEnd - y;
    }
    /**
     * The records are each the only one of its path and already in byte order (a walk's
     * order, but for names with bytes below '/'): then nothing needs sorting or a string.
     */
    inOrder() {
        for (let i = 0; i < this.count; i++) {
            if (this.kinds[i] === GONE || (i > 0 && !this.before(i - 1, i)))
                return false;
        }
        return true;
    }
    /** The live records' indices, one per path (the latest), in byte order of their paths. */
    latest() {
        const rels = new Array(this.count);
        const order = [];
        for (let i = 0; i < this.count; i++) {
            if (this.kinds[i] === GONE)
                continue;
            rels[i] = this.relOf(i);
            order.push(i);
        }
        // Byte order (a byte string compares as its bytes), the later record after the earlier.
        order.sort((a, b) => {
            const x = rels[a];
            const y = rels[b];
            return x < y ? -1 : x > y ? 1 : a - b;
        });
        let kept = 0;
        for (let k = 0; k < order.length; k++) {
            const i = order[k];
            const next = order[k + 1];
            if (next !== undefined && rels[next] === rels[i])
                continue; // a later record replaces it
            order[kept++] = i;
        }
        order.length = kept;
        return { rels, order };
    }
    /** The regular files recorded, and their bytes: what a run that failed did fetch. */
    fetched() {
        const n = { files: 0, bytes: 0 };
        for (const i of this.latest().order) {
            if (this.kinds[i] !== 0)
                continue;
            n.files++;
            n.bytes += this.sizes[i];
        }
        return n;
    }
    get size() {
        return this.latest().order.length;
    }
    /**
     * The paths (as `pathOf` shows a record's), one per path, in byte order: a view made as it
     * is read, not one string per path kept (a job of 100,000 files).
     */
    paths(pathOf) {
        const order = this.inOrder() ? undefined : this.latest().order;
        const length = order ? order.length : this.count;
        const log = this;
        return {
            length,
            *[Symbol.iterator]() {
                // All the paths' bytes decoded in one call, each path a slice of it: a call into the
                // buffer's decoder per path cost more than the rest of the report (issue 29).
                const all = log.bytes.toString('latin1', 0, log.used);
                for (let k = 0; k < length; k++) {
                    const i = order ? order[k] : k;
                    yield pathOf(all.slice(log.start(i), log.ends[i]));
                }
            },
        };
    }
    /** In byte order of their paths, as rsync walks (stable across runs and transports). */
    entries() {
        const { rels, order } = this.latest();
        return order.map((i) => {
            const sha256 = this.hashes.get(i);
            return {
                rel: rels[i],
                kind: KINDS[this.kinds[i]],
                size: this.sizes[i],
                mtimeSec: this.mtimes[i],
                ...(sha256 ? { sha256 } : {}),
            };
        });
    }
}
/**
 * JSON of a path list stays under this many bytes in one output: GitHub takes up to 1 MiB per
 * output (and 50 MiB per run), and the `jobs` output carries the per-job lists as well.
 */
const CHANGED_LIST_LIMIT = 256 * 1024;
/** The changed paths of every job, one after the other. */
function* allChangedFiles(results) {
    for (const r of results)
        if (r.changedFiles)
            yield* r.changedFiles;
}
/** Characters JSON.stringify writes as they are, each one byte of UTF-8: printable ASCII. */
const PLAIN_JSON = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** The bytes of JSON.stringify(p) in UTF-8 (most paths: their length and the quotes). */
function jsonBytes(p) {
    return PLAIN_JSON.test(p) ? p.length + 2 : Buffer.byteLength(JSON.stringify(p));
}
/** Paths stringified together, natively: one JSON.stringify per path cost more (issue 29). */
const BATCH = 2048;
/** JSON.stringify of `paths` as an array, as UTF-8 bytes (without a string per path kept). */
function jsonArray(paths) {
    let out = Buffer.allocUnsafe(64 * 1024);
    let used = 0;
    const put = (text) => {
        const need = used + Buffer.byteLength(text);
        if (need > out.length) {
            const more = Buffer.allocUnsafe(Math.max(out.length * 2, need));
            out.copy(more, 0, 0, used);
            out = more;
        }
        used += out.write(text, used);
    };
    // JSON.stringify of an array of strings is '[', each string's JSON joined by ',', ']'.
    let batch = [];
    const flush = () => {
        const json = JSON.stringify(batch);
        put(used === 1 ? json.slice(1, -1) : `,${json.slice(1, -1)}`);
        batch = [];
    };
    put('[');
    for (const p of paths) {
        batch.push(p);
        if (batch.length === BATCH)
            flush();
    }
    if (batch.length > 0)
        flush();
    put(']');
    return out.subarray(0, used);
}
/** The first paths whose JSON array fits in `budget.left` bytes (which it uses up). */
function takeWithin(paths, budget) {
    const shown = [];
    let used = 2; // []
    for (const p of paths) {
        const cost = jsonBytes(p) + 1;
        if (used + cost > budget.left)
            break;
        used += cost;
        shown.push(p);
    }
    budget.left -= used;
    return shown;
}

;// CONCATENATED MODULE: ./src/action/report/changes-output.ts
/**
 * The outputs that need files under RUNNER_TEMP: the full `changed-files` list when it does
 * not fit in a step output, and the manifest. Written synchronously: a cancelled run reports
 * just before the process exits.
 */






/**
 * A fetched entry's path for people and workflows: relative to the workspace, else absolute.
 * The destination's part is worked out once: a job of 100,000 files asks for each of them.
 */
function workspacePaths(workspace, destination) {
    const inside = (0,util_paths/* relativeInside */.J)(destination, workspace);
    const base = inside ?? external_node_path_.normalize(destination).replace(/\/+$/, '');
    // rel is a relative name made by a walk or rsync: no '.', '..' or empty parts to normalise.
    return (rel) => (inside === '' ? displayPath(rel) : `${base}/${displayPath(rel)}`);
}
function outputDir(env) {
    return (0,external_node_fs_.mkdtempSync)(external_node_path_.join(env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'qq-sync-'));
}
/** `changed-files-file` (when the list is too long for its output) and `manifest`. */
function writeChangeOutputs(results, o) {
    const out = { 'changed-files-file': '', manifest: '' };
    const json = jsonArray(allChangedFiles(results));
    let dir;
    if (json.length > CHANGED_LIST_LIMIT) {
        const count = results.reduce((n, r) => n + (r.changedFiles?.length ?? 0), 0);
        dir ??= outputDir(o.env);
        out['changed-files-file'] = external_node_path_.join(dir, 'changed-files.json');
        (0,external_node_fs_.writeFileSync)(out['changed-files-file'], json);
        o.info(`changed-files holds the first of ${count} changed paths (a step output is limited in size); all of them are in ${out['changed-files-file']} (output changed-files-file).`);
    }
    if (o.manifest) {
        dir ??= outputDir(o.env);
        out.manifest = external_node_path_.join(dir, 'manifest.json');
        const files = results.flatMap((r) => {
            const pathOf = workspacePaths(o.workspace, r.destination);
            return (r.changes ?? []).map((e) => ({
                path: pathOf(e.rel),
                job: r.id,
                kind: e.kind,
                size: e.size,
                mtime: new Date(e.mtimeSec * 1000).toISOString(),
                ...(e.sha256 ? { sha256: e.sha256 } : {}),
            }));
        });
        const manifest = {
            tool: 'qq-sync',
            created: new Date().toISOString(),
            workspace: o.workspace,
            dryRun: o.dryRun,
            checksums: o.checksums && !o.dryRun ? 'sha256' : null,
            files,
        };
        (0,external_node_fs_.writeFileSync)(out.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
        o.info(`Manifest of the ${files.length} fetched file(s): ${out.manifest}.`);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/action/report/manifest.ts
/**
 * The provenance manifest (`manifest: true`): every file and symlink this run fetched, with
 * its path (relative to the workspace), size and mtime, and with `checksums: true` the
 * SHA-256 of each file — for a later step to verify the files or to attest them.
 *
 * A transport may hand the hash with its change record (the copier can hash what it reads
 * anyway); otherwise the file is read once more from the destination after the transfer
 * (rsync: it does not report content hashes). That second read is what `checksums` costs.
 */


const CHUNK = 1024 * 1024;
/** SHA-256 of the file at `file` (a symlink there is refused: only what was written is read). */
async function sha256Of(file, signal) {
    const handle = await (0,promises_.open)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW);
    try {
        // node:crypto on first use, as the copier loads it: a run without checksums skips it.
        const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
        const buf = Buffer.allocUnsafe(CHUNK);
        for (;;) {
            signal?.throwIfAborted();
            const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
            if (bytesRead === 0)
                break;
            hash.update(buf.subarray(0, bytesRead));
        }
        return hash.digest('hex');
    }
    finally {
        await handle.close();
    }
}
/** Give each written file without a hash its SHA-256, read from `destination`. */
async function hashChanges(entries, destination, signal) {
    for (const e of entries) {
        if (e.kind !== 'file' || e.sha256)
            continue;
        const file = Buffer.concat([Buffer.from(`${destination}/`), Buffer.from(e.rel, 'latin1')]);
        e.sha256 = await sha256Of(file, signal);
    }
}

;// CONCATENATED MODULE: ./src/action/fetch/unmatched-exclude.ts
/**
 * `exclude` patterns that matched nothing. rsync leaves out nothing for such a pattern and says
 * nothing, so a typo (`*.xtc ` for `*.xtc`, `scratch` for the `Scratch/` the job writes) passes
 * as a green step that fetched the very files it was meant to leave out. The action warns about
 * a pattern that matched nothing in any job it fetched (main.ts), as for a `files` entry.
 *
 * A job's tree is walked where it is read here (shared storage, or the input directory): the
 * same rules as the transfer (filter-rules.ts, rsync's `rule_matches`), names as bytes, no
 * symlink followed, no excluded directory entered (rsync does not enter one either).
 */



/** The walk stops after this many entries: a bigger tree cannot tell (no warning then). */
const EXCLUDE_WALK_LIMIT = 20_000;
function excludeCheck(patterns) {
    return patterns.length > 0
        ? { unmatched: new Set(patterns), checked: 0, unknown: false }
        : undefined;
}
/**
 * Remove from `unmatched` each pattern that matches something under `root`. False when the
 * tree could not be walked to its end (too big, unreadable).
 */
async function matchExcludes(root, unmatched) {
    const compiled = [...unmatched].map((pattern) => ({
        pattern,
        rule: compileRule({ include: false, pattern: Buffer.from(pattern).toString('latin1') }),
    }));
    let seen = 0;
    const walk = async (dir, rel) => {
        let entries;
        try {
            entries = await (0,promises_.readdir)(dir, { encoding: 'buffer', withFileTypes: true });
        }
        catch {
            return false;
        }
        for (const entry of entries) {
            if (++seen > EXCLUDE_WALK_LIMIT)
                return false;
            const name = entry.name.toString('latin1');
            const path = rel ? `${rel}/${name}` : name;
            const isDir = entry.isDirectory();
            let excluded = false;
            for (const c of compiled) {
                if (!ruleMatches(c.rule, path, isDir))
                    continue;
                excluded = true;
                unmatched.delete(c.pattern);
            }
            if (unmatched.size === 0)
                return true;
            if (isDir && !excluded) {
                const child = Buffer.concat([dir, Buffer.from(`/${name}`, 'latin1')]);
                if (!(await walk(child, path)))
                    return false;
            }
        }
        return true;
    };
    return walk(Buffer.from(root), '');
}
/** The warning for a pattern that matched nothing in the `checked` jobs. */
function unmatchedExcludeMessage(pattern, checked) {
    return `'exclude' pattern '${pattern}' matched nothing in ${checked === 1 ? "the job's files" : `the files of any of the ${checked} jobs`}: nothing was left out for it.`;
}
/** One warning per `exclude` pattern that matched nothing in any job whose files were read. */
function warnUnmatchedExcludes(check) {
    if (!check || check.unknown || check.checked === 0)
        return;
    for (const pattern of check.unmatched) {
        warnEarly(unmatchedExcludeMessage(pattern, check.checked), {
            title: `qq-sync: exclude '${pattern}' matched nothing`,
        });
    }
}

;// CONCATENATED MODULE: ./src/action/fetch/unmatched-files.ts
/**
 * `files` entries that matched nothing. qq skips them silently (exit 0, nothing copied) and so
 * does the transfer; the action keeps that verdict but warns, so that a typo does not pass as
 * a green step with 0 files. Checked after the transfer, in the destination: whatever an entry
 * matched in the working directory is there now (nothing is ever deleted from it), locally and
 * over ssh alike, without another round trip to the node.
 */





/**
 * Whether some path below `dir` (relative to it: `rel`) matches `pattern`, which holds `**`
 * and so may cross '/' (rsync's rule for the entry, anchored there). Symlinks are not followed.
 */
async function anyBelow(dir, pattern, rel = '') {
    let entries;
    try {
        entries = await (0,promises_.readdir)(dir, { encoding: 'buffer', withFileTypes: true });
    }
    catch {
        return false;
    }
    for (const e of entries) {
        const r = rel ? `${rel}/${e.name.toString('latin1')}` : e.name.toString('latin1');
        if (wildmatch(pattern, r))
            return true;
        if (e.isDirectory() &&
            (await anyBelow(Buffer.concat([dir, Buffer.from('/'), e.name]), pattern, r))) {
            return true;
        }
    }
    return false;
}
/**
 * Whether `segments` (relative to `dir`, wildcards allowed, as byte strings) name anything
 * under `dir`. Names are read as bytes, so that a name that is not UTF-8 matches as rsync
 * matches it. From a segment with `**` on, the rest is matched against whole paths below.
 */
async function exists(dir, segments) {
    if (segments.length === 0)
        return true;
    const [first, ...rest] = segments;
    if (first.includes('**'))
        return anyBelow(dir, segments.join('/'));
    let names;
    try {
        names = (await (0,promises_.readdir)(dir, { encoding: 'buffer' })).map((n) => n.toString('latin1'));
    }
    catch {
        return false;
    }
    // rsync compares a pattern without wildcards literally (a backslash is then just a byte).
    const matches = hasWildcard(first)
        ? names.filter((n) => wildmatch(first, n))
        : names.filter((n) => n === first);
    for (const name of matches) {
        const child = Buffer.concat([dir, Buffer.from(`/${name}`, 'latin1')]);
        if (await exists(child, rest))
            return true;
    }
    return false;
}
/** Whether the entry `rel` (a byte string) selects `name`: itself, or something under it. */
function selects(rel, name) {
    return [`/${rel}`, `/${rel}/***`].some((pattern) => ruleMatches(compileRule({ include: true, pattern }), name, false));
}
/** The entries of `files` (as the user wrote them) with nothing of theirs in `destination`. */
async function unmatchedFiles(files, workDir, destination, 
/** `exclude`: an entry it leaves out is not reported (exclude wins, as documented). */
exclude = [], 
/** Files `max-size` left out (byte strings, relative): an entry that matched one is not "nothing". */
overMaxSize = []) {
    const relative = validateFiles(files, workDir);
    const out = { nothing: [], overMaxSize: [] };
    for (let i = 0; i < files.length; i++) {
        const rel = relative[i];
        if (rel === '.')
            continue;
        const bytes = Buffer.from(rel).toString('latin1');
        if (excludedByPatterns(exclude, bytes))
            continue;
        const segments = bytes.split('/');
        if (await exists(Buffer.from(destination), segments))
            continue;
        const entry = files[i];
        if (overMaxSize.some((name) => selects(bytes, name)))
            out.overMaxSize.push(entry);
        else
            out.nothing.push(entry);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/action/fetch/transfer.ts
/**
 * The transfer of one job's files into its destination, and what follows it: the counts and
 * the line that says how much came how, the `files` entries and `exclude` patterns that matched
 * nothing, the manifest's hashes, the cache. Used for the working directory (sync-job.ts) and
 * for the input directory qq synchronized into (input-dir.ts) alike.
 */












/**
 * qq's words for a `files` entry outside the working directory name no input: say it is the
 * `files` input (the transfer layer checks the same again, as it must for any caller).
 */
function checkFilesInput(files, workDir, result) {
    try {
        validateFiles(files, workDir);
    }
    catch (e) {
        if (!(e instanceof errors/* QQError */.V) || e instanceof errors/* InputError */.d)
            throw e;
        // qq's sentence stays the reason as it is; ours goes next to it.
        result.hint =
            "It is an entry of the 'files' input, which takes paths inside the job's working directory (relative to it, or absolute under it).";
        throw e; // fail() logs the hint after qq's sentence
    }
}
/** What `exclude` and `max-size` leave out, after qq's line (an addition to qq). */
function leftOutMessage(exclude, maxSize) {
    const parts = [
        ...(exclude.length > 0 ? [`'${exclude.join("', '")}'`] : []),
        ...(maxSize === undefined ? [] : [`files over ${(0,util_bytes/* formatBytes */.z)(maxSize)}`]),
    ];
    return parts.length > 0 ? `Leaving out ${parts.join(' and ')}.` : '';
}
/** The transfer from `source` into `result.destination`, then the counts, checks and cache. */
async function transfer(source, files, result, ctx, log) {
    const leftOut = leftOutMessage(ctx.settings.exclude, ctx.settings.maxSize);
    if (leftOut)
        log.info(leftOut);
    ctx.signal?.throwIfAborted();
    if (!source.local)
        ctx.ssh?.use(source.host);
    const done = await copyRecordingChanges(source, files, result, ctx, log);
    recordOutcome(done, result, ctx, log);
    await checkAfterTransfer(source, files, done, result, ctx, log);
}
/**
 * The transfer itself, every change it makes recorded in `result` — also when it fails: what
 * was written before the failure is in the destination now, and counted.
 */
async function copyRecordingChanges(source, files, result, ctx, log) {
    const { dryRun, exclude, maxSize, workspace, manifest } = ctx.settings;
    const destination = result.destination;
    const changes = new ChangeLog();
    try {
        return await transferJob({
            workDir: source.dir,
            mainNode: source.host,
            local: source.local,
            destination,
            files,
            exclude,
            maxSize,
            onChange: changes.add,
            onRetract: changes.retract,
            sha256: wantsHashes(ctx),
            dryRun,
            settings: transferSettings(ctx),
            onProgress: (line) => log.progress(line),
            onMessage: (text) => log.untrusted(text),
        });
    }
    catch (e) {
        // What a failed run did fetch is in the destination: counted, not 0 (a dry run wrote nothing).
        if (!dryRun) {
            const fetched = changes.fetched();
            result.filesSynced = fetched.files;
            result.bytesSynced = fetched.bytes;
        }
        throw e;
    }
    finally {
        // The entries as objects only for the manifest; the paths are read from the log itself.
        if (manifest)
            result.changes = changes.entries();
        result.changedFiles = changes.paths(workspacePaths(workspace, destination));
    }
}
/** The manifest wants each written file's SHA-256 (nothing is written in a dry run). */
function wantsHashes(ctx) {
    const { manifest, checksums, dryRun } = ctx.settings;
    return manifest && checksums && !dryRun;
}
/** The status, counts and method of a transfer that ended, and the line that says them. */
function recordOutcome(done, result, ctx, log) {
    const dryRun = ctx.settings.dryRun;
    const fromInputDir = result.source !== undefined;
    if (dryRun) {
        // Nothing was written: the counts of what was are 0, what would be has its own fields.
        result.filesWouldSync = done.files;
        result.bytesWouldSync = done.bytes;
        result.status = 'dry-run';
        result.reasonCode = 'dry-run';
    }
    else {
        result.filesSynced = done.files;
        result.bytesSynced = done.bytes;
        result.status = 'synced';
        result.reasonCode = fromInputDir ? 'copied' : 'fetched';
    }
    result.method = done.method;
    result.attempts = done.attempts;
    // The title says how much; this line says how (the summary shows only what is not rsync).
    const verb = fromInputDir ? 'copy' : 'fetch';
    log.info(dryRun
        ? `Would ${verb} ${done.files} file(s), ${done.bytes} bytes (${done.method}); nothing was written (dry-run).`
        : done.files === 0
            ? `Nothing new: the destination is up to date (${done.method}).`
            : `${fromInputDir ? 'Copied' : 'Fetched'} ${done.files} file(s), ${done.bytes} bytes (${done.method}).`);
    if (done.overMaxSize) {
        result.overMaxSize = done.overMaxSize;
        const { files: n, bytes } = done.overMaxSize;
        if (n > 0)
            log.info(`Left out ${n} file(s) over max-size (${(0,util_bytes/* formatBytes */.z)(bytes)}).`);
    }
}
/** After the files are in: the `exclude` and `files` checks, the manifest's hashes, the cache. */
async function checkAfterTransfer(source, files, done, result, ctx, log) {
    const { dryRun, exclude } = ctx.settings;
    const destination = result.destination;
    if (exclude.length > 0)
        await noteExcludeMatches(source, ctx);
    if (wantsHashes(ctx) && result.changes) {
        // Those the transport did not hash as it wrote them (rsync's): read once more.
        await hashChanges(result.changes, destination, ctx.signal);
    }
    if (files && !dryRun) {
        const unmatched = await unmatchedFiles(files, source.dir, destination, exclude, done.overMaxSize?.names);
        result.unmatchedFiles = unmatched.nothing;
        for (const f of unmatched.nothing)
            log.info(unmatchedMessage(f, source.dir));
        for (const f of unmatched.overMaxSize)
            log.info(`'${f}' is larger than max-size: left out.`);
    }
    const fromInputDir = result.source !== undefined;
    if (ctx.settings.cache && !dryRun && !fromInputDir && !ctx.signal?.aborted) {
        await saveToCache(result, destination, log, ctx.settings.transferTimeoutSec);
    }
}
/**
 * Which `exclude` patterns matched something in this job's tree, for the warning about those
 * that matched nothing in any job (main.ts). Read where the tree is here; a tree read over ssh
 * is not listed a second time for it, so such a run cannot tell and says nothing.
 */
async function noteExcludeMatches(source, ctx) {
    const check = ctx.excludeCheck;
    if (!check)
        return;
    if (!source.local) {
        check.unknown = true;
        return;
    }
    check.checked++;
    if (check.unmatched.size === 0)
        return;
    if (!(await matchExcludes(source.dir, check.unmatched)))
        check.unknown = true;
}

;// CONCATENATED MODULE: ./src/action/fetch/input-dir.ts
/**
 * A job qq already synchronized (or that ran in its input directory), with `destination`: its
 * input directory copied there, locally, with the same selection — the files belong where the
 * workflow asked for them, wherever qq put them.
 */






/**
 * The job's input directory copied into its destination. False (the job stays skipped) where
 * there is nothing to copy: the destination is the input directory itself, or lies inside it
 * (the copy would copy itself; the transfer refuses it); or where the info file is not in the
 * input directory it names (qq writes it there): `input_dir` comes from the file, and a file
 * that names another directory is not trusted to choose what is read here.
 */
async function copyFromInputDir(job, info, result, ctx, log) {
    const inputDir = external_node_path_.resolve(ctx.settings.workspace, info.inputDir);
    const destination = destinationOf(result.id, inputDir, ctx);
    if (destination === inputDir)
        return false;
    if ((0,util_paths/* isInside */.F)(destination, inputDir)) {
        result.hint = `Not copied into '${destination}': it lies inside the job's input directory.`;
        log.info(result.hint);
        return false;
    }
    if (!job.infoFile || !(await sameDirectory(external_node_path_.dirname(job.infoFile), inputDir))) {
        result.hint = `Not copied into '${destination}': the info file is not in the input directory it names.`;
        log.info(result.hint);
        return false;
    }
    result.destination = destination;
    result.source = inputDir;
    const files = splitFiles(ctx.settings.files);
    if (files)
        checkFilesInput(files, inputDir, result);
    log.info(`Copying ${files ? `'${files.join(' ')}'` : 'all files'} from the job's input directory '${inputDir}' to '${external_node_path_.relative(ctx.settings.workspace, destination) || '.'}' (already synchronized by qq).`);
    await transfer({ dir: inputDir, host: info.mainNode ?? '', local: true }, files, result, ctx, log);
    return true;
}
/** Whether two paths are one directory (symlinks resolved; unreadable: no). */
async function sameDirectory(a, b) {
    try {
        return (await (0,promises_.realpath)(a)) === (await (0,promises_.realpath)(b));
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./src/action/fetch/sync-job.ts
/**
 * One job, as `qq sync` handles it: the state panel, the suitability check (qq's order and
 * words), the destination check, the transfer — and, beyond qq, the cache and the counts.
 *
 * action/fetch/ is fetching one job: this file (the job from its state panel to its result),
 * what every job of the run shares (job-context.ts, ssh-pool.ts), the transfer and what follows
 * it (transfer.ts), the copy from the input directory qq synchronized into (input-dir.ts), and
 * the `files` entries and `exclude` patterns that matched nothing (unmatched-*.ts).
 */














/**
 * Where the files of a job qq will not sync may still come from, by qq's reason: the input
 * directory qq synchronized into (with `destination`), or the cache (`cache: true`).
 */
function elsewhere(code) {
    switch (code) {
        case 'synchronized':
            return { inputDir: true, cache: true };
        case 'implicitly-synchronized':
            return { inputDir: true, cache: false };
        case 'killed-no-work-dir':
            return { inputDir: false, cache: true };
        case 'queued':
            return { inputDir: false, cache: false };
        default: {
            // A new code is a type error here, not a silent default.
            const unknown = code;
            throw new Error(`unknown unsuitability code: ${unknown}`);
        }
    }
}
/** Nothing to fetch from the working directory (qq's reason). */
async function skip(job, result, why, info, ctx, log) {
    log.info(why.message);
    result.status = 'skipped';
    result.reason = why.message;
    result.reasonCode = why.code;
    result.unsuitable = why.code;
    const from = elsewhere(why.code);
    // qq has put the files in the input directory: with `destination`, they belong there too.
    if (from.inputDir &&
        ctx.settings.destination &&
        (await copyFromInputDir(job, info, result, ctx, log))) {
        return;
    }
    if (ctx.settings.cache && !ctx.signal?.aborted && from.cache) {
        await restoreFromCache(result, destinationOf(result.id, info.inputDir, ctx), log, ctx.settings.transferTimeoutSec);
    }
}
/** qq's `Fetching … from job's working directory to …` line. */
function fetchingMessage(files, destination, info, ctx) {
    const where = destination === info.inputDir
        ? 'input directory'
        : `'${external_node_path_.relative(ctx.settings.workspace, destination) || '.'}'`;
    return files
        ? `Fetching file${files.length > 1 ? 's' : ''} '${files.join(' ')}' from job's working directory to ${where}.`
        : `Fetching all files from job's working directory to ${where}.`;
}
/** Transfer the job's working directory into its destination. */
async function fetch(job, info, result, ctx, log) {
    const { host, workDir } = ensureDestination(info);
    result.destination = destinationOf(result.id, info.inputDir, ctx);
    const files = splitFiles(ctx.settings.files);
    if (files)
        checkFilesInput(files, workDir, result);
    log.info(fetchingMessage(files, result.destination, info, ctx));
    const local = await readsLocally(job, ctx);
    await transfer({ dir: workDir, host, local }, files, result, ctx, log);
}
/**
 * The job failed. When its working directory vanished (most often: the job ended and qq
 * synchronized and deleted it after the scheduler answered), with `cache: true`, the newest
 * cached copy instead.
 */
async function fail(result, e, ctx, log) {
    result.status = 'failed';
    result.reason = (0,util_errors/* errorMessage */.g)(e);
    result.reasonCode = failureCode(e);
    if (e instanceof errors/* QQError */.V && e.hint && !result.hint)
        result.hint = e.hint;
    log.untrusted(`ERROR    ${result.reason}`);
    if (result.hint)
        log.untrusted(`         ${result.hint}`);
    if (ctx.settings.cache &&
        !ctx.settings.dryRun &&
        !ctx.signal?.aborted &&
        result.destination &&
        e instanceof WorkDirMissingError &&
        (await restoreFromCache(result, result.destination, log, ctx.settings.transferTimeoutSec))) {
        result.status = 'skipped';
        result.reason = WORK_DIR_GONE_RESTORED;
        result.reasonCode = 'restored';
    }
}
function failureCode(e) {
    if (e instanceof CancelledError)
        return 'cancelled';
    if (e instanceof WorkDirMissingError)
        return 'work-dir-missing';
    if (e instanceof TransferError)
        return 'transfer-failed';
    return 'error';
}
/** The line that closes a job's log: `✔ 5001.pbs-m1 (ala-300K): fetched 4 files, 157 B`. */
function outcomeLine(r) {
    const end = endedBadly(r) && r.status !== 'failed' ? `; the job ${statePhrase(r)}` : '';
    return `${outcomeMark(r)} ${jobLabel(r)}: ${outcomeWords(r)}${end}`;
}
/** The job's state panel, suitability check and transfer; never throws. */
async function syncJob(job, ctx, live) {
    const started = Date.now();
    const state = realStateOf(job);
    const result = newResult(job, state);
    const log = new JobLog(jobLabel(result), live);
    try {
        const info = job.info;
        if (job.error || !info || !state) {
            if (job.errorCode)
                result.reasonCode = job.errorCode;
            if (job.hint)
                result.hint = job.hint;
            throw new Error(job.error ?? 'The job could not be read.');
        }
        log.info(`Job state: ${stateMessage(state)}`);
        const details = stateDetails(state, info, { batchMainNode: job.batch?.mainNode });
        if (details)
            log.info(`           ${details}`);
        const why = checkSuitable(info, state);
        if (why !== undefined)
            await skip(job, result, why, info, ctx, log);
        else
            await fetch(job, info, result, ctx, log);
    }
    catch (e) {
        // What failed after a cancel failed because of it (a killed rsync): the cancel's words.
        await fail(result, ctx.signal?.aborted && !job.error ? ctx.signal.reason : e, ctx, log);
        if (job.errorCode)
            result.reasonCode = job.errorCode;
    }
    finally {
        result.durationMs = Date.now() - started;
        // Keyed by the result: main.ts prints the groups in the summary's order.
        log.end(outcomeLine(result), result);
    }
    return result;
}

;// CONCATENATED MODULE: ./src/batch/types.ts
/**
 * What a scheduler adapter answers about one job. Filled from `qstat -fxw` (PBS) or
 * `scontrol show job -o` / `sacct` (Slurm); see docs/qq-behaviour.md §3.
 */


;// CONCATENATED MODULE: ./src/util/list.ts
/**
 * The one list syntax of the list inputs whose values cannot hold a separator (`job-id`,
 * `fail-on`, `wait-for`): items separated by commas, whitespace or newlines, in any mix.
 * (`files` keeps qq's own syntax, `exclude` has patternItems below, `path` and `ssh-options`
 * are read one line at a time.)
 */
function listItems(text) {
    return text.split(/[\s,]+/).filter((s) => s.length > 0);
}
/**
 * The list syntax of `exclude`, whose items are rsync patterns and may hold spaces (file
 * names do): items separated by commas or newlines, the white space around each dropped, empty
 * items skipped. A comma inside a bracket expression stays (`[,]`, `*[,;]*`): that is how a
 * pattern names a literal comma, as rsync's wildmatch reads it.
 */
function patternItems(text) {
    const items = [];
    let item = '';
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '[') {
            const end = bracketEnd(text, i);
            if (end > i) {
                item += text.slice(i, end + 1);
                i = end;
                continue;
            }
        }
        if (c === ',' || c === '\n' || c === '\r') {
            items.push(item);
            item = '';
        }
        else
            item += c;
    }
    items.push(item);
    return items.map((s) => s.trim()).filter((s) => s.length > 0);
}
/** Where the bracket expression opened at `open` ends (wildmatch's rules), or -1 if it does not. */
function bracketEnd(text, open) {
    let i = open + 1;
    if (text[i] === '!' || text[i] === '^')
        i++;
    // A `]` first in the set is a member, not its end.
    if (text[i] === ']')
        i++;
    for (; i < text.length; i++) {
        if (text[i] === '\n' || text[i] === '\r')
            return -1;
        if (text[i] === '\\')
            i++;
        else if (text[i] === ']')
            return i;
    }
    return -1;
}

;// CONCATENATED MODULE: ./src/util/duration.ts
/**
 * Durations as users of other actions write them: a whole number of seconds (`600`), or whole
 * numbers with units (`90s`, `30m`, `3h`, `1d`, and sums such as `1h30m`). Pure.
 */
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 };
/** Seconds, or undefined when `text` is not a duration. */
function parseDurationSec(text) {
    const t = text.trim().toLowerCase();
    if (/^\d+$/.test(t))
        return Number(t);
    if (!/^(\d+[smhd])+$/.test(t))
        return undefined;
    let total = 0;
    for (const [, n, unit] of t.matchAll(/(\d+)([smhd])/g)) {
        total += Number(n) * UNIT_SECONDS[unit];
    }
    return total;
}

;// CONCATENATED MODULE: ./src/action/inputs/parse.ts
/**
 * How one input's text becomes a value: the parsers the table of inputs (table.ts) names. Each
 * takes the text with its default already applied and the input's name for its message; a bad
 * value is an InputError that names the input and, for enums, the allowed values.
 */






/** Non-empty trimmed lines. */
function lines(text) {
    return text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
}
/** One of `allowed`, in any case, given back as `allowed` spells it. */
function oneOf(allowed) {
    return (text, { name }) => {
        const raw = text.trim();
        const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
        if (found === undefined) {
            throw new errors/* InputError */.d(`Input '${name}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got '${raw}'.`);
        }
        return found;
    };
}
function bool(text, { name }) {
    // The YAML 1.2 core schema booleans, as core.getBooleanInput accepts them.
    const raw = text.trim();
    if (['true', 'True', 'TRUE'].includes(raw))
        return true;
    if (['false', 'False', 'FALSE', ''].includes(raw))
        return false;
    throw new errors/* InputError */.d(`Input '${name}' must be 'true' or 'false'; got '${raw}'.`);
}
function integer(min, max) {
    return (text, { name }) => {
        const raw = text.trim();
        if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
            throw new errors/* InputError */.d(`Input '${name}' must be a whole number from ${min} to ${max}; got '${raw}'.`);
        }
        return Number(raw);
    };
}
/** `streams`: 'auto', or a number of parallel transfers from 1 to 32. */
function streams(text, { name }) {
    const raw = text.trim();
    if (raw === '' || raw.toLowerCase() === 'auto')
        return 'auto';
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 32) {
        throw new errors/* InputError */.d(`Input '${name}' must be 'auto' or a whole number from 1 to 32; got '${raw}'.`);
    }
    return Number(raw);
}
/** Seconds: a whole number, or a duration with units (`90s`, `30m`, `3h`, `1h30m`). */
function duration(min, max) {
    return (text, { name }) => {
        const raw = text.trim();
        const sec = parseDurationSec(raw);
        if (sec === undefined || sec < min || sec > max) {
            throw new errors/* InputError */.d(`Input '${name}' must be a duration from ${min} to ${max} seconds: whole seconds ('600') or with units ('90s', '30m', '3h', '1h30m'); got '${raw}'.`);
        }
        return sec;
    };
}
/** The `ssh-options` lines, refused here (before any scheduler call) if ssh or rsync could not take them. */
function sshOptions(text) {
    const optionLines = lines(text);
    rsyncRsh({ sshOptions: optionLines, strictHostKeyChecking: 'yes' });
    return optionLines;
}
/** A path relative to the workspace, made absolute; empty: undefined. */
function workspacePath(text, { workspace }) {
    const raw = text.trim();
    return raw ? external_node_path_.resolve(workspace, raw) : undefined;
}
/** Real states (qq's names, in any case) and the words of `extra`, as a list. */
function conditions(extra) {
    return (text, { name }) => {
        const out = new Set();
        // qq's own form of the one state with spaces is accepted too: make it one item first.
        const items = listItems(text.replace(/in\s+an\s+inconsistent\s+state/gi, 'inconsistent'));
        for (const word of items) {
            const known = extra.find((e) => e === word.toLowerCase());
            if (known !== undefined) {
                out.add(known);
                continue;
            }
            const state = (0,states/* realStateFromName */.XR)(word);
            if (!state) {
                throw new errors/* InputError */.d(`Input '${name}' has an unknown condition '${word}'; allowed: ${[...states/* REAL_STATE_NAMES */.Qh, ...extra].join(', ')}.`);
            }
            out.add(state);
        }
        return out;
    };
}
/** rsync's multipliers of a `--bwlimit` rate: KiB/s without a suffix, as rsync reads it. */
const BW_UNITS = { '': 1, k: 1, m: 1024, g: 1024 ** 2 };
/** 1 TiB/s in KiB/s: more is surely a typo. */
const BW_MAX_KIB = 1024 ** 3;
/**
 * `bwlimit`: the whole step's transfer rate in KiB/s, as rsync's `--bwlimit` reads a rate: a
 * number (a fraction too) with an optional K, M or G (1024-based); `0` or empty: no limit
 * (undefined). Only our own whole number of KiB/s ever reaches rsync's argv, never this text.
 */
function bwlimit(text, { name }) {
    const raw = text.trim();
    const m = /^(\d{1,12}(?:\.\d{1,6})?)([kmg]?)$/i.exec(raw);
    const kib = m ? Number(m[1]) * BW_UNITS[m[2].toLowerCase()] : Number.NaN;
    if (raw === '' || kib === 0)
        return undefined;
    if (!(kib >= 1 && kib <= BW_MAX_KIB)) {
        throw new errors/* InputError */.d(`Input '${name}' must be a rate in KiB/s from 1 to ${BW_MAX_KIB}, optionally with rsync's suffix K, M or G ('500', '500K', '10M', '1.5G'), or 0 for no limit; got '${raw}'.`);
    }
    return Math.floor(kib);
}

;// CONCATENATED MODULE: ./src/action/inputs/table.ts
/**
 * Every input of action.yml, declared once: its name, its default (as action.yml gives it; an
 * input given as empty takes it) and how its text becomes a setting. The `Settings` type is
 * derived from this table (inputs.ts), and test/action/inputs-table.test.ts holds the table and
 * action.yml equal. The order is the order of `Settings` and of reading: the first bad input in
 * it is the one reported.
 */





const batchSystemName = oneOf(batch_system/* BATCH_SYSTEMS */.I);
const failOn = conditions(['unsuitable']);
const waitFor = conditions([]);
const DAY = 24 * 3600;
/** The inputs, keyed by their setting. */
const INPUTS = {
    /** `path` lines; readSettings empties them when job-id is given and path is the default. */
    paths: { name: 'path', default: '.', parse: lines },
    /** The `job-id` input's ids, in order (resolved with one scheduler call). */
    jobIds: { name: 'job-id', default: '', parse: (raw) => listItems(raw) },
    /** Raw `files` text (split and validated per job by the transfer layer); '' = everything. */
    files: { name: 'files', default: '', parse: (raw) => raw },
    /**
     * `exclude`: rsync patterns, separated by commas or newlines (util/list.ts patternItems), left
     * out at every level (they win over `files`).
     */
    exclude: {
        name: 'exclude',
        default: '',
        parse: (raw) => checkExclude([...new Set(patternItems(raw))]),
    },
    /** `max-size`: regular files larger than this many bytes are not fetched; undefined: no limit. */
    maxSize: { name: 'max-size', default: '', parse: (raw) => checkMaxSize(raw) },
    /** `manifest`: a JSON list of the fetched files under RUNNER_TEMP (output `manifest`). */
    manifest: { name: 'manifest', default: 'false', parse: bool },
    /** `checksums`: the manifest gives each file's SHA-256. */
    checksums: { name: 'checksums', default: 'false', parse: bool },
    /** Absolute destination, or undefined for each job's input directory. */
    destination: { name: 'destination', default: '', parse: workspacePath },
    /** `fail-on`: real states, and `unsuitable`, that fail the step. */
    failOn: { name: 'fail-on', default: '', parse: failOn },
    /** `wait-for`: the real states to wait for before fetching; empty = do not wait. */
    waitFor: { name: 'wait-for', default: '', parse: waitFor },
    /** `wait-timeout`: seconds to wait at most, for all jobs together. */
    waitTimeoutSec: { name: 'wait-timeout', default: '3600', parse: duration(0, 31 * DAY) },
    /** `poll-interval`: seconds between two scheduler polls while waiting. */
    pollIntervalSec: { name: 'poll-interval', default: '60', parse: duration(1, DAY) },
    /** `follow`: print the jobs' new stdout/stderr lines while waiting. */
    follow: { name: 'follow', default: 'false', parse: bool },
    /** `batch-system`: the explicit choice, or undefined for the info file's (or qq's guess). */
    batchSystem: {
        name: 'batch-system',
        default: '',
        parse: (raw, input) => raw.trim() ? batchSystemName(raw, input) : undefined,
    },
    /** `shared-storage`: read working directories here (`true`), over ssh (`false`), or decide. */
    sharedStorage: {
        name: 'shared-storage',
        default: 'auto',
        parse: oneOf(['auto', 'true', 'false']),
    },
    /** `ssh-options` lines, one option and its value each. */
    sshOptions: { name: 'ssh-options', default: '', parse: sshOptions },
    /** `strict-host-key-checking`: ssh's StrictHostKeyChecking. */
    strictHostKeyChecking: {
        name: 'strict-host-key-checking',
        default: 'accept-new',
        parse: oneOf(['accept-new', 'yes', 'no']),
    },
    /** `overwrite`: replace only older files (`newer`, rsync --update) or every file. */
    overwrite: { name: 'overwrite', default: 'newer', parse: oneOf(['newer', 'always']) },
    /** `transfer-timeout`: seconds for one job's whole transfer, retries included. */
    transferTimeoutSec: { name: 'transfer-timeout', default: '600', parse: duration(1, 7 * DAY) },
    /** `scheduler-timeout`: seconds for one scheduler command. */
    schedulerTimeoutSec: { name: 'scheduler-timeout', default: '60', parse: duration(1, 3600) },
    /** `retries`: further attempts after a transient transfer failure. */
    retries: { name: 'retries', default: '2', parse: integer(0, 20) },
    /** `parallel`: jobs fetched at once. */
    parallel: { name: 'parallel', default: '4', parse: integer(1, 64) },
    /** `shard`: only the jobs of this shard of a matrix (undefined: all jobs). */
    shard: { name: 'shard', default: '', parse: (raw) => parseShard(raw) },
    /** `streams`: parallel transfers within one large job (1: one rsync, as qq; 'auto'). */
    streams: { name: 'streams', default: 'auto', parse: streams },
    /** `bwlimit`: the whole step's rate in KiB/s, shared by the rsyncs running at once; undefined: none. */
    bwlimit: { name: 'bwlimit', default: '', parse: bwlimit },
    /** `dry-run`: say what would be fetched, fetch nothing. */
    dryRun: { name: 'dry-run', default: 'false', parse: bool },
    /** `cache`: save fetched files to the Actions cache; restore them when the work dir is gone. */
    cache: { name: 'cache', default: 'false', parse: bool },
    /** `stderr-lines`: last lines of a failed or killed job's stderr in the summary (0: none). */
    stderrLines: { name: 'stderr-lines', default: '20', parse: integer(0, 200) },
};

;// CONCATENATED MODULE: ./src/action/inputs.ts
/**
 * Every input of action.yml, read once and validated into a typed settings object. Which inputs
 * there are, their defaults and how each is read are declared once, in the table of
 * inputs/table.ts; this is where the table is read. A bad value is an InputError that names the
 * input and, for enums, the allowed values.
 */



const fromCore = (name) => core/* getInput */.V4(name);
/**
 * action.yml's non-empty defaults, from the table. An input given as empty means its default,
 * as in actions/checkout: reusable workflows pass unset inputs as '', and `node dist/index.js`
 * with only INPUT_PATH must run.
 */
const INPUT_DEFAULTS = Object.fromEntries(Object.values(INPUTS)
    .filter((spec) => spec.default !== '')
    .map((spec) => [spec.name, spec.default]));
/** `get`, with an empty (or blank) value replaced by the input's default. */
function withDefaults(get) {
    return (name) => {
        const value = get(name);
        return value.trim() === '' ? (INPUT_DEFAULTS[name] ?? value) : value;
    };
}
/** Every input of the table, in its order, through its parser. */
function parseInputs(get, workspace) {
    const parsed = {};
    for (const field of Object.keys(INPUTS)) {
        const spec = INPUTS[field];
        parsed[field] = spec.parse(get(spec.name), { name: spec.name, workspace });
    }
    return parsed;
}
function readSettings(source = fromCore, env = process.env) {
    const workspace = external_node_path_.resolve(env.GITHUB_WORKSPACE || process.cwd());
    const settings = { workspace, ...parseInputs(withDefaults(source), workspace) };
    // The runner fills in the default '.', so "set explicitly" can only mean "not the default".
    const { jobIds, paths } = settings;
    if (jobIds.length > 0 && paths.length === 1 && paths[0] === '.')
        settings.paths = [];
    if (jobIds.length === 0 && paths.length === 0)
        settings.paths = ['.'];
    if (core.isDebug())
        core.debug(`settings from the inputs: ${describeSettings(settings)}`);
    return settings;
}
/** The settings as one JSON line for the debug log (sets as arrays). */
function describeSettings(settings) {
    return JSON.stringify(settings, (_key, value) => (value instanceof Set ? [...value] : value));
}

;// CONCATENATED MODULE: ./src/jobs/job-output.ts
/**
 * The one reader of a job's own stdout/stderr files (`follow`, and the summary's "why it
 * failed"). Their names come from the info file and their content from the job: both are
 * untrusted. So a file is read only when it is a REGULAR file INSIDE the given directory (the
 * job's working or input directory, or the fetched copy): never through a symlink (no component
 * below the directory may be one, and the last is opened with O_NOFOLLOW), never a FIFO or a
 * device (opened with O_NONBLOCK, then checked with fstat before a byte is read), and never
 * more than the caller's cap. Over ssh the node runs the same checks (readJobFileOver).
 */







/** Most bytes `follow` reads of a file per poll. */
const FOLLOW_CHUNK_BYTES = 256 * 1024;
const refused = (why) => ({ ok: false, missing: false, why });
const MISSING = { ok: false, missing: true, why: 'not found' };
/**
 * The components of a relative name below the directory, or a refusal: no absolute name, no
 * `.`/`..`/empty component, no control character (a name qq writes is `<script>.err`).
 */
function nameParts(name) {
    if (name === '')
        return 'the name is empty';
    if (name.startsWith('/'))
        return 'the name is absolute';
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
    if (/[\u0000-\u001f\u007f]/.test(name))
        return 'the name holds a control character';
    const parts = name.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) {
        return "the name has an empty, '.' or '..' component";
    }
    return parts;
}
/** The range's start and length for a file of `size` bytes. */
function span(size, range) {
    const start = range.tail ? Math.max(0, size - range.max) : Math.min(range.offset ?? 0, size);
    return { start, length: Math.max(0, Math.min(range.max, size - start)) };
}
/** Read `name` below `dir` on this machine, by the rules above. */
async function readJobFileHere(dir, name, range) {
    const parts = nameParts(name);
    if (typeof parts === 'string')
        return refused(parts);
    let top;
    try {
        top = await (0,promises_.realpath)(dir);
    }
    catch {
        return MISSING;
    }
    let current = top;
    try {
        for (const part of parts.slice(0, -1)) {
            current = external_node_path_.join(current, part);
            const st = await (0,promises_.lstat)(current);
            if (st.isSymbolicLink())
                return refused(`'${part}' on its path is a symlink`);
            if (!st.isDirectory())
                return refused(`'${part}' on its path is not a directory`);
        }
    }
    catch (e) {
        return e.code === 'ENOENT' ? MISSING : refused((0,util_errors/* errorMessage */.g)(e));
    }
    const file = external_node_path_.join(current, parts.at(-1));
    let handle;
    try {
        // O_NONBLOCK: opening a FIFO does not wait for a writer; fstat refuses it below.
        handle = await (0,promises_.open)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK | external_node_fs_.constants.O_NOCTTY);
    }
    catch (e) {
        const code = e.code;
        if (code === 'ENOENT')
            return MISSING;
        if (code === 'ELOOP')
            return refused('it is a symlink');
        return refused((0,util_errors/* errorMessage */.g)(e));
    }
    try {
        const st = await handle.stat();
        if (!st.isFile())
            return refused('it is not a regular file');
        // What was opened, whatever happened to the path meanwhile (a directory swapped for a link).
        const opened = await (0,promises_.realpath)(`/proc/self/fd/${handle.fd}`).catch(() => (0,promises_.realpath)(file));
        if ((0,util_paths/* relativeInside */.J)(opened, top) === undefined) {
            return refused('it is not inside the directory');
        }
        const { start, length } = span(st.size, range);
        const bytes = Buffer.alloc(length);
        const { bytesRead } = await handle.read(bytes, 0, length, start);
        return { ok: true, bytes: bytes.subarray(0, bytesRead), size: st.size, start };
    }
    catch (e) {
        return refused((0,util_errors/* errorMessage */.g)(e));
    }
    finally {
        await handle.close();
    }
}
/** One word for the node's POSIX shell (ssh hands it the command line). */
function q(s) {
    return `'${s.replaceAll("'", "'\\''")}'`;
}
/**
 * The command the node runs: the same rules with its own tools. `cd -P` into the directory and
 * down each component that is a directory and not a symlink, checked to stay inside; the last
 * must be a regular file and not a symlink; GNU dd opens it with `nofollow,nonblock` (a file
 * swapped for a link or a FIFO after the check is still refused, and nothing blocks) and reads
 * at most `max` bytes. Prints `<size> <start>`, then the bytes as base64 (exact for non-UTF-8).
 */
function remoteReadScript(dir, parts, range) {
    const last = q(parts.at(-1));
    const steps = parts
        .slice(0, -1)
        .map((p) => `if [ -h ${q(p)} ] || [ ! -d ${q(p)} ]; then exit 4; fi; cd -P -- ${q(p)} || exit 4`);
    const max = Math.max(0, Math.floor(range.max));
    const start = range.tail
        ? `$(( n > ${max} ? n - ${max} : 0 ))`
        : String(Math.max(0, Math.floor(range.offset ?? 0)));
    return [
        `cd -P -- ${q(dir)} 2>/dev/null || exit 3`,
        'top=$(pwd -P)',
        ...steps,
        'case "$(pwd -P)/" in "$top"/*) ;; *) exit 4;; esac',
        `if [ ! -e ${last} ] && [ ! -h ${last} ]; then exit 3; fi`,
        `if [ -h ${last} ] || [ ! -f ${last} ]; then exit 5; fi`,
        `n=$(stat -c %s -- ${last}) || exit 6`,
        `s=${start}`,
        'echo "$n $s"',
        `{ dd if=${last} iflag=nofollow,nonblock,skip_bytes,count_bytes skip="$s" count=${max} bs=65536 2>/dev/null || echo qq-sync-dd-failed >&2; } | base64`,
    ].join('; ');
}
const REMOTE_WHY = {
    4: 'a component on its path is a symlink or not a directory',
    5: 'it is a symlink or not a regular file',
    6: 'its size cannot be read',
};
/** Read `name` below `dir` on `host` over ssh, by the same rules (see remoteReadScript). */
async function readJobFileOver(host, dir, name, range, settings) {
    const parts = nameParts(name);
    if (typeof parts === 'string')
        return refused(parts);
    const r = await (0,exec_run/* runCommand */.d1)(['ssh', ...sshArgs(settings), '--', host, remoteReadScript(dir, parts, range)], {
        timeoutMs: ((settings.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC) + 30) * 1000,
        env: settings.env,
    });
    if (r.code === 3)
        return MISSING;
    const why = r.code === null ? undefined : REMOTE_WHY[r.code];
    if (why)
        return refused(why);
    // ssh itself failed (255, a timeout): nothing was refused; `follow` asks again next poll.
    if (r.code === 255 || r.code === null) {
        return {
            ok: false,
            missing: true,
            why: `ssh to ${host} failed (${r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`})`,
        };
    }
    if (r.code !== 0 || r.stderr.includes('qq-sync-dd-failed')) {
        return refused(`it could not be read on ${host} (exit ${r.code ?? r.signal ?? '?'})`);
    }
    const nl = r.stdout.indexOf('\n');
    const head = /^(\d+) (\d+)$/.exec(r.stdout.slice(0, nl < 0 ? undefined : nl).trim());
    if (!head)
        return refused(`${host} answered something else than the file`);
    const bytes = Buffer.from(r.stdout.slice(nl + 1).replace(/\s+/g, ''), 'base64');
    return {
        ok: true,
        bytes: bytes.subarray(0, range.max),
        size: Number(head[1]),
        start: Number(head[2]),
    };
}

;// CONCATENATED MODULE: ./src/action/jobs/follow.ts
/**
 * `follow: true`: while waiting, the new lines of each job's stdout/stderr files (in its
 * working directory) are printed to the log — fenced, since they come from the cluster. The
 * files are read through src/jobs/job-output.ts: a name that leads out of the working directory
 * (a symlink, `..`), a FIFO or a device is refused, and said once.
 */




class Follower {
    read;
    offsets = new Map();
    partial = new Map();
    refused = new Set();
    constructor(read) {
        this.read = read;
    }
    files(job) {
        const info = job.info;
        if (!info?.workDir || !info.mainNode)
            return [];
        return [info.stdoutFile, info.stderrFile].filter(Boolean);
    }
    /** Print what was appended since the last poll. */
    async poll(jobs) {
        for (const job of jobs) {
            for (const name of this.files(job)) {
                const key = `${job.info?.workDir}\0${name}`;
                if (this.refused.has(key))
                    continue;
                const offset = this.offsets.get(key) ?? 0;
                let read;
                try {
                    read = await this.read(job, name, offset);
                }
                catch {
                    continue;
                }
                if (!read.ok) {
                    if (!read.missing) {
                        this.refused.add(key);
                        // The name is the job's: fenced like its content.
                        printUntrusted(`── ${job.info?.jobId} ${name}: not followed: ${read.why} ──`);
                    }
                    continue;
                }
                const piece = read.bytes.subarray(0, FOLLOW_CHUNK_BYTES);
                if (piece.length === 0)
                    continue;
                this.offsets.set(key, offset + piece.length);
                const text = (this.partial.get(key) ?? '') + piece.toString('utf8');
                const cut = text.lastIndexOf('\n');
                this.partial.set(key, cut < 0 ? text : text.slice(cut + 1));
                if (cut < 0)
                    continue;
                printUntrusted(`── ${job.info?.jobId} ${name} ──\n${text.slice(0, cut)}`);
            }
        }
    }
}
/** The ChunkReader of a run: the file read here, or over ssh from the job's main node. */
async function readJobOutputChunk(job, name, offset, ctx) {
    const dir = job.info?.workDir;
    const range = { offset, max: FOLLOW_CHUNK_BYTES };
    if (!dir)
        return { ok: false, missing: true, why: 'no working directory' };
    if (await readsLocally(job, ctx))
        return readJobFileHere(dir, name, range);
    const host = job.info?.mainNode;
    if (!host)
        return { ok: false, missing: true, why: 'no main node' };
    ctx.ssh?.use(host);
    core.debug(`follow: reading '${name}' on ${host}`);
    return readJobFileOver(host, dir, name, range, transferSettings(ctx));
}

;// CONCATENATED MODULE: ./src/action/jobs/not-found.ts
/**
 * What a user needs to fix qq's `No qq job info file found.` (said beside it, never appended
 * to it): every path that was searched (absolute, with what was found there), the workspace it
 * was resolved in, and the most likely cause.
 */



const not_found_GLOB_CHARS = /[*?[\]{}]/;
async function whatIsThere(absolute) {
    try {
        const s = await (0,promises_.stat)(absolute);
        if (!s.isDirectory())
            return 'not a directory or .qqinfo file';
        const names = await (0,promises_.readdir)(absolute);
        return `a directory with no *.qqinfo file${names.length === 0 ? ' (empty)' : ''}`;
    }
    catch {
        return 'does not exist';
    }
}
const NO_INFO_FILE = 'No qq job info file found.';
async function noInfoFileHint(paths, workspace) {
    const searched = [];
    for (const line of paths) {
        const absolute = external_node_path_.resolve(workspace, line);
        searched.push(not_found_GLOB_CHARS.test(line)
            ? `'${absolute}' (a pattern that matched no .qqinfo file)`
            : `'${absolute}' (${await whatIsThere(absolute)})`);
    }
    const anyExists = searched.some((s) => !s.endsWith('(does not exist)'));
    // A path that does not exist in a directory that does is a wrong name, not a wrong runner.
    const typo = anyExists ? undefined : await firstWithParent(paths, workspace);
    const cause = anyExists
        ? "The most likely cause: 'path' does not name the directory the job was submitted from (where qq writes the job's .qqinfo file)."
        : typo
            ? `The most likely cause: 'path' is wrong: the directory '${typo}' exists and has no such entry; check the name against its contents.`
            : "The most likely cause: the runner does not see the cluster's files — run this job on a self-hosted runner on the cluster (a login node, or a machine that mounts its storage) — or 'path' is wrong.";
    return `Searched in the workspace '${workspace}': ${searched.join(', ')}. ${cause}${await checkoutHint(paths, workspace)}`;
}
/**
 * The nearest existing directory above the first `path` line that does not exist, when it is
 * the line's own parent (a pattern: the directory before its first wildcard); else undefined.
 */
async function firstWithParent(paths, workspace) {
    for (const line of paths) {
        const absolute = external_node_path_.resolve(workspace, line);
        const wild = absolute.search(not_found_GLOB_CHARS);
        const parent = wild < 0 ? external_node_path_.dirname(absolute) : external_node_path_.dirname(absolute.slice(0, wild + 1));
        try {
            if ((await (0,promises_.stat)(parent)).isDirectory())
                return parent;
        }
        catch { }
    }
    return undefined;
}
/**
 * actions/checkout's default `clean: true` runs `git clean -ffdx` in the workspace: on a
 * self-hosted runner that deletes the untracked job directories and .qqinfo files of a
 * campaign submitted there — the files are gone, so say where they went.
 */
async function checkoutHint(paths, workspace) {
    const inside = paths.some((line) => {
        return (0,util_paths/* relativeInside */.J)(external_node_path_.resolve(workspace, line), workspace) !== undefined;
    });
    if (!inside)
        return '';
    try {
        await (0,promises_.stat)(external_node_path_.join(workspace, '.git'));
    }
    catch {
        return '';
    }
    return " The workspace is a git checkout: actions/checkout with its default 'clean: true' runs 'git clean -ffdx', which deletes untracked job directories and .qqinfo files in it. Keep campaigns outside the checkout (an absolute 'path'), or check out with 'clean: false'.";
}

;// CONCATENATED MODULE: ./src/action/jobs/wait.ts
/**
 * `wait-for`: poll every job (one scheduler call per batch system per poll) until its real
 * state is one of the wanted ones, at most `wait-timeout` seconds. With `follow`, new lines of
 * the jobs' stdout/stderr files are streamed into the log meanwhile. A cancel ends the wait at
 * once: the jobs still waiting get the cancel as their error.
 */






function stateName(s) {
    return s ? (0,states/* realStateToString */.gQ)(s) : 'not known';
}
/** `finished`, `finished or failed`, `finished, failed or killed` */
function orList(words) {
    return words.length < 2
        ? (words[0] ?? '')
        : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
/**
 * Returns once every job is done waiting; jobs still waiting at the deadline get an error.
 * Returns how long each job waited (until the poll that found it in a wanted state), for the
 * summary's Time.
 */
async function waitForStates(jobs, settings, ctx, follower, now = Date.now) {
    const wanted = orList([...settings.waitFor].map(states/* realStateToString */.gQ));
    const started = now();
    const deadline = started + settings.waitTimeoutSec * 1000;
    const waited = new Map();
    let polls = 0;
    for (;;) {
        const pending = jobs.filter((j) => {
            const s = realStateOf(j);
            return s !== undefined && !settings.waitFor.has(s);
        });
        const stillWaiting = new Set(pending);
        for (const j of jobs)
            if (!stillWaiting.has(j) && !waited.has(j))
                waited.set(j, now() - started);
        if (ctx.signal?.aborted) {
            for (const j of pending) {
                j.errorCode = 'cancelled';
                j.error = `Cancelled (${signalNameOf(ctx.signal.reason)}) while waiting until the job is ${wanted}; its last state was '${stateName(realStateOf(j))}'.`;
                waited.set(j, now() - started);
            }
            return waited;
        }
        if (follower)
            await follower.poll(jobs);
        if (pending.length === 0) {
            if (polls > 0)
                core/* info */.pq(`All jobs reached one of: ${wanted}.`);
            return waited;
        }
        const remaining = deadline - now();
        if (remaining <= 0) {
            for (const j of pending) {
                j.errorCode = 'wait-timeout';
                j.error = `Timed out after ${settings.waitTimeoutSec} s waiting until the job is ${wanted}; its last state was '${stateName(realStateOf(j))}'.`;
                waited.set(j, now() - started);
            }
            return waited;
        }
        const sample = pending
            .slice(0, 5)
            .map((j) => `${j.info?.jobId ?? j.label} is ${stateName(realStateOf(j))}`)
            .join(', ');
        core/* info */.pq(`Waiting until ${pending.length === 1 ? '1 job is' : `${pending.length} jobs are`} ${wanted} (${sample}${pending.length > 5 ? ', …' : ''}); next poll in ${Math.ceil(Math.min(settings.pollIntervalSec * 1000, remaining) / 1000)} s.`);
        await sleep(Math.min(settings.pollIntervalSec * 1000, remaining), ctx.signal);
        if (ctx.signal?.aborted)
            continue;
        polls++;
        await refreshStates(pending, settings, ctx, {
            reread: true,
            all: true,
            warn: (m) => warnEarly(m),
        });
    }
}

// EXTERNAL MODULE: external "node:v8"
var external_node_v8_ = __webpack_require__(8877);
;// CONCATENATED MODULE: ./src/action/jobs/young-generation.ts
/**
 * A campaign's memory. V8 doubles its young generation (two semi-spaces, up to 64 MiB each on
 * Node 24) whenever the bytes that survived its scavenges since the last doubling exceed its
 * size. A step of thousands of jobs keeps every job's info, result and log alive while it
 * reads and fetches the others, so the young generation grows to its maximum: 4,000 local jobs
 * peaked at 237 MiB, 128 MiB of it the young generation, whose live part is a few MiB.
 * `--max-semi-space-size` is read once, when the heap is made, and the runner starts `node`
 * without options; the growth factor is read at each growth, so setting it to 1 keeps the young
 * generation at the size it has. Garbage is scavenged as before, only more often; what lives
 * longer is promoted sooner (issue 29: 4,000 jobs about 100 MiB less, the same CPU time).
 * Node's docs warn that V8 flags changed after start may do nothing or misbehave: this one is a
 * number read at each growth, the action runs on the Node its action.yml pins, and
 * test/unit/young-generation.test.ts fails if a Node stops honouring it.
 */

/** V8's own growth factor (its default, on Node 20 and 24). */
const V8_GROWTH_FACTOR = 2;
/** Before the jobs are read: how many there are is not known yet, and reading them grows it. */
function holdYoungGeneration() {
    (0,external_node_v8_.setFlagsFromString)('--semi-space-growth-factor=1');
}
/** V8's own sizing back, for a step of one job (one big listing wants the larger space). */
function releaseYoungGeneration(jobs) {
    if (jobs < 2)
        (0,external_node_v8_.setFlagsFromString)(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
}

;// CONCATENATED MODULE: ./src/action/report/outputs.ts
/**
 * The step's outputs, all set on every run (empty where they do not apply): the first job's
 * fields, totals over all jobs, and the `jobs` JSON array. The names and the `jobs` fields are
 * a contract with workflows: add, never rename.
 */



/**
 * The public JSON of one job (the contract of the `jobs` output). `changedFiles`: the first of
 * the job's changed paths that fit (all, unless `changedFilesCount` is larger).
 */
function jobJson(r, changedFiles = [...(r.changedFiles ?? [])]) {
    return {
        id: r.id,
        name: r.name,
        infoFile: r.infoFile,
        state: r.state,
        stateCode: stateCodeOf(r.state),
        status: r.status,
        reason: r.reason,
        exitCode: r.exitCode,
        filesSynced: r.filesSynced,
        bytesSynced: r.bytesSynced,
        // What a dry run would have written (status `dry-run`); 0 in any other run.
        filesWouldSync: r.filesWouldSync ?? 0,
        bytesWouldSync: r.bytesWouldSync ?? 0,
        destination: r.destination,
        cacheHit: r.cacheHit,
        cacheKey: r.cacheKey,
        changedFiles,
        changedFilesCount: r.changedFiles?.length ?? 0,
    };
}
const OUTPUT_NAMES = [
    'status',
    'state',
    'state-code',
    'job-id',
    'job-name',
    'exit-code',
    'main-node',
    'work-dir',
    'input-dir',
    'destination',
    'reason',
    'files-synced',
    'bytes-synced',
    'jobs',
    'cache-hit',
    'cache-key',
    'changed-files',
    'changed-files-file',
    'manifest',
];
/** The outputs of `results`; `fallbackReason` (the step's error) when no job has a reason. */
function computeOutputs(results, fallbackReason = '') {
    const first = results[0];
    const reason = results.find((r) => r.status === 'failed')?.reason ??
        results.find((r) => r.status === 'skipped')?.reason ??
        fallbackReason;
    // Within GitHub's output size: the full lists go to a file (see changes-output.ts).
    const perJob = { left: CHANGED_LIST_LIMIT };
    const shown = results.map((r) => takeWithin(r.changedFiles ?? [], perJob));
    return {
        // No job and no error: an empty shard of a matrix (a campaign smaller than the matrix).
        status: results.length === 0 && !fallbackReason ? 'skipped' : overallStatus(results),
        state: first?.state ?? '',
        'state-code': stateCodeOf(first?.state ?? ''),
        'job-id': first?.id ?? '',
        'job-name': first?.name ?? '',
        'exit-code': first?.exitCode == null ? '' : String(first.exitCode),
        'main-node': first?.mainNode ?? '',
        'work-dir': first?.workDir ?? '',
        'input-dir': first?.inputDir ?? '',
        destination: first?.destination ?? '',
        reason: results.length === 0 ? fallbackReason : reason,
        'files-synced': String(results.reduce((n, r) => n + r.filesSynced, 0)),
        'bytes-synced': String(results.reduce((n, r) => n + r.bytesSynced, 0)),
        jobs: JSON.stringify(results.map((r, i) => jobJson(r, shown[i]))),
        'cache-hit': results.some((r) => r.cacheHit) ? 'true' : 'false',
        'cache-key': first?.cacheKey ?? '',
        'changed-files': JSON.stringify(changedFilesShown(results, shown)),
        'changed-files-file': '',
        manifest: '',
    };
}
/**
 * The first changed paths of all jobs that fit in `changed-files`. The first job's list in
 * `jobs` (`shown[0]`) had the same budget: when it was cut there, or is the only one, these
 * are its paths, not counted again (a job of 20,000 files; issue 29).
 */
function changedFilesShown(results, shown) {
    const first = shown[0] ?? [];
    const cut = first.length < (results[0]?.changedFiles?.length ?? 0);
    if (results.length === 1 || cut)
        return first;
    return takeWithin(allChangedFiles(results), { left: CHANGED_LIST_LIMIT });
}
/** Every output; `files`: those written under RUNNER_TEMP (changes-output.ts). */
function setOutputs(report, files) {
    const outputs = { ...computeOutputs(report.results, report.fatal), ...files };
    for (const name of OUTPUT_NAMES)
        core/* setOutput */.uH(name, outputs[name]);
}

;// CONCATENATED MODULE: ./src/action/report/summary/chart.ts
/**
 * A campaign's states at a glance: one bar of coloured squares, as long as a line of text,
 * with a legend. Squares are emoji, so the colours survive GitHub's HTML sanitizer (which drops
 * `style`) and mean the same everywhere: failed red, killed orange (stopped from outside, not
 * by its own error), finished green, running blue,
 * queued grey (white square), suspended yellow, states that say something is off purple.
 * A Mermaid pie (what this was before) took 435 px per chart and chose its own colours.
 */
/** States in the bar's order: done well, done badly, going, waiting, odd. */
const ORDER = [
    'finished',
    'failed',
    'killed',
    'exiting',
    'running',
    'booting',
    'suspended',
    'held',
    'waiting',
    'queued',
    'unknown',
    'inconsistent',
    'not known',
];
const SQUARE = {
    finished: '🟩',
    failed: '🟥',
    killed: '🟧',
    exiting: '🟦',
    running: '🟦',
    booting: '🟦',
    suspended: '🟨',
    held: '⬜',
    waiting: '⬜',
    queued: '⬜',
    unknown: '🟪',
    inconsistent: '🟪',
    'not known': '🟪',
};
/** Squares in a bar: small enough for a phone's width. */
const BAR_CELLS = 20;
/** Counts of each state (code words), in the bar's order; unknown words last. */
function countStates(codes) {
    const counts = new Map();
    for (const c of codes)
        counts.set(c, (counts.get(c) ?? 0) + 1);
    const rank = (k) => {
        const i = ORDER.indexOf(k);
        return i < 0 ? ORDER.length : i;
    };
    return [...counts].sort((a, b) => rank(a[0]) - rank(b[0]));
}
/**
 * Cells per state, summing to BAR_CELLS (or fewer, for fewer jobs): largest remainder, and at
 * least one cell for every state present, so that one failed job of 500 still shows.
 */
function barCells(counts) {
    const total = counts.reduce((n, [, c]) => n + c, 0);
    const cells = Math.min(BAR_CELLS, total);
    const raw = counts.map(([, c]) => (c / total) * cells);
    const out = raw.map((r) => Math.max(1, Math.floor(r)));
    let left = cells - out.reduce((a, b) => a + b, 0);
    const byRemainder = raw
        .map((r, i) => [r - Math.floor(r), i])
        .sort((a, b) => b[0] - a[0]);
    for (const [, i] of byRemainder) {
        if (left <= 0)
            break;
        out[i] = (out[i] ?? 0) + 1;
        left--;
    }
    // Minimums can overshoot: take back from the largest.
    while (left < 0) {
        const i = out.indexOf(Math.max(...out));
        out[i] = (out[i] ?? 1) - 1;
        left++;
    }
    return out;
}
function squareOf(state) {
    return SQUARE[state] ?? '🟪';
}
/** The bar and its legend as HTML (the labels are our state words, never text from a job). */
function stateBar(counts) {
    const cells = barCells(counts);
    const bar = counts.map(([k], i) => squareOf(k).repeat(cells[i] ?? 0)).join('');
    const legend = counts.map(([k, n]) => `${squareOf(k)} ${k} ${n}`).join(' · ');
    return `<p>${bar}<br>${legend}</p>\n`;
}

;// CONCATENATED MODULE: ./src/action/report/summary/escape.ts
/** HTML escaping for the job summary: every value that comes from a job or an input. */
const HTML_ESCAPES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
};
function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

;// CONCATENATED MODULE: ./src/action/report/summary/failures.ts



/** PBS sizes (`3817452kb`, `8gb`: powers of 1024) in the summary's units; anything else as said. */
function memoryWords(size) {
    const m = /^(\d+)(b|kb|mb|gb|tb|pb)?$/i.exec(size.trim());
    if (!m)
        return size;
    const power = ['b', 'kb', 'mb', 'gb', 'tb', 'pb'].indexOf((m[2] ?? 'b').toLowerCase());
    return (0,util_bytes/* formatBytes */.z)(Number(m[1]) * 1024 ** power);
}
/** `walltime 00:10:02 of 01:00:00 · memory 1.2gb of 4gb · stopped at its walltime limit (…)` */
function usageWords(usage) {
    if (!usage)
        return '';
    const of = (used, limit) => used && limit ? `${used} of ${limit}` : used ? used : limit ? `? of ${limit}` : '';
    const mem = (v) => (v ? memoryWords(v) : undefined);
    const parts = [
        of(usage.walltime, usage.walltimeLimit) &&
            `walltime ${of(usage.walltime, usage.walltimeLimit)}`,
        of(mem(usage.mem), mem(usage.memLimit)) && `memory ${of(mem(usage.mem), mem(usage.memLimit))}`,
        usage.limitKill &&
            `the scheduler stopped it at its ${usage.limitKill.limit} limit (${usage.limitKill.said})`,
    ].filter(Boolean);
    return oneLine(parts.join(' · '));
}
/** A limit kill in two words for the table's state cell, or ''. */
function limitNote(r) {
    const kill = r.whyFailed?.usage?.limitKill;
    return kill ? `${kill.limit} limit` : '';
}
/** The job's text in a `<pre>`: escaped, one line of HTML. */
function pre(text) {
    return `<pre>${escapeHtml(text).replaceAll('\n', '&#10;')}</pre>`;
}
/** One job's block; `open` for the only one (what a CI user reads first). */
function failureBlock(r, mark, open) {
    const why = r.whyFailed;
    if (!why)
        return '';
    const usage = usageWords(why.usage);
    const head = `${mark} ${clip(jobLabel(r), 150)} ${statePhrase(r)}${usage ? ` · ${usage}` : ''}`;
    const err = why.stderr;
    let body = '';
    if (err?.text !== undefined) {
        const lines = err.cut
            ? `Last ${plural(err.lines, 'line')}`
            : err.lines === 1
                ? 'The one line'
                : `All ${err.lines} lines`;
        body = `<p>${lines} of <code>${escapeHtml(clip(oneLine(err.name), 120))}</code> (${escapeHtml(err.where ?? '')}):</p>${pre(err.text)}`;
    }
    else if (err) {
        body = `<p>Its stderr <code>${escapeHtml(clip(oneLine(err.name), 120))}</code> is not shown: ${escapeHtml(oneLine(err.unavailable ?? 'not available'))}.</p>`;
    }
    else {
        body = '<p>Its stderr is not shown (stderr-lines: 0).</p>';
    }
    return `<details${open ? ' open' : ''}><summary>${escapeHtml(head)}</summary>${body}</details>\n`;
}
/**
 * The blocks for `results` (already in the summary's order), as long as they fit in `budget`
 * characters; how many did not fit.
 */
function failureSection(results, markOf, budget) {
    const explained = results.filter((r) => r.whyFailed);
    if (explained.length === 0)
        return { html: '', omitted: 0 };
    const killed = explained.some((r) => stateCodeOf(r.state) === 'killed');
    const failed = explained.some((r) => stateCodeOf(r.state) === 'failed');
    const verbs = [failed ? 'failed' : '', killed ? 'were killed' : ''].filter(Boolean).join(' or ');
    const title = explained.length === 1
        ? `Why the job ${killed ? 'was killed' : 'failed'}`
        : `Why the jobs ${verbs}`;
    let html = `<h3>${title}</h3>\n`;
    let omitted = 0;
    for (const r of explained) {
        const block = failureBlock(r, markOf(r), explained.length === 1);
        if (html.length + block.length > budget) {
            omitted++;
            continue;
        }
        html += block;
    }
    if (omitted > 0)
        html += `<p>${omitted} more not shown (the summary's size limit).</p>\n`;
    return { html, omitted };
}

;// CONCATENATED MODULE: ./src/action/report/summary/summary.ts
/**
 * The job summary: a heading that tells this step apart (and names its shard), one headline in
 * words, why the step failed (if it did), a bar of the jobs' states (several jobs in several
 * states only), one table row per job — the rows that made the step fail first, the first
 * column the outcome for the user — and, for jobs that failed or were killed on the cluster,
 * their stderr's last lines and the scheduler's account (failures.ts). Every value from
 * a job is escaped and bounded, and the whole stays under the runner's 1 MiB limit for
 * campaigns of many hundred jobs.
 *
 * action/report/summary/ is the job summary alone: this file (heading, headline, table),
 * the states' bar (chart.ts), the why-it-failed blocks (failures.ts) and HTML escaping
 * (escape.ts).
 */









/** The summary stays well under the runner's 1 MiB limit for a step. */
const SUMMARY_LIMIT = 900 * 1024;
/** The headline is one line a person reads at a glance. */
const HEADLINE_MAX = 200;
/** A value from a job, cut to `max` characters before it is escaped (bounds every cell). */
function cell(text, max) {
    return escapeHtml(clip(text, max));
}
/** A state in the summary's one vocabulary: the words fail-on and wait-for take. */
const stateWord = (r) => stateCodeOf(r.state) || 'not known';
/** `6 fetched (18 files, 16.8 KiB), 1 nothing to fetch, 1 could not be fetched` */
function outcomeCounts(results) {
    const n = (f) => results.filter(f).length;
    const sum = (rs, f) => rs.reduce((a, r) => a + f(r), 0);
    const got = results.filter((r) => r.status === 'synced' && !isDryRun(r));
    const files = sum(got, (r) => r.filesSynced);
    const bytes = sum(got, (r) => r.bytesSynced);
    const dry = results.filter(isDryRun);
    const dryFiles = sum(dry, (r) => wouldSync(r).files);
    const dryBytes = sum(dry, (r) => wouldSync(r).bytes);
    const parts = [
        [got.length, `fetched (${plural(files, 'file')}, ${(0,util_bytes/* formatBytes */.z)(bytes)})`],
        [
            dry.length,
            `would be fetched (${plural(dryFiles, 'file')}, ${(0,util_bytes/* formatBytes */.z)(dryBytes)}; dry run)`,
        ],
        [n((r) => r.status === 'skipped' && r.cacheHit), 'restored from the cache'],
        [n((r) => r.status === 'skipped' && !r.cacheHit), 'nothing to fetch'],
        [n((r) => r.status === 'failed'), 'could not be fetched'],
    ];
    return parts
        .filter(([c]) => c > 0)
        .map(([c, w]) => `${c} ${w}`)
        .join(', ');
}
/** `; 1 job failed on the cluster`: what the step may not fail on, but must not hide. */
function badEnds(results) {
    const n = (code) => results.filter((r) => stateCodeOf(r.state) === code).length;
    const failed = n('failed');
    const killed = n('killed');
    const said = [
        failed > 0 ? `${plural(failed, 'job')} failed` : '',
        killed > 0 ? `${plural(killed, 'job')} ${killed === 1 ? 'was' : 'were'} killed` : '',
    ].filter(Boolean);
    return said.length === 0 ? '' : `; ${said.join(' and ')} on the cluster`;
}
/** What happened to one job, as a sentence's second half. */
function oneJobOutcome(r) {
    switch (r.reasonCode) {
        case 'fetched':
            if (r.filesSynced === 0)
                return 'its files here are up to date (nothing new to fetch)';
            return `its files were fetched (${plural(r.filesSynced, 'file')}, ${(0,util_bytes/* formatBytes */.z)(r.bytesSynced)})`;
        case 'dry-run': {
            const w = wouldSync(r);
            return `dry run: ${plural(w.files, 'file')} (${(0,util_bytes/* formatBytes */.z)(w.bytes)}) would be fetched`;
        }
        default:
            if (r.status === 'failed')
                return `it could not be fetched: ${oneLine(withHint(r))}`;
            return outcomeWords(r);
    }
}
/** One line, at most HEADLINE_MAX characters: what happened, in words, with the counts. */
function headline(report) {
    const { results } = report;
    let text;
    const shard = report.settings?.shard;
    if (report.fatal && results.length === 0) {
        text = `The step failed: ${oneLine(stepFailure(report))}`;
    }
    else if (results.length === 0 && shard) {
        text = `No jobs in ${describeShard(shard)}: every job found belongs to another shard of the matrix.`;
    }
    else if (results.length === 0) {
        text = 'No jobs.';
    }
    else if (results.length === 1) {
        const r = results[0];
        text = r.state
            ? `Job ${jobLabel(r)} ${statePhrase(r)}; ${oneJobOutcome(r)}.`
            : `Job ${jobLabel(r)}: ${oneJobOutcome(r)}.`;
    }
    else {
        // The states are in the bar under the headline, unless there is only one.
        const states = countStates(results.map(stateWord));
        const all = states.length === 1 ? `, all ${states[0]?.[0]}` : '';
        text = `${results.length} jobs${all}: ${outcomeCounts(results)}${badEnds(results)}.`;
    }
    if (report.cancelled)
        text = `Cancelled (${report.cancelled}). ${text}`;
    return clip(text.replace(/\.\.$/, '.'), HEADLINE_MAX);
}
/** What a dry run would write (the `edges-action` fields; the counts themselves before). */
function wouldSync(r) {
    const w = r;
    return { files: w.filesWouldSync ?? r.filesSynced, bytes: w.bytesWouldSync ?? r.bytesSynced };
}
const isDryRun = (r) => r.reasonCode === 'dry-run';
/** Files of this job are in its destination now (fetched or up to date, or from the cache). */
const fetched = (r) => !isDryRun(r) && (r.status === 'synced' || r.cacheHit);
/**
 * The outcome for the user, as the first column's mark: what is in the destination, and
 * whether the job itself ended well. The legend under the table says the marks it uses.
 */
const MARKS = {
    fetched: ['✔', 'fetched'],
    fetchedBad: ['⚠️', 'fetched, but the job failed or was killed'],
    notFetched: ['✖', 'not fetched: an error (the step fails)'],
    nothing: ['–', 'nothing to fetch'],
    dryRun: ['○', 'would be fetched (dry run)'],
};
function markKey(r) {
    if (r.status === 'failed')
        return 'notFetched';
    if (isDryRun(r))
        return 'dryRun';
    if (fetched(r))
        return endedBadly(r) ? 'fetchedBad' : 'fetched';
    return 'nothing';
}
const markOf = (r) => MARKS[markKey(r)][0];
/** Where the files went, relative to the workspace when inside it; '' when nothing is there. */
function destinationCell(r, workspace) {
    if (!r.destination || !(fetched(r) || r.filesSynced > 0))
        return '';
    const rel = (0,util_paths/* relativeInside */.J)(r.destination, workspace);
    const shown = rel === undefined ? r.destination : rel || '.';
    return cell(shown, 120);
}
/** The outcome on the row: a few words, the whole reason one click away. */
function outcomeCell(r, withDetails) {
    let words = outcomeWords(r, 80);
    if (isDryRun(r)) {
        const w = wouldSync(r);
        words = `would fetch ${plural(w.files, 'file')} (${(0,util_bytes/* formatBytes */.z)(w.bytes)})${leftOutWords(r)}`;
    }
    else if (r.status === 'synced' && r.reasonCode === 'fetched') {
        // The amounts are in their own columns; here how they came, where it is not plain rsync.
        // (Another way of getting them, such as a copy from the input directory, keeps its words.)
        const how = [
            r.method === 'rsync over ssh'
                ? 'over ssh'
                : r.method === 'rsync' || r.method === 'in-process copy'
                    ? ''
                    : r.method,
            r.attempts > 1 ? `${r.attempts} attempts` : '',
        ].filter(Boolean);
        const verb = r.filesSynced === 0 ? 'up to date' : 'fetched';
        words = `${verb}${how.length ? ` (${how.join(', ')})` : ''}${leftOutWords(r)}`;
    }
    const full = oneLine(withHint(r));
    if (!full || full === words)
        return escapeHtml(words);
    // A failure's whole reason stays one click away, also in a campaign past the budget.
    if (!withDetails && r.status !== 'failed')
        return escapeHtml(words);
    return `<details><summary>${escapeHtml(words)}</summary>${cell(full, 4000)}</details>`;
}
const HEADER = '<tr><th></th><th>Job</th><th>Name</th><th>State</th><th>Exit</th><th>Outcome</th><th>Files</th><th>Bytes</th><th>Destination</th><th>Time</th></tr>';
/** A number and its unit kept on one line (the narrow columns would break them). */
const nbsp = (text) => escapeHtml(text).replace(' ', '&nbsp;');
/** The job's time in this step: waiting for its state (wait-for), then fetching. */
function timeCell(r) {
    const waited = r.waitedMs ?? 0;
    const total = nbsp(formatDuration(r.durationMs + waited));
    return waited > 0 ? `${total}<br><sub>waited&nbsp;${nbsp(formatDuration(waited))}</sub>` : total;
}
function row(r, workspace, withDetails) {
    const state = stateWord(r);
    const limit = limitNote(r);
    const amounts = isDryRun(r) ? wouldSync(r) : { files: r.filesSynced, bytes: r.bytesSynced };
    const shows = fetched(r) || isDryRun(r) || r.filesSynced > 0;
    const cells = [
        markOf(r),
        cell(r.id, 64),
        cell(r.name, 64),
        // The state's square, as in the bar above: the colour reads before the word.
        `${squareOf(state)}&nbsp;${escapeHtml(state)}${limit ? `<br><sub>${escapeHtml(limit)}</sub>` : ''}`,
        String(r.exitCode ?? ''),
        outcomeCell(r, withDetails),
        shows ? String(amounts.files) : '',
        shows ? nbsp((0,util_bytes/* formatBytes */.z)(amounts.bytes)) : '',
        destinationCell(r, workspace),
        timeCell(r),
    ];
    return `<tr><td>${cells.join('</td><td>')}</td></tr>`;
}
/**
 * The rows in the order a reader needs them: what made the step fail (not fetched, or a
 * fail-on condition), then jobs that failed or were killed on the cluster, then the rest; each
 * group in the order of the run.
 */
function summaryOrder(report) {
    const hit = new Set(report.hits.map((h) => h.result));
    const rank = (r) => (r.status === 'failed' || hit.has(r) ? 0 : endedBadly(r) ? 1 : 2);
    return report.results
        .map((r, i) => ({ r, i, k: rank(r) }))
        .sort((a, b) => a.k - b.k || a.i - b.i)
        .map(({ r }) => r);
}
/** `qq-sync: step sync, path campaign, shard 2/8` */
function title(report) {
    const shard = report.settings?.shard;
    const parts = [report.heading];
    if (shard && !report.heading.includes('shard'))
        parts.push(describeShard(shard));
    const text = parts.filter(Boolean).join(', ');
    return text ? `qq-sync: ${text}` : 'qq-sync';
}
/** The legend of the first column: the marks this table uses. */
function legend(rows) {
    const used = [...new Set(rows.map(markKey))].sort((a, b) => Object.keys(MARKS).indexOf(a) - Object.keys(MARKS).indexOf(b));
    return `<p><sub>${used.map((k) => `${MARKS[k][0]} ${MARKS[k][1]}`).join(' · ')}</sub></p>\n`;
}
/** The summary as HTML (GitHub renders it as Markdown with HTML). */
function renderSummary(report) {
    const { results } = report;
    const top = [`<h2>${escapeHtml(title(report))}</h2>\n`];
    const failure = stepFailure(report);
    if (report.fatal && results.length === 0) {
        // The step's one error, said once, whole.
        top.push(`<p><strong>The step failed: ${cell(oneLine(failure), 4000)}</strong></p>\n`);
        return top.join('');
    }
    top.push(`<p><strong>${escapeHtml(headline(report))}</strong></p>\n`);
    if (failure)
        top.push(`<p>The step failed: ${cell(oneLine(failure), 4000)}</p>\n`);
    if (results.length === 0)
        return top.join('');
    const states = countStates(results.map(stateWord));
    if (results.length > 1 && states.length > 1)
        top.push(stateBar(states));
    const ordered = summaryOrder(report);
    // The jobs' own errors take at most a third of the budget; the table gets the rest.
    const failures = failureSection(ordered, markOf, SUMMARY_LIMIT / 3);
    let size = top.join('').length + HEADER.length + failures.html.length + 600;
    const rows = [];
    const shown = [];
    let omitted = 0;
    for (const r of ordered) {
        // Past a third of the budget, reasons stay on their rows in short, without the whole text.
        const text = row(r, report.workspace, size < SUMMARY_LIMIT / 3);
        if (size + text.length > SUMMARY_LIMIT) {
            omitted++;
            continue;
        }
        size += text.length;
        rows.push(text);
        shown.push(r);
    }
    const parts = [...top, `<table>${HEADER}${rows.join('')}</table>\n`, legend(shown)];
    if (omitted > 0) {
        parts.push(`<p>${omitted} more job(s) not shown: see the <code>jobs</code> output.</p>\n`);
    }
    parts.push(failures.html);
    return parts.join('');
}

;// CONCATENATED MODULE: ./src/action/report/publish.ts
/**
 * A run's report written out, once: the outputs (and the files under RUNNER_TEMP some of them
 * name), the annotations and the job summary. `now`: synchronously — a cancelled run writes it
 * just before the process exits.
 */







/** The outputs, the annotations and the summary of `run`. */
async function publishReport(run, env, now) {
    setOutputs(run, changeOutputs(run, env));
    // A fatal error was already set as the step's error by setFailed, with nothing to add.
    if (!run.fatal)
        annotate(run);
    await writeSummary(renderSummary(run), env, now);
}
/** The outputs that are files under RUNNER_TEMP (changed-files-file, manifest); none on error. */
function changeOutputs(run, env) {
    if (!run.settings)
        return undefined;
    try {
        return writeChangeOutputs(run.results, { ...run.settings, env, info: (m) => core/* info */.pq(m) });
    }
    catch (e) {
        core/* warning */.$e(`Could not write the changed-files list or the manifest: ${(0,util_errors/* errorMessage */.g)(e)}`);
        return undefined;
    }
}
async function writeSummary(text, env, now) {
    if (!env.GITHUB_STEP_SUMMARY)
        return;
    try {
        if (now)
            (0,external_node_fs_.appendFileSync)(env.GITHUB_STEP_SUMMARY, text);
        else
            await core/* summary */.z.addRaw(text).write();
    }
    catch (e) {
        core/* warning */.$e(`Could not write the job summary: ${(0,util_errors/* errorMessage */.g)(e)}`);
    }
}

;// CONCATENATED MODULE: ./src/action/report/why-failed.ts



/** At most this much of the end of a stderr file is read (and shown, before escaping). */
const STDERR_TAIL_BYTES = 4096;
/** Stderr files read per step at most: each may cost an ssh call, and the summary is bounded. */
const STDERR_JOBS = 20;
/** Terminal escapes (colours, cursor moves) and other control characters but tab and newline. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-_]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
/** The last `max` lines of what was read; a first line cut by the byte cap is left out. */
function lastLines(bytes, startedInside, max) {
    let text = bytes.toString('utf8').replace(/\r\n?/g, '\n').replace(ANSI, '').replace(CONTROL, '');
    let cut = startedInside;
    if (startedInside) {
        const nl = text.indexOf('\n');
        text = nl < 0 ? '' : text.slice(nl + 1);
    }
    const all = text.replace(/\n+$/, '').split('\n');
    if (all.length === 1 && all[0] === '')
        return { text: '', lines: 0, cut };
    const kept = all.slice(-max);
    if (kept.length < all.length)
        cut = true;
    return { text: kept.join('\n'), lines: kept.length, cut };
}
function places(job, result, name, ctx) {
    const range = { tail: true, max: STDERR_TAIL_BYTES };
    const out = [];
    const seen = new Set();
    const local = (dir, where) => {
        if (!dir || seen.has(dir))
            return;
        seen.add(dir);
        out.push({ where, read: () => readJobFileHere(dir, name, range) });
    };
    if (result.filesSynced > 0 || result.status === 'synced') {
        local(result.destination, 'the fetched copy');
    }
    local(job.info?.inputDir, 'the input directory');
    const workDir = job.info?.workDir;
    const host = job.info?.mainNode;
    if (workDir && !seen.has(workDir)) {
        out.push({
            where: 'the working directory',
            read: async () => {
                if (await readsLocally(job, ctx))
                    return readJobFileHere(workDir, name, range);
                if (!host)
                    return { ok: false, missing: true, why: 'no main node' };
                ctx.ssh?.use(host);
                return readJobFileOver(host, workDir, name, range, transferSettings(ctx));
            },
        });
    }
    return out;
}
/** Reads the tail of the job's stderr file from the first place that has it. */
async function stderrTail(job, result, ctx, lines) {
    const name = job.info?.stderrFile ?? '';
    const none = { name, lines: 0, cut: false };
    if (!name)
        return { ...none, unavailable: 'the info file names no stderr file' };
    let refusal = '';
    for (const place of places(job, result, name, ctx)) {
        let read;
        try {
            read = await place.read();
        }
        catch (e) {
            read = { ok: false, missing: false, why: String(e) };
        }
        if (read.ok) {
            const tail = lastLines(read.bytes, read.start > 0, lines);
            if (tail.lines === 0)
                return { ...none, where: place.where, unavailable: 'it is empty' };
            return { name, ...tail, where: place.where };
        }
        if (!refusal && (!read.missing || read.why !== 'not found')) {
            refusal = `not read in ${place.where}: ${read.why}`;
        }
    }
    return {
        ...none,
        unavailable: refusal || 'not found in the fetched copy, the input directory or the working directory',
    };
}
/**
 * Fills `result.whyFailed` for a job that failed or was killed on the cluster. `budget` counts
 * the stderr files this step may still read (STDERR_JOBS); the account needs no read.
 */
async function explainFailure(job, result, ctx, budget) {
    if (!endedBadly(result))
        return;
    try {
        await explain(job, result, ctx, budget);
    }
    catch {
        // The summary's extra: the job's result stands without it.
    }
}
async function explain(job, result, ctx, budget) {
    const why = { usage: job.batch?.usage };
    const lines = ctx.settings.stderrLines;
    if (lines > 0 && job.info) {
        if (budget.left > 0) {
            budget.left--;
            why.stderr = await stderrTail(job, result, ctx, lines);
        }
        else {
            why.stderr = {
                name: job.info.stderrFile,
                lines: 0,
                cut: false,
                unavailable: `not read: a step reads the stderr of ${STDERR_JOBS} jobs at most`,
            };
        }
    }
    if (why.usage || why.stderr)
        result.whyFailed = why;
}

;// CONCATENATED MODULE: ./src/action/runner-env.ts
/**
 * Where the action is started, and what to say when that is the wrong place: it works only on
 * a Linux self-hosted runner on the cluster (a login node that sees the jobs' files and the
 * scheduler).
 */
const NOT_HERE = 'qq-sync runs on a Linux self-hosted runner on the cluster: a login node (or a machine like it) that sees the jobs’ files and can run the scheduler’s commands.';
/** The message for a platform the action cannot run on (Windows, macOS), or undefined. */
function unsupportedPlatform(platform = process.platform) {
    const name = platform === 'win32' ? 'Windows' : platform === 'darwin' ? 'macOS' : undefined;
    return name ? `This runner is ${name}. ${NOT_HERE}` : undefined;
}
/** Throws at once on Windows or macOS. */
function assertSupportedPlatform(platform = process.platform) {
    const problem = unsupportedPlatform(platform);
    if (problem)
        throw new Error(problem);
}
/**
 * Beside a fatal error on a GitHub-hosted runner (`RUNNER_ENVIRONMENT=github-hosted`), where no
 * job can be found: what the action needs, and the cache hand-off that brings the results to
 * such a runner ('' elsewhere).
 */
function hostedRunnerHint(env) {
    if (env.RUNNER_ENVIRONMENT !== 'github-hosted')
        return '';
    return `This is a GitHub-hosted runner, which cannot see the cluster: ${NOT_HERE} To use the results on a GitHub-hosted runner, fetch them on the cluster's runner with \`cache: true\` and restore them here with actions/cache (README: "Hand the results to a GitHub-hosted runner through the Actions cache").`;
}

;// CONCATENATED MODULE: ./src/main.ts
/**
 * The action: read the inputs, find the jobs, ask the schedulers once, wait if asked to, fetch
 * each suitable job, report. Outputs are always set, also when the step fails or is cancelled
 * (action/cancel.ts).
 *
 * Its parts live in src/action/, one room each: inputs (the inputs read and checked), jobs/
 * (which jobs, their shard, their real state, waiting and following), fetch/ (one job fetched),
 * cache/ (`cache: true`), report/ (what the run says: log, outputs, annotations, summary/);
 * beside them cancel.ts (a cancelled run) and runner-env.ts (where the action may run).
 */





























/** core.ExitCode.Failure, written out: @github/local-action's stand-in for core has no ExitCode. */
const EXIT_FAILURE = 1;
/** The step's error; the exit code is set here too, as local-action's setFailed does not. */
function failStep(message) {
    // An annotation's message is one line (a raw line break would show as %0D%0A).
    core/* setFailed */.C1(oneLine(message));
    process.exitCode = EXIT_FAILURE;
}
function batchContext(settings, env, signal) {
    return {
        timeoutMs: settings.schedulerTimeoutSec * 1000,
        env,
        debug: (m) => core.debug(m),
        signal,
    };
}
function resultsSoFar(progress, reason) {
    return (progress.jobs ?? []).map((j) => progress.done.get(j) ?? unfinishedResult(j, reason));
}

/** Find the jobs, ask their schedulers, wait if asked to, then fetch them, `parallel` at a time. */
async function syncAll(settings, env, cancel, progress) {
    const ctx = batchContext(settings, env, cancel.signal);
    // A campaign's young generation kept small; one job's left to V8 (young-generation.ts).
    holdYoungGeneration();
    const jobs = await findJobs(settings, ctx, env, progress);
    releaseYoungGeneration(jobs.length);
    // No jobs here is an empty shard: findJobs throws when the inputs found none at all.
    if (jobs.length === 0)
        return [];
    await warnBeforeFetching(settings, env);
    const refreshed = refreshStates(jobs, settings, ctx, {
        reread: false,
        all: false,
        warn: (m) => warnEarly(m),
    });
    // Ask the local rsync its version while the scheduler answers (once its call has started:
    // that call is what the step waits for), where a job that has started (it has a working
    // directory) may be fetched over ssh. A local job asks only if rsync runs (transfer/choose.ts).
    if (settings.sharedStorage !== 'true' && jobs.some((j) => j.info?.workDir)) {
        void detectRsync(env);
    }
    await refreshed;
    const jobCtx = await jobContextFor(settings, env, cancel, jobs);
    const closeSsh = async () => jobCtx.ssh?.close();
    const unhook = cancel.onForcedExit(closeSsh);
    try {
        let waited = new Map();
        if (settings.waitFor.size > 0) {
            const follower = settings.follow
                ? new Follower((job, file, offset) => readJobOutputChunk(job, file, offset, jobCtx))
                : undefined;
            waited = await waitForStates(jobs, settings, ctx, follower);
        }
        const results = await fetchAll(jobs, jobCtx, waited, progress);
        JobLog.printInOrder(reportOrder(results, failOnHits(settings, results)));
        warnUnmatchedExcludes(jobCtx.excludeCheck);
        return results;
    }
    finally {
        unhook();
        await closeSsh();
    }
}
/**
 * The jobs of the inputs (of this shard), said in the log; none when the shard is empty. No
 * job at all is the step's error.
 */
async function findJobs(settings, ctx, env, progress) {
    const before = { all: 0 };
    const jobs = await collectJobs(settings, ctx, env, before);
    progress.jobs = jobs;
    if (settings.shard) {
        progress.shardOf = before.all;
        // An empty shard is no error: a matrix of n steps over fewer than n jobs has some.
        core/* info */.pq(shardLine(settings.shard, jobs.length, before.all));
        if (jobs.length === 0 && before.all > 0)
            return [];
    }
    // A `path` line that cannot be read is carried as a failed target, not counted as a job.
    const found = jobs.filter((j) => j.infoFile || j.requestedId).length;
    if (found === 0) {
        if (settings.jobIds.length > 0)
            throw new Error('No jobs found.');
        throw new errors/* QQError */.V(NO_INFO_FILE, await noInfoFileHint(settings.paths, settings.workspace));
    }
    // Only jobs whose info file was read: an id the scheduler does not know is no job found.
    const read = jobs.filter((j) => j.info && !j.error).length;
    if (read > 0) {
        const others = jobs.length - read;
        core/* info */.pq(`Found ${read} job(s)${others > 0 ? `; ${others} other target(s) could not be found or read (below)` : ''}.`);
    }
    return jobs;
}
/** Inputs that will not do what they seem to: said once, before any job's group. */
async function warnBeforeFetching(settings, env) {
    if (settings.follow && settings.waitFor.size === 0) {
        warnEarly("follow: true streams a job's output only while waiting, and wait-for is empty: nothing is followed. Set wait-for (for example 'finished, failed, killed') or drop follow.", { title: 'qq-sync: follow without wait-for' });
    }
    if (settings.cache && !settings.dryRun)
        await warnIfNoCache();
    await warnBwlimitUnapplied(settings, env, (m) => warnEarly(m, { title: 'qq-sync: bwlimit' }));
}
/** What every job shares; the run's ssh connections where they pay off. */
async function jobContextFor(settings, env, cancel, jobs) {
    const jobCtx = {
        settings,
        env,
        // From the inputs, not from how many jobs they matched (action/fetch/job-context.ts).
        multiple: perJobDirectories(settings),
        excludeCheck: excludeCheck(settings.exclude),
        debug: (m) => core.debug(m),
        signal: cancel.signal,
        jobs: jobs.length,
    };
    // One ssh connection per host pays off with several jobs, or with `follow` polling one job's
    // output; a single transfer would only add the master's spawn and its `ssh -O exit`.
    if (jobs.length > 1 || settings.follow) {
        jobCtx.ssh = await SshPool.open(sshSettingsOf(settings, env), (m) => core.debug(m));
    }
    return jobCtx;
}
/** Each job fetched and, where it failed, explained; `parallel` at a time. */
async function fetchAll(jobs, jobCtx, waited, progress) {
    const stderrBudget = { left: STDERR_JOBS };
    // A single job's lines are printed as they come; several jobs' as one group each, in the
    // summary's order once all are done (action/report/log.ts); meanwhile a count now and then.
    const live = jobs.length === 1;
    const count = new DoneCount(jobs.length, live);
    return mapLimit(jobs, jobCtx.settings.parallel, async (job) => {
        const result = await syncJob(job, jobCtx, live);
        result.waitedMs = waited.get(job);
        await explainFailure(job, result, jobCtx, stderrBudget);
        progress.done.set(job, result);
        count.add();
        return result;
    });
}
/** `Jobs done: 120 of 4000.`, at most every few seconds, while several jobs' groups are kept. */
class DoneCount {
    total;
    done = 0;
    offer;
    constructor(total, quiet) {
        this.total = total;
        this.offer = throttle(quiet ? undefined : (line) => core/* info */.pq(line), PROGRESS_EVERY_MS, {
            fromNow: true,
        });
    }
    add() {
        this.done++;
        this.offer(() => this.done === this.total ? undefined : `Jobs done: ${this.done} of ${this.total}.`);
    }
}
async function run(env = process.env) {
    const started = Date.now();
    const progress = { done: new Map() };
    const state = { results: [], fatal: '', fatalHint: '', reported: false };
    /** The outputs, annotations and summary, once; `now`: synchronously (the process exits next). */
    const report = async (now) => {
        if (state.reported)
            return;
        state.reported = true;
        const run = runReport(state, env, cancel, Date.now() - started, progress.shardOf);
        if (run.hits.length > 0 && !run.cancelled)
            process.exitCode = EXIT_FAILURE;
        await publishReport(run, env, now);
    };
    const cancel = installCancellation({
        reportNow: () => {
            if (state.reported)
                return;
            JobLog.flushOpen((progress.jobs ?? []).map((j) => progress.done.get(j)));
            state.results = resultsSoFar(progress, cancel.signal.reason);
            if (state.results.length === 0)
                state.fatal = cancelMessage(cancel.signal.reason, state.results);
            failStep(cancelMessage(cancel.signal.reason, state.results));
            void report(true);
        },
    });
    try {
        assertSupportedPlatform();
        state.settings = readSettings(undefined, env);
        state.results = await syncAll(state.settings, env, cancel, progress);
        if (cancel.signal.aborted)
            failStep(cancelMessage(cancel.signal.reason, state.results));
        // Failed jobs fail the step; their annotations say why, so only the exit code is set.
        else if (state.results.some((r) => r.status === 'failed')) {
            process.exitCode = EXIT_FAILURE;
        }
    }
    catch (e) {
        if (cancel.signal.aborted && progress.jobs) {
            state.results = resultsSoFar(progress, cancel.signal.reason);
            failStep(cancelMessage(cancel.signal.reason, state.results));
        }
        else {
            if (cancel.signal.aborted)
                state.fatal = cancelMessage(cancel.signal.reason, []);
            else {
                // `reason` keeps qq's words; what we add goes beside them (log, annotation, summary).
                state.fatal = (0,util_errors/* errorMessage */.g)(e);
                const hints = [e instanceof errors/* QQError */.V ? e.hint : undefined, hostedRunnerHint(env)];
                state.fatalHint = hints.filter(Boolean).join(' ');
            }
            failStep(withHint({ reason: state.fatal, hint: state.fatalHint }));
        }
    }
    finally {
        await report(cancel.signal.aborted);
        cancel.done();
    }
}
function runReport(state, env, cancel, tookMs, shardOf) {
    const cancelled = cancel.signal.aborted ? signalNameOf(cancel.signal.reason) : undefined;
    const shard = state.settings?.shard;
    return {
        shard: shard && { ...shard, label: describeShard(shard), of: shardOf ?? 0 },
        settings: state.settings,
        results: state.results,
        fatal: state.fatal,
        fatalHint: state.fatalHint,
        hits: state.settings && !cancelled ? failOnHits(state.settings, state.results) : [],
        cancelled,
        tookMs,
        heading: summaryHeading(state.settings, env),
        workspace: state.settings?.workspace ?? external_node_path_.resolve(env.GITHUB_WORKSPACE || process.cwd()),
    };
}


/***/ }),

/***/ 1671:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   z: () => (/* binding */ formatBytes)
/* harmony export */ });
/**
 * The one way a byte count is written for people, in two styles that both stay as they were
 * (messages must not change):
 * - `rounded` (summaries, logs): `100 B`, `1.5 MiB`: one decimal from KiB up.
 * - `exact` (a limit named in a message, where a rounded number would misstate it): a whole
 *   number of MiB or KiB when it is one (`64 MiB`, `512 KiB`), else `100 bytes`.
 */
function formatBytes(n, style = 'rounded') {
    return style === 'exact' ? exactBytes(n) : roundedBytes(n);
}
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
function roundedBytes(n) {
    let v = n;
    let i = 0;
    while (v >= 1024 && i < UNITS.length - 1) {
        v /= 1024;
        i++;
    }
    return i === 0 ? `${n} B` : `${v.toFixed(1)} ${UNITS[i]}`;
}
function exactBytes(n) {
    const MiB = 1024 * 1024;
    if (n >= MiB && n % MiB === 0)
        return `${n / MiB} MiB`;
    if (n >= 1024 && n % 1024 === 0)
        return `${n / 1024} KiB`;
    return `${n} bytes`;
}


/***/ }),

/***/ 17:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ errorMessage)
/* harmony export */ });
/** The message of anything thrown: an Error's message, else the value as text. */
function errorMessage(e) {
    return e instanceof Error ? e.message : String(e);
}


/***/ }),

/***/ 4964:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F: () => (/* binding */ isInside),
/* harmony export */   J: () => (/* binding */ relativeInside)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/**
 * The one answer to "does this path lie inside that one": lexical (nothing on disk is looked
 * at, no symlink resolved), on '/'-separated paths. Only a first component that is exactly
 * '..' climbs out: a child named `..x` (or a destination `..results`) lies inside.
 */

/**
 * `child` relative to `parent` ('' when it is `parent` itself), or undefined when it lies
 * outside. Relative arguments are taken from the current directory.
 */
function relativeInside(child, parent) {
    const rel = node_path__WEBPACK_IMPORTED_MODULE_0__.posix.relative(node_path__WEBPACK_IMPORTED_MODULE_0__.posix.resolve(parent), node_path__WEBPACK_IMPORTED_MODULE_0__.posix.resolve(child));
    if (rel === '..' || rel.startsWith('../') || node_path__WEBPACK_IMPORTED_MODULE_0__.posix.isAbsolute(rel))
        return undefined;
    return rel;
}
/** Whether `child` lies strictly inside `parent` (`parent` itself is not). */
function isInside(child, parent) {
    const rel = relativeInside(child, parent);
    return rel !== undefined && rel !== '';
}


/***/ })

};
