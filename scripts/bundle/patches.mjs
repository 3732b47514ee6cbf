// Every change the bundler makes to the code of a bundled library, as data: what, why, and the
// start-up time it saves: `node scripts/bundle/measure-patches.mjs` builds core's bundle without
// the entry and compares `photon config validate` (median child CPU of interleaved runs: 21, and
// 61 for the entries under 1.5 ms, on 2026-12-07 after session 9's removals; a module several
// files require lazily is loaded when any one of them does not, so each such entry shows what the
// group saves). Entries measured at ~0 ms for no other reason were removed (oclif's
// error-formatting modules; then ejs, which help/util.js loads anyway, minimatch and
// supports-color). Each one fails the build when it no longer applies
// (scripts/bundle/rewrites.mjs), so a library update cannot silently undo one, and
// test/bundle-patches.test.ts checks the behaviour each one must keep in the built bundle.
//
// Kinds:
// - `text`: `from` replaced by `to` in one compiled file of the package.
// - `lazy`: `require("id")` in that file becomes a proxy that loads the module on first use
//   (`__photonLazy`, scripts/bundle/text.mjs).
// - `lazyBuiltin`: every plain `require("id")` of a built-in in the whole bundle becomes such a proxy.
// - `stub`: what a bare import resolves to (scripts/bundle/rewrites.mjs has the modules).

/** @typedef {{ package: string, file: string, kind: 'text', from: string, to: string, why: string, saves: string }} TextPatch */
/** @typedef {{ package: string, file: string, kind: 'lazy', ids: string[], why: string, saves: string }} LazyPatch */

