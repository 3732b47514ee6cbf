'use strict';
// Copied into dist/bundle by scripts/bundle.mjs. Compiles a bundle written as one function
// expression through V8's code cache (`<file>.cache`): the bytecode of everything earlier runs
// compiled is reused. A missing or stale cache (another Node version) is rebuilt at exit when the
// directory is writable.
const fs = require('node:fs');
const vm = require('node:vm');

/** Compiles `file` (ASCII: read as latin1, V8 keeps a one-byte string) and returns the function it holds. */
function compileCached(file) {
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {}
  const script = new vm.Script(fs.readFileSync(file, 'latin1'), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected || process.env.PHOTON_REBUILD_CODE_CACHE) {
    // At exit the cache also holds what this run compiled lazily.
    process.once('exit', () => {
      try {
        fs.writeFileSync(cacheFile, script.createCachedData());
      } catch {}
    });
  }
  return script.runInThisContext();
}

module.exports = { compileCached };
