import { z } from 'zod';

// Settings are validated once per run: compiling zod's JIT parsers costs more than it saves.
// zod decides per schema when the schema is built, so this must run before any schema exists:
// every module takes `z` from here, never from 'zod' directly.
z.config({ jitless: true });

export { z };
