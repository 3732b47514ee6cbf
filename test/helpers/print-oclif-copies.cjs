// Preloaded by an end-to-end test: prints at exit, as the last line on stderr, whether the run
// mapped `@oclif/core` to the bundled oclif (core's loader registering its module hooks) and how
// many files of an unbundled @oclif/core (node_modules) it loaded, by require or by import.
const Module = require('node:module');
const path = require('node:path');
const registered = [];
const register = Module.register;
Module.register = function (specifier, ...rest) {
  registered.push(path.basename(String(specifier)));
  return register.call(this, specifier, ...rest);
};
process.on('exit', () => {
  const unbundled = Object.keys(require.cache).filter((file) =>
    file.includes(`${path.sep}node_modules${path.sep}@oclif${path.sep}core${path.sep}`),
  );
  require('node:fs').writeSync(
    2,
    `oclif: hooks ${registered.join(', ') || 'none'}; unbundled @oclif/core files ${unbundled.length}\n`,
  );
});
