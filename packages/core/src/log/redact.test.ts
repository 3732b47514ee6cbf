import { afterEach, describe, expect, it } from 'vitest';
import {
  forgetSecrets,
  REDACTED,
  redactingReplacer,
  redactSecrets,
  redactText,
  rememberSecrets,
} from './redact.js';

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

describe('redaction by value shape', () => {
  afterEach(() => forgetSecrets());

  it('hides the password of any URL userinfo, keeping user and host', () => {
    expect(
      redactText("fatal: unable to access 'https://photon:GitTok3n@127.0.0.1:9/configs.git/': refused"),
    ).toBe("fatal: unable to access 'https://photon:***@127.0.0.1:9/configs.git/': refused");
    expect(
      redactSecrets({ repository: { remote: 'ssh://git:pw@host/r.git', other: 'git@host:r.git' } }),
    ).toEqual({
      repository: { remote: 'ssh://git:***@host/r.git', other: 'git@host:r.git' },
    });
  });

  it('hides Authorization-style values and secret=value pairs in text', () => {
    expect(redactText('Authorization: Bearer abc.def-123')).toBe('Authorization: Bearer ***');
    expect(redactText('curl -H "Authorization: Basic dXNlcjpwdw==" x')).toBe(
      'curl -H "Authorization: Basic ***" x',
    );
    expect(redactText('proxy-authorization=s3cr3t')).toBe('proxy-authorization=***');
    expect(redactText('run --password=hunter22 --token=abc x')).toBe('run --password=*** --token=*** x');
    expect(redactText('git.token: expected string')).toBe('git.token: expected string');
  });

  it('hides every value of a secret key wherever it appears once the settings are known', () => {
    rememberSecrets({ mail: { smtp: { password: 'Hunter2Hunter2' } }, x: 'plain' });
    expect(redactText('login failed for Hunter2Hunter2 at mx')).toBe('login failed for *** at mx');
    expect(redactSecrets({ msg: ['Hunter2Hunter2'] })).toEqual({ msg: ['***'] });
    expect(redactText('plain')).toBe('plain');
  });

  it('also hides a URL password wherever it appears without its URL', () => {
    rememberSecrets({ git: { remote: 'https://photon:GitTok3n5566@host/r.git' } });
    expect(redactText('token GitTok3n5566 refused')).toBe('token *** refused');
  });
});

describe('redactingReplacer', () => {
  it('serializes as redactSecrets would', () => {
    const value = {
      a: { password: 'p', list: ['https://u:pw12@h/'], token: { deep: 1 } },
      n: 1,
      empty: { token: '' },
    };
    expect(JSON.parse(JSON.stringify(value, redactingReplacer))).toEqual(redactSecrets(value));
  });
});

describe('redacting errors', () => {
  it('copies an Error with its message, stack and fields redacted, keeping its class', () => {
    class GitError extends Error {
      remote = 'https://u:pw12@h/r.git';
    }
    const error = new GitError("fatal: unable to access 'https://u:pw12@h/r.git'");
    const copy = redactSecrets(error);
    expect(copy).toBeInstanceOf(GitError);
    expect(copy.message).toBe("fatal: unable to access 'https://u:***@h/r.git'");
    expect(copy.stack).not.toContain('pw12');
    expect(copy.remote).toBe('https://u:***@h/r.git');
    expect(error.message).toContain('pw12');
  });

  it('an error without a stack is copied without one; a secret field is hidden whole', () => {
    const error = new Error('token=abc123 refused') as Error & { apiToken?: string };
    error.apiToken = 'abc123';
    error.stack = undefined;
    const copy = redactSecrets(error);
    expect([copy.message, copy.stack, copy.apiToken]).toEqual(['token=*** refused', undefined, '***']);
  });
});

describe('redaction edge cases', () => {
  afterEach(() => forgetSecrets());

  it('remembers secrets in lists and beside nulls, from 4 characters on, and forgets them on request', () => {
    rememberSecrets({
      tokens: ['tok1-abcd', 'tok2-efgh'],
      password: 'abc',
      secret: 'abcd',
      none: null,
      pass: null,
    });
    expect(redactText('tok1-abcd tok2-efgh abc abcd')).toBe('*** *** abc ***');
    forgetSecrets();
    expect(redactText('tok1-abcd tok2-efgh abc abcd')).toBe('tok1-abcd tok2-efgh abc abcd');
  });

  it('keeps empty secret values and values that are no plain objects as they are', () => {
    const when = new Date(0);
    const map = new Map([['password', 'inside a map']]);
    const value = { password: null, token: undefined, secret: '', when, map, nothing: null };
    const copy = redactSecrets(value);
    expect(copy).toEqual(value);
    expect(copy.when).toBe(when);
    expect(copy.map).toBe(map);
    expect(
      JSON.parse(
        JSON.stringify({ password: null, token: '', secret: 12, n: 'password=x1' }, redactingReplacer),
      ),
    ).toEqual({
      password: null,
      token: '',
      secret: REDACTED,
      n: 'password=***',
    });
    expect(JSON.stringify('token=abc', redactingReplacer)).toBe('"token=***"');
  });

  it('a redacted error copy can be changed like the original (message and stack writable, configurable)', () => {
    const copy = redactSecrets(new Error('password=abc1'));
    copy.message = 'changed';
    expect(copy.message).toBe('changed');
    expect(delete (copy as { stack?: string }).stack).toBe(true);
    expect(copy.stack).toBeUndefined();
  });

  it.each([
    // private key blocks of every kind, with newlines inside, each cut out
    [
      'a -----BEGIN RSA PRIVATE KEY-----\nMIIE\nAA==\n-----END RSA PRIVATE KEY----- b -----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY----- c',
      'a *** b *** c',
    ],
    // URL passwords in any scheme, the user kept, several in one line
    [
      'git+ssh://git:s3cret@host/r.git and HTTPS://u:p4ss@h/x',
      'git+ssh://git:***@host/r.git and HTTPS://u:***@h/x',
    ],
    ['smtp://mail.example.org:secretpass@relay', 'smtp://mail.example.org:***@relay'],
    // credentials after Authorization words, with or without a scheme and blanks
    ['Authorization:Bearer abc.def', 'Authorization:Bearer ***'],
    ['authorization = token  xyz; next', 'authorization = token  ***; next'],
    ['Proxy-Authorization: Negotiate YII=,', 'Proxy-Authorization: Negotiate ***,'],
    // secret assignments end at blanks, quotes and separators
    [
      'passwd=a1&api_key=k2;apikey=k3,api-key=k4 "secret=k5" passphrase=k6',
      'passwd=***&api_key=***;apikey=***,api-key=*** "secret=***" passphrase=***',
    ],
    // neither shape: unchanged
    ['password: expected a string; token length 5', 'password: expected a string; token length 5'],
  ])('redactText(%j)', (text, redacted) => {
    expect(redactText(text)).toBe(redacted);
  });

  it('knows secret keys by name, "pass" only as the end of one', () => {
    const keys = [
      'password',
      'smtpPassword',
      'secret',
      'passphrase',
      'token',
      'pass',
      'sshPass',
      'privateKey',
      'private_key',
      'apiKey',
      'api_key',
    ];
    const plain = ['passage', 'passive', 'user', 'keyFile', 'compass_dir'];
    const tree = Object.fromEntries([...keys, ...plain].map((k) => [k, 'value']));
    expect(redactSecrets(tree)).toEqual(
      Object.fromEntries([...keys.map((k) => [k, REDACTED]), ...plain.map((k) => [k, 'value'])]),
    );
  });
});
