// Copied into dist/bundle by scripts/bundle.mjs; registered by loader.cjs (module.register) before
// the first module of a third-party oclif plugin is imported. Such a plugin imports `@oclif/core`
// from node_modules: a second, unpatched oclif with its own Config and Command classes. This maps
// it to oclif-core.mjs, generated beside it, which exports the bundled oclif's namespace.
const bundledOclif = new URL('./oclif-core.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@oclif/core') return { url: bundledOclif, shortCircuit: true };
  return nextResolve(specifier, context);
}
