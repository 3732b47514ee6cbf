import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactText } from './redact.js';

describe('redaction', () => {
  it('replaces secret values at any depth and keeps the rest', () => {
    const settings = {
      mail: { smtp: { host: 'mx', user: 'gw', password: 'p' }, to: ['a@b'] },
      fastd: { instances: [{ name: 'mz', secret: 's', peersRepo: { pass: 'x' } }] },
      api: { token: 't', apiKey: 'k', empty: '' },
    };
    expect(redactSecrets(settings)).toEqual({
      mail: { smtp: { host: 'mx', user: 'gw', password: REDACTED }, to: ['a@b'] },
      fastd: { instances: [{ name: 'mz', secret: REDACTED, peersRepo: { pass: REDACTED } }] },
      api: { token: REDACTED, apiKey: REDACTED, empty: '' },
    });
    expect(settings.mail.smtp.password).toBe('p');
  });

  it('cuts private key blocks out of any text', () => {
    const text =
      'key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\nend';
    expect(redactText(text)).toBe(`key:\n${REDACTED}\nend`);
  });
});
