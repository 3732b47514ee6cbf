/** Keys whose values never appear in printed settings, logs or mails. */
const SECRET_KEY = /(password|secret|passphrase|token|pass$|privatekey|private_key|apikey|api_key)/i;
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
/** `scheme://user:secret@`: the password of a URL's userinfo (git remotes, proxies, SMTP URLs). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*):([^\s/?#@'"]+)@/gi;
/** `Authorization: Bearer x`, `Proxy-Authorization=Basic x`: the credential after the scheme word. */
const AUTHORIZATION =
  /\b((?:proxy-)?authorization\s*[:=]\s*(?:(?:bearer|basic|token|digest|negotiate)\s+)?)[^\s"',;]+/gi;
/** `--password=x`, `token=x` on a command line or in a query string. */
const SECRET_ASSIGNMENT = /\b(password|passwd|passphrase|secret|token|api[_-]?key)=[^\s"',;&]+/gi;
/** Remembered secret values shorter than this are too likely to be ordinary words. */
const MIN_SECRET_LENGTH = 4;

export const REDACTED = '***';

/** Values of secret keys (and URL passwords) of the loaded settings, hidden wherever they appear. */
const knownSecrets = new Set<string>();

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Remembers every value of a secret key, and every URL password, in a settings tree: from then
 * on redactText hides them in any text — a command's error output, an exception message — even
 * where neither the key nor the URL shape is there to recognise them.
 */
export function rememberSecrets(tree: unknown, secretParent = false): void {
  if (typeof tree === 'string') {
    if (secretParent) remember(tree);
    // matchAll copies the expression for each call: most settings strings hold no URL at all.
    if (tree.includes('://')) for (const match of tree.matchAll(URL_PASSWORD)) remember(match[2]);
  } else if (Array.isArray(tree)) {
    for (const item of tree) rememberSecrets(item, secretParent);
  } else if (tree && typeof tree === 'object') {
    for (const [key, value] of Object.entries(tree)) rememberSecrets(value, secretParent || isSecretKey(key));
  }
}

function remember(secret: string): void {
  if (secret.length >= MIN_SECRET_LENGTH) knownSecrets.add(secret);
}

/** Forgets the remembered secrets (tests; a process runs one task). */
export function forgetSecrets(): void {
  knownSecrets.clear();
}

/** Deep copy with secret values replaced; secret-shaped text inside strings is replaced too. */
export function redactSecrets<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item)) as T;
  if (value instanceof Error) return redactError(value) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] =
        isSecretKey(key) && inner !== null && inner !== undefined && inner !== ''
          ? REDACTED
          : redactSecrets(inner);
    }
    return out as T;
  }
  return value;
}

/** A copy of the error, of the same class, with message, stack and own fields redacted. */
function redactError(error: Error): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const [key, inner] of Object.entries(error))
    (copy as unknown as Record<string, unknown>)[key] = isSecretKey(key) ? REDACTED : redactSecrets(inner);
  for (const key of ['message', 'stack'] as const) {
    const text = error[key];
    if (text !== undefined)
      Object.defineProperty(copy, key, { value: redactText(text), writable: true, configurable: true });
  }
  return copy;
}

/**
 * A JSON.stringify replacer doing what redactSecrets does, without copying the value first:
 * for large `--json` results (10,000 nodes).
 */
export function redactingReplacer(key: string, value: unknown): unknown {
  if (typeof value === 'string')
    return key !== '' && isSecretKey(key) && value !== '' ? REDACTED : redactText(value);
  if (key !== '' && isSecretKey(key) && value !== null && value !== undefined) return REDACTED;
  return value;
}

/** Text with private key blocks, URL passwords, credentials and remembered secrets replaced. */
export function redactText(text: string): string {
  let out = text;
  // Most log lines hold none of the shapes: the cheap tests skip the replacing.
  if (out.includes('PRIVATE KEY')) out = out.replace(PRIVATE_KEY_BLOCK, REDACTED);
  if (out.includes('://')) out = out.replace(URL_PASSWORD, `$1:${REDACTED}@`);
  if (out.includes('=') || /authorization/i.test(out))
    out = out.replace(AUTHORIZATION, `$1${REDACTED}`).replace(SECRET_ASSIGNMENT, `$1=${REDACTED}`);
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
  return out;
}
