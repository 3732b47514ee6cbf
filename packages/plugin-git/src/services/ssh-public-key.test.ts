import { describe, expect, it } from 'vitest';
import { parsePublicKey } from './ssh-public-key.js';

/** A key blob as OpenSSH encodes it: uint32 length, the type name, then key material. */
function blob(type: string, material = 'key-material', declaredLength = type.length): string {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(declaredLength);
  return Buffer.concat([head, Buffer.from(type, 'latin1'), Buffer.from(material)]).toString('base64');
}

const TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

describe('parsePublicKey', () => {
  it.each(TYPES)('accepts a %s key and returns type, blob, comment and the trimmed line', (type) => {
    const key = blob(type);
    expect(parsePublicKey(`  ${type} ${key} admin key  \n`)).toEqual({
      type,
      blob: key,
      comment: 'admin key',
      line: `${type} ${key} admin key`,
    });
  });

  it('accepts a key without comment, separated by tabs', () => {
    const key = blob('ssh-ed25519');
    expect(parsePublicKey(`ssh-ed25519\t${key}`)).toEqual({
      type: 'ssh-ed25519',
      blob: key,
      comment: '',
      line: `ssh-ed25519\t${key}`,
    });
  });

  it('refuses unknown types, mismatched blobs and malformed lines', () => {
    const ed = blob('ssh-ed25519');
    const refused = [
      '',
      'ssh-ed25519',
      `ssh-ed448 ${blob('ssh-ed448')}`,
      `ssh-rsa ${ed}`, // the blob says ed25519
      `ssh-ed25519 ${blob('ssh-ed25519', 'x', 12)}`, // declared length does not match
      `ssh-ed25519 ${blob('ssh-ed25518')}`, // same length, other name
      'ssh-ed25519 AAA=', // too short to hold a length
      'ssh-ed25519 AAAAAA==', // length only
      `ssh-ed25519 ${ed}!`, // junk glued to the blob
      `x ssh-ed25519 ${ed}`, // junk before the type
      `ssh-ed25519 !${ed}`,
      `ssh-ed25519 ${ed}====`,
    ];
    for (const line of refused) expect(parsePublicKey(line), line).toBeUndefined();
  });

  it('takes runs of blanks as one separator', () => {
    const key = blob('ssh-ed25519');
    expect(parsePublicKey(`ssh-ed25519  ${key}   admin`)).toEqual({
      type: 'ssh-ed25519',
      blob: key,
      comment: 'admin',
      line: `ssh-ed25519  ${key}   admin`,
    });
  });

  it('refuses a blob that claims more bytes than it has', () => {
    expect(parsePublicKey(`ssh-rsa ${blob('ssh-rsa', '', 100)}`)).toBeUndefined();
  });

  it('accepts base64 padding', () => {
    const padded = blob('ssh-rsa', 'ab');
    expect(padded.endsWith('=')).toBe(true);
    expect(parsePublicKey(`ssh-rsa ${padded}`)?.blob).toBe(padded);
  });
});
