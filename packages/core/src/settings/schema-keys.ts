import type { z } from './zod.js';

/** What zod 4 keeps of a schema: its definition, by kind. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The schema itself, through optional/default/nullable/pipe/lazy wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth += 1) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined) ?? def.getter?.();
    if (!next) return current;
    current = next;
  }
  return current;
}

/** The schemas a value at `part` below `schema` may have (several for a union). */
function childrenOf(schema: z.ZodType, part: string | number): z.ZodType[] {
  const def = defOf(unwrap(schema));
  if (def.type === 'object') return def.shape?.[String(part)] ? [def.shape[String(part)]] : [];
  if (def.type === 'array' && def.element) return [def.element];
  if (def.type === 'record' && def.valueType) return [def.valueType];
  if (def.type === 'union' && def.options) return def.options.flatMap((o) => childrenOf(o, part));
  return [];
}

/**
 * The keys the schema knows for the mapping at `path` (empty where it is not a mapping): what a
 * mistyped key there could have meant.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let at = [schema];
  for (const part of path) at = at.flatMap((s) => childrenOf(s, part));
  const keys = at.flatMap((s) => {
    const def = defOf(unwrap(s));
    if (def.type === 'object') return Object.keys(def.shape ?? {});
    if (def.type === 'union') return (def.options ?? []).flatMap((o) => knownKeysAt(o, []));
    return [];
  });
  return [...new Set(keys)];
}
