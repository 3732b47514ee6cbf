'use strict';
// Copied into dist/bundle by scripts/bundle.mjs. Compiles a bundle (core.cjs, a package's
// modules.cjs, each written as one function expression) through V8's code cache in
// `<file>.cache`: the bytecode of everything earlier runs compiled is reused, lazily compiled
// functions included (Node's own compile cache keeps only what is compiled before the code runs:
// +40 ms CPU per run on Node 22, docs/start-up.md).
// V8 checks only the source's length against a cache and, in release builds, not the cached
// bytes at all: a corrupted cache of the right length was a fatal error (exit 133) in every run.
// So the cache file starts with a header naming what it was made from (the source's
// fingerprint, Node version, architecture and flags) and a checksum of the bytes after it;
// anything that does not match, or that V8 rejects, is ignored and rewritten at exit (temporary
// file + rename: a crash mid-write leaves the old cache or none). A cache can make a run slower,
// never fail it.
const fs = require('node:fs');
const vm = require('node:vm');
const { crc32 } = require('node:zlib');
const { fingerprint } = require('./fingerprint.cjs');

const FORMAT = 'photon-code-cache/2';

/** The function `file` holds, compiled through the verified code cache `<file>.cache`. */
function loadBundle(file) {
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
