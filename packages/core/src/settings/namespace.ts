import type { z } from './zod.js';

/**
 * One top-level key of photon.yaml, owned by core or a plugin. The schema carries the
 * defaults (layer 1 of the settings) and validates the merged value.
 */
export interface SettingsNamespace<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  /**
   * The programs this namespace's tasks start, read from its validated value (configured argv
   * templates included): what `photon doctor` checks.
   */
  readonly programs?: (value: z.output<S>) => string[];
  /**
   * A sample value with one entry in each list the defaults leave empty: `photon config init`
   * shows these entries, commented out (a test checks that the sample validates).
   */
  readonly example?: z.input<S>;
}

export type SettingsOf<N> = N extends SettingsNamespace<infer S> ? z.output<S> : never;

export function defineSettings<S extends z.ZodType>(
  name: string,
  description: string,
  schema: S,
  options: { programs?: (value: z.output<S>) => string[]; example?: z.input<S> } = {},
): SettingsNamespace<S> {
  const ns = {
    name,
    description,
    schema,
    ...(options.programs && { programs: options.programs }),
    ...(options.example !== undefined && { example: options.example }),
  };
  // Commands list their namespaces in a static property, which oclif copies into the command
  // manifest: without this the whole zod schema was serialized there (1.6 MB for plugin-icvpn),
  // and every photon run parsed it at start-up. In a manifest the name says all there is.
  Object.defineProperty(ns, 'toJSON', { value: () => name, enumerable: false });
  return ns;
}
