const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

export interface PublicKey {
  type: string;
  /** The base64 key blob: what identifies a key, whatever its comment. */
  blob: string;
  comment: string;
  line: string;
}

/**
 * Parses one OpenSSH public key line (`type base64 [comment]`); the blob must decode to a key
 * of the named type. Returns undefined for anything else (a private key, a fingerprint, junk).
 */
export function parsePublicKey(line: string): PublicKey | undefined {
  const trimmed = line.trim();
  const match = /^(\S+)\s+([A-Za-z0-9+/]+={0,3})(?:\s+(.*))?$/.exec(trimmed);
  if (!match || !KEY_TYPES.has(match[1])) return undefined;
  const blob = Buffer.from(match[2], 'base64');
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length !== match[1].length || blob.subarray(4, 4 + length).toString('latin1') !== match[1])
    return undefined;
  return { type: match[1], blob: match[2], comment: match[3] ?? '', line: trimmed };
}
