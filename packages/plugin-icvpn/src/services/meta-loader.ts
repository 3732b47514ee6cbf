import type { FileStore } from '@ffphoton/core';
import { CommunityValidator, type ValidationOptions, type ValidationResult } from './community-validator.js';
import { MetaReader } from './meta-reader.js';

export interface LoadOptions extends ValidationOptions {
  exclude?: ReadonlySet<string>;
  maxFileBytes?: number;
}

/** Reads and validates an icvpn-meta directory: the valid communities plus every problem found. */
export async function loadCommunities(
  files: FileStore,
  dir: string,
  options: LoadOptions = {},
): Promise<ValidationResult> {
  const validator = new CommunityValidator(options);
  const reader = new MetaReader(files, options.maxFileBytes);
  const readProblems = await reader.read(dir, (file) => validator.add(file), options.exclude);
  return validator.finish(readProblems);
}
