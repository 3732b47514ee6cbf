/**
 * `bytes` random bytes as hex, for temp-file names and run ids. Web Crypto's global is loaded on
 * first use; `import 'node:crypto'` would load the whole crypto module at every start-up.
 */
export function randomHex(bytes: number): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}
