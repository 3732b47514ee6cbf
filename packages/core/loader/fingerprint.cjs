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

let buffer = Buffer.alloc(0);

/** What the build records for a file's content: `<length>:<crc32 hex>`. */
function fingerprint(bytes) {
  return `${bytes.length}:${crc32(bytes).toString(16)}`;
}

/**
 * Whether every file of `inputs` (`{ path relative to root: fingerprint }`) still has its recorded
 * content. Each file is read into one reused buffer (open, read, close: a hundred small files in
 * about the time a stat of each took).
 */
function unchanged(root, inputs) {
  if (inputs === null || typeof inputs !== 'object') return false;
  for (const [input, recorded] of Object.entries(inputs)) {
    const length = Number.parseInt(recorded, 10);
    if (!(length >= 0)) return false;
    // One byte more than recorded: a file that grew reads longer.
    if (buffer.length <= length) buffer = Buffer.allocUnsafe(Math.max(length + 1, 2 * buffer.length));
    let read;
    try {
      const fd = fs.openSync(path.join(root, input), 'r');
      try {
        read = fs.readSync(fd, buffer, 0, length + 1, 0);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return false;
    }
    if (read !== length || fingerprint(buffer.subarray(0, read)) !== recorded) return false;
  }
  return true;
}

module.exports = { fingerprint, unchanged };
