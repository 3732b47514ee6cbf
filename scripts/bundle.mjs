#!/usr/bin/env node
// Bundles @ffphoton/core (with @oclif/core, zod, yaml, tsyringe, pino, simple-git … inlined) into one
// CommonJS file, loaded through a V8 code cache (packages/core/loader/loader.cjs), and precompiles
// each first-party package's commands, hooks and settings modules the same way
// (`<package>/dist/bundle/modules.cjs`). Compiling and loading hundreds of small modules is most
// of a CLI's cold start; one file with cached bytecode is not (figures in docs/performance.md).
// Plugins import oclif's API (Command, Flags, Args) from @ffphoton/core, so only this copy of
// oclif loads.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const core = path.join(repo, 'packages/core');
const finalDir = path.join(core, 'dist/bundle');
// Built beside the old bundle and swapped in at the end, so a running photon never sees it half-written.
const outDir = `${finalDir}.tmp-${process.pid}`;

/**
 * Every rewrite below names itself here when it fires; the build fails for any that did not, so
 * a dependency update cannot silently bring back what a rewrite removed.
 */
const applied = new Set();
const mustApply = [];
const expectRewrite = (name) => {
  mustApply.push(name);
  return name;
};

/** zod's 40-odd message locales are never used (photon's messages are English): ship only `en`. */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    const name = expectRewrite('zod: English locale only');
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}zod${path.sep}`)) return undefined;
      applied.add(name);
      return { path: 'zod-locales', namespace: 'zod-en' };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: repo,
    }));
  },
};

/**
 * Start-up work oclif does that photon never needs, patched out of the bundled copy. `lazy` turns
 * `require("id")` into a proxy that loads the module on first use: code every run would evaluate
 * for output it rarely makes (globbing commands without a manifest, error formatting).
 */
const OCLIF_PATCHES = [
  {
    // Every plugin's commands are sorted with localeCompare; the first localeCompare of a process
    // loads ICU's collator (~7 ms). Command ids are ASCII, so code-unit order is the same.
    file: 'config/plugin.js',
    from: '.sort((a, b) => a.id.localeCompare(b.id))',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))',
  },
  // tinyglobby (with fdir and picomatch, ~3 ms) only finds commands when a plugin has no manifest.
  { file: 'config/plugin.js', lazy: ['tinyglobby'] },
  {
    // Config.load asks wsl-utils whether this is WSL, which evaluates it, powershell-utils and
    // child_process. Only a kernel that names Microsoft can be WSL (what is-wsl checks first).
    file: 'util/os.js',
    from: "return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
    to: "if ((0, node_os_1.platform)() !== 'linux' || !/microsoft/i.test((0, node_os_1.release)() + require('node:fs').readFileSync('/proc/version', { encoding: 'utf8', flag: 'r' }))) return (0, node_os_1.platform)();\n    return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
  },
  {
    // Plugin names without a wildcard need no glob engine (minimatch compiles every pattern).
    file: 'config/plugin-loader.js',
    from: '(0, minimatch_1.minimatch)(p, w)',
    to: '(/[*?[\\]{}!]/.test(w) ? (0, minimatch_1.minimatch)(p, w) : p === w)',
  },
  { file: 'config/plugin-loader.js', lazy: ['minimatch'] },
  {
    // A plugin's root was found through require.resolve of its main module (package exports,
    // conditions, realpath: ~0.7 ms per plugin, eight plugins per run). The directory that
    // resolution finds first is the nearest node_modules/<name> with a package.json, and the root
    // is that directory's real path; require.resolve stays the fallback (and PnP's own lookup).
    file: 'util/find-root.js',
    from: '        let pkgPath;\n        try {\n            pkgPath = require.resolve(name, { paths: [root] });',
    to: "        if (!process.versions.pnp) {\n            const fs = require('node:fs');\n            for (const next of up(root)) {\n                const dir = (0, node_path_1.join)(next, 'node_modules', name);\n                if (fs.existsSync((0, node_path_1.join)(dir, 'package.json')))\n                    return fs.realpathSync(dir);\n            }\n        }\n        let pkgPath;\n        try {\n            pkgPath = require.resolve(name, { paths: [root] });",
  },
  {
    // Config.load reads every plugin's package.json and manifest (14 files) in chains of awaited
    // reads; each asynchronous read waits a round trip through libuv's thread pool, so the chains
    // cost more in waiting than in reading. Small local files are read synchronously.
    file: 'util/fs.js',
    from: "const contents = await (0, promises_1.readFile)(path, 'utf8');",
    to: "const contents = (0, node_fs_1.readFileSync)(path, 'utf8');",
  },
  {
    // The terminal widths are read at load, which sets up process.stdout and process.stderr
    // (~3 ms each) in runs that print nothing; read them when output is wrapped.
    file: 'screen.js',
    from: 'exports.stdtermwidth = columns || termwidth(process.stdout);\nexports.errtermwidth = columns || termwidth(process.stderr);',
    to: "Object.defineProperty(exports, 'stdtermwidth', { enumerable: true, get: () => columns || termwidth(process.stdout) });\nObject.defineProperty(exports, 'errtermwidth', { enumerable: true, get: () => columns || termwidth(process.stderr) });",
  },
  {
    // An omitted positional argument is read from stdin unless the argument sets ignoreStdin:
    // under cron that meant setting up process.stdin and a readline interface (up to 10 ms) in
    // `config show` or `history`, and `echo x | photon config show` took x as the key. photon's
    // arguments come from the command line only; a plugin can opt in with `ignoreStdin: false`.
    file: 'parser/parse.js',
    from: 'if (arg.ignoreStdin || stdinRead)',
    to: 'if (arg.ignoreStdin !== false || stdinRead)',
  },
  // Error and help formatting. ansis decides on colours at load by asking process.stdout, which
  // sets up the stdout stream: ~6 ms with ansis' own set-up, in runs that print nothing.
  { file: 'errors/errors/cli.js', lazy: ['wrap-ansi', 'clean-stack', 'indent-string'] },
  { file: 'errors/errors/pretty-print.js', lazy: ['wrap-ansi'] },
  { file: 'help/formatter.js', lazy: ['ansis', 'indent-string', 'string-width', 'widest-line', 'wrap-ansi'] },
  { file: 'help/index.js', lazy: ['ansis'] },
  { file: 'help/command.js', lazy: ['ansis'] },
  { file: 'help/root.js', lazy: ['ansis'] },
  { file: 'ux/theme.js', lazy: ['ansis'] },
  { file: 'ux/action/spinner.js', lazy: ['ansis', 'cli-spinners'] },
  {
    // oclif's EPIPE handler was attached to process.stdout at load, which set up the stdout
    // stream (~4 ms with the stream machinery) in every run; photon's commands write to the
    // descriptor (core's host/stdio.ts). The handler is attached when stdout is first used.
    file: 'command.js',
    from: "process.stdout.on('error', (err) => {\n    if (err && err.code === 'EPIPE')\n        return;\n    throw err;\n});",
    to: "{\n    const swallowEpipe = (err) => {\n        if (err && err.code === 'EPIPE')\n            return;\n        throw err;\n    };\n    const own = Object.getOwnPropertyDescriptor(process, 'stdout');\n    if (own && own.get && own.configurable) {\n        const get = function () {\n            const stdout = own.get.call(process);\n            Object.defineProperty(process, 'stdout', own);\n            stdout.on('error', swallowEpipe);\n            return stdout;\n        };\n        get[Symbol.for('photon.stdout-unused')] = true;\n        Object.defineProperty(process, 'stdout', { ...own, get });\n    }\n    else\n        process.stdout.on('error', swallowEpipe);\n}",
  },
  {
    // After a command oclif waited for stdout to drain, setting the stream up to ask; a stdout
    // nobody used (see the command.js patch above) has nothing to drain.
    file: 'flush.js',
    from: 'async function _flush() {',
    to: "async function _flush() {\n    if (Object.getOwnPropertyDescriptor(process, 'stdout')?.get?.[Symbol.for('photon.stdout-unused')])\n        return;",
  },
  {
    // The spinner-or-simple action was made at load: it asked process.stderr whether it is a
    // terminal and kept process.stdout's and process.stderr's write functions, which set up both
    // streams (under cron a pipe: net and stream, ~4 ms). Made when a command first uses it;
    // isatty(2) answers the same question without a stream.
    file: 'ux/index.js',
    from: "const ACTION_TYPE = (Boolean(process.stderr.isTTY) &&\n    !process.env.CI &&\n    !['dumb', 'emacs-color'].includes(process.env.TERM) &&\n    'spinner') ||\n    'simple';\nexports.action = ACTION_TYPE === 'spinner' ? new spinner_1.default() : new simple_1.default();\nexports.ux = {\n    action: exports.action,",
    to: "let action;\nconst makeAction = () => (action ??= require('node:tty').isatty(2) &&\n    !process.env.CI &&\n    !['dumb', 'emacs-color'].includes(process.env.TERM)\n    ? new spinner_1.default()\n    : new simple_1.default());\nObject.defineProperty(exports, 'action', { enumerable: true, get: makeAction });\nexports.ux = {\n    get action() {\n        return makeAction();\n    },",
  },
  // supports-color loads node:tty (and with it net and stream) to ask about colours nobody prints.
  { file: 'ux/supports-color.js', lazy: ['supports-color'] },
  // ejs renders templated help texts only.
  { file: 'config/config.js', lazy: ['ejs'] },
];
/**
 * pino (loaded by every task run for its logger) asked worker_threads whether it runs on the main
 * thread at load; loading worker_threads loads the stream machinery (~3 ms). Only an asynchronous
 * destination needs the answer, and photon's are synchronous.
 */
const PINO_PATCHES = [
  {
    file: 'lib/tools.js',
    from: "const { isMainThread } = require('worker_threads')",
    to: "const isMainThread = () => require('worker_threads').isMainThread",
  },
  {
    file: 'lib/tools.js',
    from: 'if (!opts.sync && isMainThread) {',
    to: 'if (!opts.sync && isMainThread()) {',
  },
];

/** An esbuild plugin applying `patches` (`file` relative to the package directory `pkg`). */
function startUpPatches(pkg, patches) {
  return {
    name: `${pkg}-start-up-patches`,
    setup(b) {
      const byFile = new Map();
      for (const patch of patches) byFile.set(patch.file, [...(byFile.get(patch.file) ?? []), patch]);
      for (const [file, filePatches] of byFile) {
        // A `lazy` entry is one patch per module it names.
        const named = filePatches
          .flatMap((patch) => (patch.lazy ? patch.lazy.map((id) => ({ file, lazy: id })) : [patch]))
          .map((patch, index) => ({
            ...patch,
            name: expectRewrite(
              `${pkg}: ${file} ${patch.lazy ? `lazy ${patch.lazy}` : `patch ${index + 1}`}`,
            ),
          }));
        const filter = new RegExp(
          `node_modules[\\\\/]${`${pkg}/${file}`.replace(/[/.]/g, (c) => (c === '/' ? '[\\\\/]' : '\\.'))}$`,
        );
        b.onLoad({ filter }, (args) => {
          let source = readFileSync(args.path, 'utf8');
          for (const patch of named) {
            if (patch.lazy) Object.assign(patch, lazyRequire(source, patch.lazy));
            if (!source.includes(patch.from)) throw new Error(`patch "${patch.name}" no longer applies`);
            source = source.replace(patch.from, patch.to);
            applied.add(patch.name);
          }
          return { contents: source, loader: 'js' };
        });
      }
    },
  };
}

/** The require of `id` as tsc writes it (with or without __importDefault, which reads the module), and its lazy form. */
function lazyRequire(source, id) {
  const call = `require("${id}")`;
  const from = source.includes(`__importDefault(${call})`) ? `__importDefault(${call})` : call;
  return { from, to: `__photonLazy(() => ${from})` };
}

/**
 * The `debug` package (oclif's and simple-git's diagnostics) sets up process.stderr and reads the
 * terminal's colour support at load (~4 ms). Unless DEBUG is set, a no-op with the same API stands in.
 */
const debugOnlyWhenAsked = {
  name: 'debug-only-when-asked',
  setup(b) {
    const name = expectRewrite('debug: no-op unless DEBUG is set');
    b.onResolve({ filter: /^debug$/ }, (args) => {
      if (args.namespace === 'photon-debug') return undefined;
      applied.add(name);
      return { path: createRequire(args.importer).resolve('debug'), namespace: 'photon-debug' };
    });
    b.onLoad({ filter: /.*/, namespace: 'photon-debug' }, (args) => ({
      contents: `if (process.env.DEBUG) { module.exports = require(${JSON.stringify(args.path)}); } else {
  const make = (namespace) => Object.assign(() => {}, { namespace, enabled: false, useColors: false, color: 0, diff: 0, log() {}, destroy: () => false, extend: (sub, delimiter = ':') => make(namespace + delimiter + sub) });
  module.exports = Object.assign(make, { default: make, formatters: {}, names: [], skips: [], inspectOpts: {}, enable() {}, disable: () => '', enabled: () => false, humanize: String, coerce: (v) => v, selectColor: () => 0 });
}`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/** pino's worker-thread transports are never used (photon logs to stderr or a file in-process). */
const noPinoTransports = {
  name: 'no-pino-transports',
  setup(b) {
    const name = expectRewrite('pino: no thread-stream');
    b.onResolve({ filter: /^thread-stream$/ }, () => {
      applied.add(name);
      return { path: 'thread-stream', namespace: 'photon-stub' };
    });
    b.onLoad({ filter: /.*/, namespace: 'photon-stub' }, () => ({
      contents:
        "module.exports = class ThreadStream { constructor() { throw new Error('photon bundles pino without worker transports'); } };",
      loader: 'js',
    }));
  },
};

/**
 * Built-ins that bundled libraries require at load but most runs never call (sonic-boom's assert,
 * oclif's stdin reader, performance marks and shell detection): each becomes a proxy that loads
 * the module on first property access. The build fails when one no longer occurs, as the oclif
 * patches do, so the list stays what it claims.
 */
const LAZY_BUILTINS = ['assert', 'node:child_process', 'node:perf_hooks', 'node:readline'];
const lazyBuiltinRequire = new RegExp(`(?<!__toESM\\()require\\("(${LAZY_BUILTINS.join('|')})"\\)`, 'g');
// assert is itself a function (sonic-boom calls it), so its proxy wraps one.
const lazyLoadHelpers =
  'function __photonLazy(load,callable){let m;const l=()=>m??=load();return new Proxy(callable?()=>{}:{},{apply:(_,t,a)=>l()(...a),get:(_,k)=>l()[k],has:(_,k)=>k in l(),ownKeys:()=>Reflect.ownKeys(l()),getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(l(),k);return d&&{...d,configurable:true}}})}' +
  'function __photonLazyBuiltin(id){return __photonLazy(()=>require(id),/assert$/.test(id))}';

/**
 * The loaders read bundles as latin1, so they must be ASCII. esbuild's ASCII charset leaves
 * regular-expression literals alone (ansis matches raw CSI bytes); a \u escape means the same
 * character there and in strings.
 */
const escapeNonAscii = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

rmSync(outDir, { recursive: true, force: true });
await build({
  entryPoints: [path.join(core, 'dist/index.js')],
  outfile: path.join(outDir, 'core.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // typescript is only used by oclif's development mode and is not installed in production;
  // nodemailer only by runs that send mail. Bundled modules imported lazily (simple-git,
  // pino) cost only bytes until used: the code cache compiles nothing they do not run.
  external: ['typescript', 'nodemailer'],
  plugins: [
    zodEnglishOnly,
    startUpPatches('@oclif/core/lib', OCLIF_PATCHES),
    startUpPatches('pino', PINO_PATCHES),
    debugOnlyWhenAsked,
    noPinoTransports,
  ],
  legalComments: 'linked',
  // Short and ASCII-only: V8 keeps the source in memory as one-byte string for lazy compilation
  // (a single non-ASCII comment would double it). Identifiers stay, so stack traces keep names.
  charset: 'ascii',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'error',
});

// vm.Script cannot run import() on Node 20 (it needs --experimental-vm-modules, and a code-cached
// script loses the callback), so the bundle's few dynamic imports call a function the loader passes in.
// The module wrapper is written into the file, so the loader compiles the file's text as it is
// read (no second multi-megabyte string).
const bundleFile = path.join(outDir, 'core.cjs');
const madeLazy = new Set();
const bundled = readFileSync(bundleFile, 'utf8')
  .replace(/(?<![\w$."'`])import\(/g, '__photonImport(')
  .replace(lazyBuiltinRequire, (_, id) => {
    madeLazy.add(id);
    return `__photonLazyBuiltin("${id}")`;
  })
  .replace(/[^\x00-\x7f]/g, escapeNonAscii);
