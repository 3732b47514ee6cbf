import { UsageError } from '@ffphoton/core';
import { type IcvpnSettings, type OutputSpec, outputSchema } from '../settings.js';

/** Print-only ad-hoc outputs have no file. */
export const STDOUT = '-';

/**
 * The outputs a single-kind command works on: the configured ones of that kind, or — when
 * option flags or `--target` are given, or none is configured — one ad-hoc output built from
 * the flags (validated by the same schema as settings, so flags cannot inject either).
 */
export function selectOutputs(
  settings: IcvpnSettings,
  kind: OutputSpec['kind'],
  options: Record<string, unknown>,
  target: string | undefined,
  print: boolean,
): OutputSpec[] {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const configured = settings.outputs.filter((o) => o.kind === kind);
  if (configured.length > 0 && Object.keys(given).length === 0 && target === undefined) return configured;
  if (target === undefined && !print)
    throw new UsageError(`no ${kind} output configured: give --target FILE or --print`);
  const parsed = outputSchema.safeParse({ kind, target: target ?? STDOUT, ...given });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return [parsed.data];
}

/** `community:template` pairs (mkbgp -t) as a record. */
export function templatesFromFlags(
  values: readonly string[] | undefined,
): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  return Object.fromEntries(
    values.map((v) => {
      const at = v.indexOf(':');
      if (at <= 0) throw new UsageError(`--template ${JSON.stringify(v)}: expected COMMUNITY:TEMPLATE`);
      return [v.slice(0, at), v.slice(at + 1)];
    }),
  );
}
