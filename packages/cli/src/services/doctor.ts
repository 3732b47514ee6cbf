import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { type FileStore, findProgram } from '@ffphoton/core';

export type CheckStatus = 'ok' | 'missing' | 'warning';

export interface DoctorCheck {
  check: string;
  status: CheckStatus;
  detail: string;
  /** Which configured namespace needs it ('photon' = always). */
  neededBy: string;
}

export interface DoctorResult {
  checks: DoctorCheck[];
  problems: number;
}

/** The programs a configured namespace's tasks start, from its resolved settings (SettingsNamespace.programs). */
export interface NamespacePrograms {
  namespace: string;
  programs: string[];
}

/** Files Python Photon left in the same XDG folders: photon never reads or overwrites them. */
const LEGACY_FILES = ['~/.config/photon/config.yaml', '~/.local/share/photon/meta.json'];

export class Doctor {
  constructor(
    private readonly files: FileStore,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** `more`: checks made elsewhere (this host's scheduled jobs), reported and counted with these. */
  async run(
    needed: NamespacePrograms[],
    writableDirs: string[],
    more: DoctorCheck[] = [],
  ): Promise<DoctorResult> {
    const checks: DoctorCheck[] = [];
    const wanted = new Map<string, string>();
    for (const { namespace, programs } of needed)
      for (const bin of programs) if (!wanted.has(bin)) wanted.set(bin, namespace);
    for (const [bin, ns] of [...wanted].sort()) {
      const found = await findProgram(bin, this.env);
      checks.push({
        check: `binary ${bin}`,
        status: found ? 'ok' : 'missing',
        detail:
          found ?? (bin.includes('/') ? 'not an executable file' : 'not found in PATH, /usr/sbin or /sbin'),
        neededBy: ns,
      });
    }
    for (const dir of writableDirs) checks.push(await this.writable(dir));
    checks.push(...(await this.legacyPhotonFiles()));
    checks.push(...more);
    return { checks, problems: checks.filter((c) => c.status === 'missing').length };
  }

  private async writable(dir: string): Promise<DoctorCheck> {
    // The nearest existing ancestor decides whether photon can create and write the directory.
    let probe = this.files.resolve(dir);
    for (;;) {
      try {
        await fsp.access(probe, constants.W_OK);
        return {
          check: `writable ${dir}`,
          status: 'ok',
          detail: this.files.sandbox.display(probe),
          neededBy: 'photon',
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          return {
            check: `writable ${dir}`,
            status: 'missing',
            detail: 'permission denied',
            neededBy: 'photon',
          };
        }
        const parent = path.dirname(probe);
        if (parent === probe) break;
        probe = parent;
      }
    }
    return { check: `writable ${dir}`, status: 'missing', detail: 'no existing parent', neededBy: 'photon' };
  }

  private async legacyPhotonFiles(): Promise<DoctorCheck[]> {
    const home = this.env.HOME ?? '/root';
    const candidates = LEGACY_FILES.map((f) => f.replace('~', home));
    const dataDir = path.join(home, '.local/share/photon');
    for (const name of await this.files.list(dataDir)) {
      if (name.endsWith('_meta.json')) candidates.push(path.join(dataDir, name));
    }
    const checks: DoctorCheck[] = [];
    for (const file of candidates) {
      if (await this.files.exists(file)) {
        checks.push({
          check: 'legacy Python Photon file',
          status: 'warning',
          detail: `${file} belongs to Python Photon; photon ignores it (settings: photon.yaml, journal: runs/)`,
          neededBy: 'photon',
        });
      }
    }
    return checks;
  }
}
