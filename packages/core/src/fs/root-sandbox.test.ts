import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxError } from '../errors/errors.js';
import { RootSandbox } from './root-sandbox.js';

const makeRoot = () => realpathSync(mkdtempSync(path.join(os.tmpdir(), 'photon-root-')));

describe('RootSandbox', () => {
  it('maps absolute paths under the root and back', () => {
    const root = makeRoot();
    const sandbox = new RootSandbox(root);
    expect(sandbox.resolve('/etc/fastd/mz/fastd.conf')).toBe(path.join(root, 'etc/fastd/mz/fastd.conf'));
    expect(sandbox.display(path.join(root, 'etc/x'))).toBe('/etc/x');
  });

  it('accepts / as the root (the real filesystem)', () => {
    expect(new RootSandbox('/').resolve('/etc/x')).toBe('/etc/x');
  });

  it('passes paths through without a root', () => {
    expect(new RootSandbox().resolve('/etc/x')).toBe('/etc/x');
  });

  it('refuses .. that climbs above the root', () => {
    const sandbox = new RootSandbox(makeRoot());
    expect(() => sandbox.resolve('/etc/../../passwd')).toThrow(SandboxError);
    expect(sandbox.resolve('/etc/fastd/../passwd')).toMatch(/\/etc\/passwd$/);
  });

  it('refuses a symlink that points outside the root', () => {
    const root = makeRoot();
    mkdirSync(path.join(root, 'etc'));
    symlinkSync('/usr', path.join(root, 'etc', 'escape'));
    const sandbox = new RootSandbox(root);
    expect(() => sandbox.resolve('/etc/escape/bin/env')).toThrow(
      /leaves the --root sandbox through a symlink/,
    );
  });

  it('a missing root is a SandboxError (exit 2)', () => {
    expect(() => new RootSandbox('/nonexistent/photon-root')).toThrow(/does not exist/);
    try {
      new RootSandbox('/nonexistent/photon-root');
    } catch (error) {
      expect((error as SandboxError).exitCode).toBe(2);
    }
  });
});
