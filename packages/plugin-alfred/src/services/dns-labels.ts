const MAX_LABEL = 63;
/** Lower-case letters and digits, single hyphens only between them: what toDnsLabel returns unchanged. */
const LDH_LABEL = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A host name as one DNS label (RFC 1035 LDH): accents folded (`Jürgen` → `jurgen`), lower
 * case, every other run of characters (spaces, dots, emoji) a single `-`, at most 63 octets.
 * Empty when nothing usable is left.
 */
export function toDnsLabel(hostname: string): string {
  // Most host names (and every node_id) already are such a label: no normalizing, no regexes.
  if (hostname.length <= MAX_LABEL && LDH_LABEL.test(hostname)) return hostname;
  return hostname
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_LABEL)
    .replace(/^-+|-+$/g, '');
}

export interface LabelRequest {
  key: string;
  hostname: string;
  /** Used for the fallback label and to tell duplicates apart (e.g. the node_id). */
  id: string;
}

export interface AssignedLabel {
  key: string;
  hostname: string;
  label: string;
  /** Why the label differs from the host name, when it does. */
  note?: string;
}

/**
 * Assigns unique labels. Requests are taken in `id` order, so the same nodes always get the
 * same labels; a later duplicate gets `-<id>` appended (shortened to fit 63 octets).
 */
export function assignLabels(requests: LabelRequest[], reserved: Iterable<string> = []): AssignedLabel[] {
  const taken = new Set(reserved);
  const sorted = [...requests].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sorted.map((request) => {
    const base = toDnsLabel(request.hostname);
    // Only a node without a usable name or with a duplicate needs its id as a label.
    const suffix = () => toDnsLabel(request.id) || 'node';
    let label = base || `node-${suffix()}`.slice(0, MAX_LABEL);
    let note = base === '' ? 'no usable characters' : base !== request.hostname ? 'made DNS-safe' : undefined;
    for (let n = 1; taken.has(label); n += 1) {
      const tail = n === 1 ? `-${suffix()}` : `-${suffix()}-${n}`;
      label = `${(base || 'node').slice(0, MAX_LABEL - tail.length).replace(/-+$/, '')}${tail}`;
      note = 'duplicate host name';
    }
    taken.add(label);
    return { key: request.key, hostname: request.hostname, label, ...(note ? { note } : {}) };
  });
}
