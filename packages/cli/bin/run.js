#!/usr/bin/env node
// The photon binary. oclif loads the bundled plugins (@ffphoton/plugin-*) and the
// community plugins installed with `photon plugins install`.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