/** @type {(TextPatch | LazyPatch)[]} */
export const PATCHES = [
  {
    package: '@oclif/core/lib',
    file: 'config/plugin.js',
    kind: 'text',
    why: "Every plugin's commands were sorted with localeCompare; the first localeCompare of a process loads ICU's collator. Command ids are ASCII, so code-unit order is the same.",
    saves: '8.5 ms',
    from: '.sort((a, b) => a.id.localeCompare(b.id))',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))',
  },
  {
    package: '@oclif/core/lib',
    file: 'config/plugin.js',
    kind: 'lazy',
    ids: ['tinyglobby'],
    why: 'tinyglobby (with fdir and picomatch) only finds commands when a plugin has no manifest.',
    saves: '1.9 ms',
  },
  {
    package: '@oclif/core/lib',
    file: 'util/os.js',
    kind: 'text',
    why: 'Config.load asked wsl-utils whether this is WSL, which evaluates it, powershell-utils and child_process. Only a kernel that names Microsoft can be WSL (what is-wsl checks first).',
    saves: '1.9 ms',
    from: "return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
    to: "if ((0, node_os_1.platform)() !== 'linux' || !/microsoft/i.test((0, node_os_1.release)() + require('node:fs').readFileSync('/proc/version', { encoding: 'utf8', flag: 'r' }))) return (0, node_os_1.platform)();\n    return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
  },
  {
    package: '@oclif/core/lib',
    file: 'config/plugin-loader.js',
    kind: 'text',
    why: 'Plugin names without a wildcard need no glob engine (minimatch compiles every pattern).',
    saves: '5.4 ms',
    from: '(0, minimatch_1.minimatch)(p, w)',
    to: '(/[*?[\\]{}!]/.test(w) ? (0, minimatch_1.minimatch)(p, w) : p === w)',
  },
  {
    package: '@oclif/core/lib',
    file: 'util/find-root.js',
    kind: 'text',
    why: "A plugin's root was found through require.resolve of its main module (package exports, conditions, realpath), eight plugins per run. The directory that resolution finds first is the nearest node_modules/<name> with a package.json, and the root is its real path; require.resolve stays the fallback (and PnP's own lookup).",
    saves: '4.0 ms',
    from: '        let pkgPath;\n        try {\n            pkgPath = require.resolve(name, { paths: [root] });',
    to: "        if (!process.versions.pnp) {\n            const fs = require('node:fs');\n            for (const next of up(root)) {\n                const dir = (0, node_path_1.join)(next, 'node_modules', name);\n                if (fs.existsSync((0, node_path_1.join)(dir, 'package.json')))\n                    return fs.realpathSync(dir);\n            }\n        }\n        let pkgPath;\n        try {\n            pkgPath = require.resolve(name, { paths: [root] });",
  },
  {
    package: '@oclif/core/lib',
    file: 'util/fs.js',
    kind: 'text',
    why: "Config.load read every plugin's package.json and manifest (14 files) in chains of awaited reads, each a round trip through libuv's thread pool. Small local files are read synchronously.",
    saves: '4.4 ms',
    from: "const contents = await (0, promises_1.readFile)(path, 'utf8');",
    to: "const contents = (0, node_fs_1.readFileSync)(path, 'utf8');",
  },
  {
    package: '@oclif/core/lib',
    file: 'screen.js',
    kind: 'text',
    why: 'The terminal widths were read at load, which sets up process.stdout and process.stderr in runs that print nothing; read when output is wrapped.',
    saves: '0.7 ms',
    from: 'exports.stdtermwidth = columns || termwidth(process.stdout);\nexports.errtermwidth = columns || termwidth(process.stderr);',
    to: "Object.defineProperty(exports, 'stdtermwidth', { enumerable: true, get: () => columns || termwidth(process.stdout) });\nObject.defineProperty(exports, 'errtermwidth', { enumerable: true, get: () => columns || termwidth(process.stderr) });",
  },
  {
    package: '@oclif/core/lib',
    file: 'parser/parse.js',
    kind: 'text',
    why: 'An omitted positional argument was read from stdin unless the argument sets ignoreStdin: under cron that set up process.stdin and a readline interface, and `echo x | photon config show` took x as the key. photon reads arguments from the command line only; a plugin opts in with `ignoreStdin: false`. (Behaviour, not only time: oclif has no global option for it.)',
    saves: '0 ms in config validate (no argument); up to 10 ms where an argument is omitted',
    from: 'if (arg.ignoreStdin || stdinRead)',
    to: 'if (arg.ignoreStdin !== false || stdinRead)',
  },
  {
    package: '@oclif/core/lib',
    file: 'help/formatter.js',
    kind: 'lazy',
    ids: ['ansis', 'indent-string', 'string-width', 'widest-line', 'wrap-ansi'],
    why: 'Help formatting. ansis decides on colours at load by asking process.stdout, which sets up the stdout stream.',
    saves: '2.3 ms',
  },
  ...[
    ['help/index.js', '1.8 ms'],
    ['help/command.js', '1.9 ms'],
    ['help/root.js', '1.9 ms'],
    ['ux/theme.js', '1.1 ms'],
  ].map(([file, saves]) => ({
    package: '@oclif/core/lib',
    file,
    kind: /** @type {const} */ ('lazy'),
    ids: ['ansis'],
    why: 'ansis sets up the stdout stream at load to decide on colours nobody prints (each file that requires it would load it).',
    saves,
  })),
  {
    package: '@oclif/core/lib',
    file: 'ux/action/spinner.js',
    kind: 'lazy',
    ids: ['ansis', 'cli-spinners'],
    why: 'The spinner and its frames, for interactive runs only.',
    saves: '3.1 ms',
  },
  {
    package: '@oclif/core/lib',
    file: 'command.js',
    kind: 'text',
    why: "oclif's EPIPE handler was attached to process.stdout at load, which set up the stdout stream in every run; photon's commands write to the descriptor (core's host/stdio.ts). The handler is attached when stdout is first used.",
    saves: '0.8 ms (1.2 ms more with flush.js)',
    from: "process.stdout.on('error', (err) => {\n    if (err && err.code === 'EPIPE')\n        return;\n    throw err;\n});",
    to: "{\n    const swallowEpipe = (err) => {\n        if (err && err.code === 'EPIPE')\n            return;\n        throw err;\n    };\n    const own = Object.getOwnPropertyDescriptor(process, 'stdout');\n    if (own && own.get && own.configurable) {\n        const get = function () {\n            const stdout = own.get.call(process);\n            Object.defineProperty(process, 'stdout', own);\n            stdout.on('error', swallowEpipe);\n            return stdout;\n        };\n        get[Symbol.for('photon.stdout-unused')] = true;\n        Object.defineProperty(process, 'stdout', { ...own, get });\n    }\n    else\n        process.stdout.on('error', swallowEpipe);\n}",
  },
  {
    package: '@oclif/core/lib',
    file: 'flush.js',
    kind: 'text',
    why: 'After a command oclif waited for stdout to drain, setting the stream up to ask; a stdout nobody used (see command.js) has nothing to drain.',
    saves: '1.2 ms',
    from: 'async function _flush() {',
    to: "async function _flush() {\n    if (Object.getOwnPropertyDescriptor(process, 'stdout')?.get?.[Symbol.for('photon.stdout-unused')])\n        return;",
  },
  {
    package: '@oclif/core/lib',
    file: 'ux/index.js',
    kind: 'text',
    why: "The spinner-or-simple action was made at load: it asked process.stderr whether it is a terminal and kept both streams' write functions, which set up both streams. Made when a command first uses it; isatty(2) answers the same question without a stream.",
    saves: '0.7 ms',
    from: "const ACTION_TYPE = (Boolean(process.stderr.isTTY) &&\n    !process.env.CI &&\n    !['dumb', 'emacs-color'].includes(process.env.TERM) &&\n    'spinner') ||\n    'simple';\nexports.action = ACTION_TYPE === 'spinner' ? new spinner_1.default() : new simple_1.default();\nexports.ux = {\n    action: exports.action,",
    to: "let action;\nconst makeAction = () => (action ??= require('node:tty').isatty(2) &&\n    !process.env.CI &&\n    !['dumb', 'emacs-color'].includes(process.env.TERM)\n    ? new spinner_1.default()\n    : new simple_1.default());\nObject.defineProperty(exports, 'action', { enumerable: true, get: makeAction });\nexports.ux = {\n    get action() {\n        return makeAction();\n    },",
  },

  {
    package: 'pino',
    file: 'lib/tools.js',
    kind: 'text',
    why: "pino asked worker_threads whether it runs on the main thread at load, which loads the stream machinery. Only an asynchronous destination needs the answer; photon's are synchronous.",
    saves: '1.3 ms',
    from: "const { isMainThread } = require('worker_threads')",
    to: "const isMainThread = () => require('worker_threads').isMainThread",
  },
  {
    package: 'pino',
    file: 'lib/tools.js',
    kind: 'text',
    why: 'The use of isMainThread that goes with the patch above.',
    saves: '0.3 ms (needed by the patch above)',
    from: 'if (!opts.sync && isMainThread) {',
    to: 'if (!opts.sync && isMainThread()) {',
  },
];