const stale = [
  ...mustApply.filter((name) => !applied.has(name)),
  ...LAZY_BUILTINS.filter((id) => !madeLazy.has(id)).map((id) => `lazy built-in ${id}`),
];
if (stale.length > 0) throw new Error(`bundle rewrites that no longer apply: ${stale.join(', ')}`);
writeFileSync(
  bundleFile,
  `(function (exports, require, module, __filename, __dirname, __photonImport) {${lazyLoadHelpers}${bundled}\n})`,
);
// The CommonJS entry (loader.cjs) and its helpers are plain source files in packages/core/loader.
for (const name of ['loader.cjs', 'code-cache.cjs', 'precompiled-modules.cjs'])
  copyFileSync(path.join(core, 'loader', name), path.join(outDir, name));

// The ESM face of the bundle: named exports, so `import { TaskCommand } from '@ffphoton/core'` works.
const names = Object.keys(createRequire(import.meta.url)(path.join(outDir, 'loader.cjs'))).filter(
  (n) => n !== 'default',
);
writeFileSync(
  path.join(outDir, 'index.js'),
  `// Generated by scripts/bundle.mjs.\nconst core = process.getBuiltinModule('node:module').createRequire(import.meta.url)('./loader.cjs');\n\nexport const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = core;\n`,
);

