/** Keys whose values never appear in printed settings, logs or mails. */
const SECRET_KEY = /(password|secret|passphrase|token|pass$|privatekey|private_key|apikey|api_key)/i;
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy with secret values replaced; private key blocks inside strings are cut out too. */
export function redactSecrets<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item)) as T;
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

export function redactText(text: string): string {
  return text.replace(PRIVATE_KEY_BLOCK, REDACTED);
}
