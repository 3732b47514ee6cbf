'use strict';
// Copied into dist/bundle by scripts/bundle.mjs, which also records fingerprints with it. A bundle
// (core's, a package's precompiled modules) is used only while every first-party file it was
// built from has the content it had at build: not its size or mtime, which a same-size edit or an
// unpacked package does not change reliably.
// CRC-32 is the check Node's own compile cache uses for the same job (accidental change, not an
// attacker: whoever can write these files can write the code itself); zlib's is ~4 GB/s, where a
// SHA would also load the crypto module into every run.
const fs = require('node:fs');
const path = require('node:path');
const { crc32 } = require('node:zlib');

/** What the build records for a file's content: `<length>:<crc32 hex>`. */
function fingerprint(bytes) {
  return `${bytes.length}:${crc32(bytes).toString(16)}`;
}

/** Whether every file of `inputs` (`{ path relative to root: fingerprint }`) still has its recorded content. */
function unchanged(root, inputs) {
  if (inputs === null || typeof inputs !== 'object') return false;
  for (const [input, recorded] of Object.entries(inputs)) {
    let bytes;
    try {
      bytes = fs.readFileSync(path.join(root, input));
    } catch {
      return false;
    }
    if (fingerprint(bytes) !== recorded) return false;
  }
  return true;
}

module.exports = { fingerprint, unchanged };
