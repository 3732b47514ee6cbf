/**
 * `bytes` random bytes as hex, for run ids and the names of temp files beside their targets.
 * Nothing here needs cryptographic randomness (temp files are opened exclusively and their names
 * carry the writer's pid), so no crypto module is loaded for it.
 */
export function randomHex(bytes: number): string {
  let hex = '';
  for (let i = 0; i < bytes; i++)
    hex += Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  return hex;
}
