'use strict';
// Copied into dist/bundle by scripts/bundle.mjs. Loads a bundle (core.cjs, a package's
// modules.cjs) and returns the function it holds, with its bytecode cached between runs:
// - Node >= 22.1: Node's own compile cache (`module.enableCompileCache`), which checks the source
//   and the cache itself; the bundle is an ordinary CommonJS module there.
// - Node 20: V8's code cache through vm.Script, in `<file>.cache`. V8 checks only the source's
//   length against it and does not check the cached bytes at all in release builds: a corrupted
//   cache of the right length is a fatal error (exit 133) in every run. So the cache file starts
//   with a header naming what it was made from (the source's fingerprint, Node version,
//   architecture and flags) and a checksum of the bytes after it; anything that does not match,
//   or that V8 rejects, is ignored and rewritten at exit (temporary file + rename, so a crash
//   mid-write leaves the old cache or none). A cache can make a run slower, never fail it.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');
const { crc32 } = require('node:zlib');
const { fingerprint } = require('./fingerprint.cjs');

const FORMAT = 'photon-code-cache/2';
const nodeCompileCache = typeof Module.enableCompileCache === 'function';

/** The function `file` holds (a bundle written by scripts/bundle.mjs: see its `bundleText`). */
function loadBundle(file) {
  if (nodeCompileCache) {
    // Beside the bundle like the Node 20 cache (a rebuilt bundle directory starts empty);
    // where that is not writable, Node's default under the temporary directory.
    const { FAILED } = Module.constants.compileCacheStatus;
    if (Module.enableCompileCache(path.join(path.dirname(file), '.node-compile-cache')).status === FAILED)
      Module.enableCompileCache();
    return Module.createRequire(file)(file);
  }
  return compileWithCodeCache(file);
}

/** Node 20: compiles `file` through the verified code cache `<file>.cache`. */
function compileWithCodeCache(file) {
  const cacheFile = `${file}.cache`;
  const source = fs.readFileSync(file);
  const key = cacheKey(source);
  const cachedData = readCache(cacheFile, key);
  // ASCII (the bundler escapes the rest): read as latin1, V8 keeps a one-byte string.
  const script = new vm.Script(source.toString('latin1'), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected || process.env.PHOTON_REBUILD_CODE_CACHE) {
    // At exit the cache also holds what this run compiled lazily.
    process.once('exit', () => writeCache(cacheFile, key, script.createCachedData()));
  }
  return script.runInThisContext();
}

/** What a cache must have been made from to be used: this source, this Node, these flags. */
function cacheKey(source) {
  return {
    format: FORMAT,
    source: fingerprint(source),
    node: process.version,
    arch: process.arch,
    flags: [...nodeFlags(), process.env.NODE_OPTIONS ?? ''].join(' ').trim(),
  };
}

/** Node's and V8's flags, without the code of `-e`/`-p` (not a flag, and different each time). */
function nodeFlags() {
  const argv = process.execArgv;
  return argv.filter(
    (arg, i) =>
      !/^(-e|-p|-pe|--eval|--print)$/.test(arg) && !/^(-e|-p|-pe|--eval|--print)$/.test(argv[i - 1]),
  );
}

/** The cached bytes of `cacheFile` when its header matches `key` and its checksum its bytes; else undefined. */
function readCache(cacheFile, key) {
  try {
    const bytes = fs.readFileSync(cacheFile);
    const newline = bytes.indexOf(10);
    if (newline < 0 || newline > 4096) return undefined;
    const header = JSON.parse(bytes.toString('latin1', 0, newline));
    const data = bytes.subarray(newline + 1);
    for (const [name, value] of Object.entries(key)) if (header[name] !== value) return undefined;
    if (header.length !== data.length || header.checksum !== crc32(data)) return undefined;
    return data;
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically; a directory that is not writable just keeps the run uncached. */
function writeCache(cacheFile, key, data) {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    const header = JSON.stringify({ ...key, length: data.length, checksum: crc32(data) });
    fs.writeFileSync(temporary, Buffer.concat([Buffer.from(`${header}\n`, 'latin1'), data]));
    fs.renameSync(temporary, cacheFile);
  } catch {
    try {
      fs.unlinkSync(temporary);
    } catch {}
  }
}

module.exports = { loadBundle, FORMAT };
