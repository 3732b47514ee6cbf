import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { importsOclifCore } = require('./loader.cjs') as { importsOclifCore(specifier: unknown): boolean };

const tmp = mkdtempSync(path.join(os.tmpdir(), 'photon-loader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The URL of lib/commands/x/index.js in a package with `manifest` as its package.json. */
function moduleOf(dir: string, manifest: object): string {
  const root = path.join(tmp, dir);
  mkdirSync(path.join(root, 'lib/commands/x'), { recursive: true });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify(manifest));
  return pathToFileURL(path.join(root, 'lib/commands/x/index.js')).href;
}

describe('importsOclifCore: which imports get the bundled oclif mapped first', () => {
  it('a third-party package depending on @oclif/core, directly or as a peer', () => {
    expect(
      importsOclifCore(
        moduleOf('plugins', { name: '@oclif/plugin-plugins', dependencies: { '@oclif/core': '^4' } }),
      ),
    ).toBe(true);
    expect(
      importsOclifCore(
        moduleOf('peer', { name: 'photon-plugin-x', peerDependencies: { '@oclif/core': '^4' } }),
      ),
    ).toBe(true);
  });

  it('not a first-party package (its modules import @ffphoton/core), nor one without @oclif/core', () => {
    expect(
      importsOclifCore(
        moduleOf('git', { name: '@ffphoton/plugin-git', dependencies: { '@oclif/core': '^4' } }),
      ),
    ).toBe(false);
    expect(
      importsOclifCore(
        moduleOf('watchdog', {
          name: 'photon-plugin-watchdog',
          peerDependencies: { '@ffphoton/core': '*' },
          devDependencies: { '@oclif/core': '^4' },
        }),
      ),
    ).toBe(false);
  });

  it("the package's own package.json, not a nameless one that sets its lib/ directory's module type", () => {
    const url = moduleOf('dual', { name: 'photon-plugin-dual', dependencies: { '@oclif/core': '^4' } });
    writeFileSync(path.join(tmp, 'dual/lib/package.json'), JSON.stringify({ type: 'module' }));
    expect(importsOclifCore(url)).toBe(true);
  });

  it('not a bare specifier or a file outside any package', () => {
    expect(importsOclifCore('nodemailer')).toBe(false);
    expect(importsOclifCore(undefined)).toBe(false);
    expect(importsOclifCore(pathToFileURL('/no-package-here/x.js').href)).toBe(false);
  });
});
