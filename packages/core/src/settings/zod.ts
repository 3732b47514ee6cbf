import { z } from 'zod';

// Settings are validated once per run: compiling zod's JIT parsers costs more than it saves.
// zod decides per schema when the schema is built, so this must run before any schema exists:
// every module takes `z` from here, never from 'zod' directly.
z.config({ jitless: true });

export { z };

// The schemas settings use most, built once: zod schemas are immutable, and every
// `z.string().min(1)` written out built three objects at start-up (75 of them in the bundled
// packages' settings; a third of the ~1,000 zod objects of `photon config validate`).
/** A non-empty string. */
export const nonEmptyString = z.string().min(1);
/** An integer ≥ 1. */
export const positiveInt = z.number().int().positive();
/** An integer ≥ 0. */
export const nonNegativeInt = z.number().int().min(0);
/** A number > 0. */
export const positiveNumber = z.number().positive();
