#!/usr/bin/env node
// The photon binary. oclif (bundled inside @ffphoton/core) loads the bundled plugins
// (@ffphoton/plugin-*) and the community plugins installed with `photon plugins install`.
import { execute } from '@ffphoton/core';

await execute({ dir: import.meta.url });
