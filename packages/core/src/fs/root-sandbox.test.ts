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

  it('keeps paths already under the root, and only those: a sibling sharing its prefix is mapped under it', () => {
    const root = makeRoot();
    const sandbox = new RootSandbox(root);
    expect(
      [
        root,
        `${root}/etc/a`,
        `${root}/etc/../var/./b`,
        `${root}-other/x`,
        `${root}x`,
        'etc/relative',
        '/',
        '',
        '/a//b/./c/',
      ].map((p) => sandbox.resolve(p)),
    ).toEqual([
      root,
      `${root}/etc/a`,
      `${root}/var/b`,
      `${root}${root}-other/x`,
      `${root}${root}x`,
      `${root}/etc/relative`,
      // The root itself, spelled as a directory (a trailing slash stays).
      `${root}/`,
      `${root}/`,
      `${root}/a/b/c/`,
    ]);
    expect(() => sandbox.resolve('a/../../b')).toThrow(
      new SandboxError(`path a/../../b escapes the --root sandbox ${root}`),
    );
    expect(() => sandbox.resolve('/..')).toThrow(SandboxError);
    // Neither `.` nor an empty segment is a level to climb back from.
    for (const p of ['/./..', '/.//..', 'a/./../..', './..'])
      expect(() => sandbox.resolve(p), p).toThrow(
        new SandboxError(`path ${p} escapes the --root sandbox ${root}`),
      );
    expect(() => sandbox.resolve('/etc/\0x')).toThrow(
      new SandboxError('path contains a NUL byte: "/etc/\\u0000x"'),
    );
  });

  it('the root / and no root keep every path as the host sees it', () => {
    for (const sandbox of [new RootSandbox('/'), new RootSandbox()]) {
      expect(sandbox.resolve('/etc/../var//x')).toBe('/var/x');
      expect(sandbox.display('/var/x')).toBe('/var/x');
    }
    // A relative path is relative to `/` with a root, to the working directory without one.
    expect(new RootSandbox('/').resolve('etc/x')).toBe('/etc/x');
    expect(new RootSandbox().resolve('etc/x')).toBe(path.resolve('etc/x'));
    expect(new RootSandbox().root).toBeUndefined();
    // Without a root nothing is taken off a path, whatever it starts with.
    expect(new RootSandbox().display('undefined/etc')).toBe('undefined/etc');
    expect(new RootSandbox('/').display('/')).toBe('/');
  });

  it('displays host paths as the task sees them; paths outside the root stay as they are', () => {
    const root = makeRoot();
    const sandbox = new RootSandbox(`${root}/./`);
    expect(sandbox.root).toBe(root);
    expect(
      [root, `${root}/etc/x`, `${root}x/etc`, '/elsewhere', `${root}/`].map((p) => sandbox.display(p)),
    ).toEqual(['/', '/etc/x', `${root}x/etc`, '/elsewhere', '/']);
  });

  it('follows symlinks: inside the root they are fine, also a root reached through one; out of it they are refused at any depth', () => {
    const real = makeRoot();
    mkdirSync(path.join(real, 'etc/real'), { recursive: true });
    symlinkSync(path.join(real, 'etc/real'), path.join(real, 'etc/inside'));
    symlinkSync('/usr', path.join(real, 'etc/out'));
    const link = path.join(makeRoot(), 'root-link');
    symlinkSync(real, link);
    const sandbox = new RootSandbox(link);
    expect(sandbox.resolve('/etc/inside/not/yet/there')).toBe(path.join(link, 'etc/inside/not/yet/there'));
    expect(sandbox.resolve('/etc')).toBe(path.join(link, 'etc'));
    expect(() => sandbox.resolve('/etc/out/not/there')).toThrow(
      new SandboxError(`path /etc/out/not/there leaves the --root sandbox through a symlink (/usr)`),
    );
    // The real root's own spelling through the link counts as inside.
    symlinkSync(real, path.join(real, 'etc/self'));
    expect(sandbox.resolve('/etc/self/x')).toBe(path.join(link, 'etc/self/x'));
  });
});
