import type * as YAML from 'yaml';
import type { ToJSContext } from 'yaml/util';
import { yamlLibrary } from './yaml-library.js';

/** What Photon's YAML tags may refer to while a file is read. */
export interface TagContext {
  hostname: string;
  timestamp: string;
  locations: { home_dir: string; conf_dir: string; data_dir: string; call_dir: string };
}

type Joiner = (items: unknown[], node: YAML.YAMLSeq) => string;

/** What `!str_join` and `!loc_join` make of their (already resolved) items; both YAML readers use these. */
export function tagJoiners(ctx: TagContext) {
  return {
    str: (items: unknown[]): string =>
      items
        .map((item) =>
          item === 'hostname' ? ctx.hostname : item === 'timestamp' ? ctx.timestamp : pyStr(item),
        )
        .join(''),
    loc: (items: unknown[]): string => {
      const parts = items.map((item) => {
        if (typeof item !== 'string') throw new Error(`!loc_join takes strings, got ${JSON.stringify(item)}`);
        return Object.hasOwn(ctx.locations, item)
          ? ctx.locations[item as keyof TagContext['locations']]
          : item;
      });
      // os.path.join semantics: an absolute component discards everything before it.
      let joined = '';
      for (const part of parts) {
        if (part.startsWith('/')) joined = part;
        else if (joined === '' || joined.endsWith('/')) joined += part;
        else joined += `/${part}`;
      }
      return joined;
    },
  };
}

/**
 * Photon's `!str_join` and `!loc_join` tags. Both take a sequence and resolve to one string
 * at load time; aliases to tagged nodes yield the resolved string, and tags nest.
 */
export function photonTags(ctx: TagContext): YAML.Tags {
  const join = tagJoiners(ctx);
  const withNode =
    (joiner: (items: unknown[]) => string): Joiner =>
    (items, node) => {
      try {
        return joiner(items);
      } catch (error) {
        throw new TagError((error as Error).message, node);
      }
    };
  return ['!str_join', '!loc_join'].flatMap((tag) => [
    joinTag(tag, withNode(tag === '!str_join' ? join.str : join.loc)),
    ...notASequence(tag),
  ]);
}

/**
 * The same tags on a mapping or a scalar: an error at the node, as Photon raised one. Without
 * them the `yaml` package only warns about the unknown tag and keeps the mapping or string.
 */
function notASequence(tag: string): YAML.Tags {
  const message = `${tag} takes a sequence of items`;
  return [
    {
      tag,
      collection: 'map',
      resolve(map: YAML.YAMLMap, onError: (message: string) => void) {
        onError(`${message}, not a mapping`);
        return map;
      },
    } as YAML.CollectionTag,
    {
      tag,
      resolve(value: string, onError: (message: string) => void) {
        onError(`${message}, not a scalar`);
        return value;
      },
    } as YAML.ScalarTag,
  ];
}

/** A tag failure, carrying the node so the loader can name file and line. */
export class TagError extends Error {
  constructor(
    message: string,
    readonly node: YAML.Node,
  ) {
    super(message);
  }
}

function joinTag(tag: string, join: Joiner): YAML.CollectionTag {
  class JoinSeq extends yamlLibrary().YAMLSeq {
    // Typed as the base class's array; at runtime it is the joined string Photon produced.
    override toJSON(_?: unknown, ctx?: ToJSContext): unknown[] {
      // An anchored tag must hand its *string* to aliases, not the intermediate array.
      const onCreate = ctx?.onCreate;
      if (ctx) delete ctx.onCreate;
      const items = super.toJSON(_, ctx) as unknown[];
      const joined = join(items, this as YAML.YAMLSeq);
      onCreate?.(joined);
      return joined as unknown as unknown[];
    }
  }
  return {
    tag,
    collection: 'seq',
    nodeClass: JoinSeq,
    resolve(seq: YAML.YAMLSeq) {
      const node = new JoinSeq(seq.schema);
      node.items = seq.items;
      node.range = seq.range;
      node.tag = seq.tag;
      node.flow = seq.flow;
      return node;
    },
  } as YAML.CollectionTag;
}

/** Python's str() for the scalars YAML produces (True/False/None as Python printed them). */
function pyStr(item: unknown): string {
  if (item === true) return 'True';
  if (item === false) return 'False';
  if (item === null || item === undefined) return 'None';
  return String(item);
}
