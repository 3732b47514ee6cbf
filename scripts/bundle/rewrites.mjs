// The esbuild plugins that apply scripts/bundle/patches.mjs to core's bundle. Every rewrite names
// itself when it fires; `checkAllApplied` fails the build for any that did not, so a dependency
// update cannot silently bring back what a rewrite removed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { LAZY_BUILTINS, PATCHES, STUBS } from './patches.mjs';

/**
 * The esbuild plugins and checks of one build. `without` leaves entries of PATCHES, STUBS or
 * LAZY_BUILTINS out (scripts/bundle/measure-patches.mjs measures what each saves).
 */
export function createRewrites(repo, { without = new Set() } = {}) {
  const applied = new Set();
  const expected = [];
  const expect = (name) => {
    expected.push(name);
    return name;
  };
  const stub = (prefix) => STUBS.find((entry) => entry.name.startsWith(prefix));
  const stubName = (prefix) => expect(stub(prefix).name);

  /** zod's English locale only. */
  const zodEnglishOnly = {
    name: 'zod-english-only',
    setup(b) {
      const name = stubName('zod:');
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

  /** `debug` is a no-op with the same API unless DEBUG is set. */
  const debugOnlyWhenAsked = {
    name: 'debug-only-when-asked',
    setup(b) {
      const name = stubName('debug:');
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

  /** pino without its worker-thread transports. */
  const noPinoTransports = {
    name: 'no-pino-transports',
    setup(b) {
      const name = stubName('pino:');
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

  /** The text and lazy patches of PATCHES, per compiled file of the package they name. */
  const patchedFiles = {
    name: 'photon-start-up-patches',
    setup(b) {
      const byFile = new Map();
      for (const patch of PATCHES.filter((entry) => !without.has(entry))) {
        const key = `${patch.package}/${patch.file}`;
        // A `lazy` entry is one rewrite per module it names.
        const rewrites = patch.kind === 'lazy' ? patch.ids.map((id) => ({ lazy: id })) : [patch];
        byFile.set(key, [...(byFile.get(key) ?? []), ...rewrites]);
      }
      for (const [key, rewrites] of byFile) {
        const named = rewrites.map((rewrite, index) => ({
          ...rewrite,
          name: expect(`${key} ${rewrite.lazy ? `lazy ${rewrite.lazy}` : `patch ${index + 1}`}`),
        }));
        const filter = new RegExp(
          `node_modules[\\\\/]${key.replace(/[/.]/g, (c) => (c === '/' ? '[\\\\/]' : '\\.'))}$`,
        );
        b.onLoad({ filter }, (args) => {
          let source = readFileSync(args.path, 'utf8');
          for (const rewrite of named) {
            const { from, to } = rewrite.lazy ? lazyRequire(source, rewrite.lazy) : rewrite;
            if (!source.includes(from)) throw new Error(`patch "${rewrite.name}" no longer applies`);
            source = source.replace(from, to);
            applied.add(rewrite.name);
          }
          return { contents: source, loader: 'js' };
        });
      }
    },
  };

  const lazyBuiltinRequire = new RegExp(
    `(?<!__toESM\\()require\\("(${LAZY_BUILTINS.ids.join('|')})"\\)`,
    'g',
  );
  /** The bundle's plain requires of LAZY_BUILTINS, as proxies. */
  const makeBuiltinsLazy = (code) =>
    without.has(LAZY_BUILTINS)
      ? code
      : code.replace(lazyBuiltinRequire, (_, id) => {
          applied.add(`lazy built-in ${id}`);
          return `__photonLazyBuiltin("${id}")`;
        });
  if (!without.has(LAZY_BUILTINS)) for (const id of LAZY_BUILTINS.ids) expect(`lazy built-in ${id}`);

  const stubs = [
    [stub('zod:'), zodEnglishOnly],
    [stub('debug:'), debugOnlyWhenAsked],
    [stub('pino:'), noPinoTransports],
  ];
  return {
    plugins: [patchedFiles, ...stubs.filter(([entry]) => !without.has(entry)).map(([, plugin]) => plugin)],
    makeBuiltinsLazy,
    checkAllApplied() {
      const stale = expected.filter((name) => !applied.has(name));
      if (stale.length > 0) throw new Error(`bundle rewrites that no longer apply: ${stale.join(', ')}`);
    },
  };
}

/** The require of `id` as tsc writes it (with or without __importDefault, which reads the module), and its lazy form. */
function lazyRequire(source, id) {
  const call = `require("${id}")`;
  const from = source.includes(`__importDefault(${call})`) ? `__importDefault(${call})` : call;
  return { from, to: `__photonLazy(() => ${from})` };
}