rmSync(`${finalDir}.old`, { recursive: true, force: true });
try {
  renameSync(finalDir, `${finalDir}.old`);
} catch {}
renameSync(outDir, finalDir);
rmSync(`${finalDir}.old`, { recursive: true, force: true });

// The manifest format the loader accepts, from the loader itself.
const { FORMAT: PRECOMPILED_FORMAT } = createRequire(import.meta.url)(
  path.join(core, 'loader/precompiled-modules.cjs'),
);

/**
 * Precompiles a first-party package: its commands, hooks and settings modules (everything oclif
 * or core import()s from it) and what they import, in one CommonJS file, dist/bundle/modules.cjs,
 * which core's loader runs through the code cache instead of Node's ESM loader (see
 * packages/core/loader/precompiled-modules.cjs). `@ffphoton/core` stays outside: the bundle is
 * handed the running copy. modules.json lists every input with its size, so a dist rebuilt since
 * (or a different version installed over it) is loaded as it is instead.
 */
async function precompilePackage(root) {
  const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const listJs = (dir) =>
    readdirSync(dir, { recursive: true })
      .filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'))
      .map((f) => path.join(dir, f));
  // First-party packages name a commands directory (oclif also knows patterns and explicit maps).
  const commandsDir = pjson.oclif?.commands;
  if (commandsDir !== undefined && typeof commandsDir !== 'string')
    throw new Error(`cannot precompile ${path.basename(root)}: oclif.commands is not a directory`);
  const commands = commandsDir ? listJs(path.join(root, commandsDir)) : [];
  const hooks = Object.values(pjson.oclif?.hooks ?? {})
    .flat()
    .map((f) => path.join(root, f));
  const settings = Object.values(pjson.photon?.settings ?? {}).map((f) => path.join(root, f));
  const entries = [...new Set([...commands, ...hooks, ...settings])].map((f) =>
    path.relative(root, f).split(path.sep).join('/'),
  );
  const outDir = path.join(root, 'dist/bundle');
  rmSync(outDir, { recursive: true, force: true });
  if (entries.length === 0) return;
  const result = await build({
    stdin: {
      contents: `export const modules = {\n${entries.map((e) => `  ${JSON.stringify(e)}: () => import(${JSON.stringify(`./${e}`)}),`).join('\n')}\n};\n`,
      resolveDir: root,
      sourcefile: 'precompiled-modules.js',
    },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['@ffphoton/core'],
    charset: 'ascii',
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const name = path.basename(root);
  // A module that needs what CommonJS cannot give it must stay an ES module.
  const problems = result.warnings.map((w) => w.text).filter((t) => /import\.meta|top-level await/.test(t));
  const code = result.outputFiles[0].text;
  if (/(?<![\w$."'`])import\(/.test(code))
    problems.push('a dynamic import() of a module outside the package');
  if (problems.length > 0) throw new Error(`cannot precompile ${name}: ${problems.join('; ')}`);
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .map((input) => path.resolve(input))
      .filter((file) => file !== path.join(root, 'precompiled-modules.js'))
      .map((file) => [path.relative(root, file).split(path.sep).join('/'), statSync(file).size]),
  );
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    path.join(outDir, 'modules.json'),
    `${JSON.stringify({ format: PRECOMPILED_FORMAT, inputs }, null, 2)}\n`,
  );
  // Written last: the loader trusts it only while no input is newer.
  writeFileSync(
    path.join(outDir, 'modules.cjs'),
    `(function (exports, require, module, __filename, __dirname) {${code.replace(/[^\x00-\x7f]/g, escapeNonAscii)}\n})`,
  );
}
for (const dir of readdirSync(path.join(repo, 'packages')).filter((d) => d !== 'core'))
  await precompilePackage(path.join(repo, 'packages', dir));

// Warm the cache with representative runs; each run adds what it compiled to the cache it loaded:
// start-up and settings (config show on the example: every namespace, Photon's tags, anchors),
// then a task that runs a program (logger, lock, shell, journal).
const sandbox = mkdtempSync(path.join(os.tmpdir(), 'photon-bundle-'));
for (const args of [
  ['config', 'show', '--config', path.join(repo, 'examples/community')],
  ['exec', '--name', 'warm-up', '--', 'true'],
]) {
  const run = spawnSync(
    process.execPath,
    [path.join(repo, 'packages/cli/bin/run.js'), ...args, '--root', sandbox],
    {
      env: { ...process.env, PHOTON_REBUILD_CODE_CACHE: '1', PHOTON_DATA_DIR: '/var/lib/photon' },
      encoding: 'utf8',
    },
  );
  // A bundle that cannot run `config show` must not pass for built.
  if (run.status !== 0)
    throw new Error(`warm-up \`photon ${args.join(' ')}\` exited ${run.status}: ${run.stderr}`);
}
rmSync(sandbox, { recursive: true, force: true });