/**
 * Built-ins that bundled libraries require at load but most runs never call (sonic-boom's assert,
 * oclif's stdin reader, performance marks and shell detection), loaded on first property access.
 */
export const LAZY_BUILTINS = {
  why: "Required at load by bundled libraries (sonic-boom's assert, oclif's stdin reader, performance marks, shell detection); most runs never call them.",
  saves: '2.0 ms together',
  ids: ['assert', 'node:child_process', 'node:perf_hooks', 'node:readline'],
};

/** Modules replaced at resolve time (the esbuild plugins are in scripts/bundle/rewrites.mjs). */
export const STUBS = [
  {
    name: 'zod: English locale only',
    why: "zod's 40-odd message locales are never used (photon's messages are English).",
    saves: '0.6 ms and ~300 kB of bundle',
  },
  {
    name: 'debug: no-op unless DEBUG is set',
    why: "The debug package (oclif's and simple-git's diagnostics) sets up process.stderr and reads the terminal's colour support at load.",
    saves: '0.8 ms',
  },
  {
    name: 'pino: no thread-stream',
    why: "pino's worker-thread transports are never used (photon logs to stderr or a file in-process).",
    saves:
      '0 ms in config validate (no task log); kept for runs that log: thread-stream loads worker_threads at load',
  },
];
