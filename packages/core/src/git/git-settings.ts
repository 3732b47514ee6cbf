import { argvPrograms, argvTemplate } from '../settings/core-settings.js';
import { defineSettings } from '../settings/namespace.js';
import { nonEmptyString, nonNegativeInt, positiveInt, positiveNumber, z } from '../settings/zod.js';

/** A repository photon keeps a clone of. `dir` is a task path (under `--root`, `~` = home). */
export const repositorySchema = z.strictObject({
  /** Clone URL: a path, `ssh://…`, `host-alias:org/repo.git`, `https://…`. Without it the clone must exist. */
  remote: nonEmptyString.optional(),
  dir: nonEmptyString,
  /** Branch to check out when cloning (default: the remote's HEAD). */
  branch: nonEmptyString.optional(),
});
export type RepositorySpec = z.output<typeof repositorySchema>;

const syncRepositorySchema = repositorySchema.extend({
  /** Name used by `git sync --repo` and in messages (default: the directory's base name). */
  name: nonEmptyString.optional(),
  /** `ff-only` refuses a diverged clone; `rebase` replays local commits on top. */
  pull: z.enum(['ff-only', 'rebase']).default('ff-only'),
  /** Commit local changes and publish them (the ffapi case). */
  commit: z.boolean().default(false),
  /** Commit message; `{host}` is replaced. */
  message: nonEmptyString.default('{host}: photon sync'),
  /** Run when HEAD moved during the pull (the post-merge case), cwd = the clone. */
  onChange: argvTemplate.optional(),
});
export type SyncRepository = z.output<typeof syncRepositorySchema>;

/** Base names of private keys that are never copied into a snapshot (shell-style globs). */
export const DEFAULT_SNAPSHOT_DENY = [
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'id_*_sk',
  '*_rsa',
  '*_ed25519',
  '*_ecdsa',
  'ssh_host_*_key',
  '*.key',
  '*.pem',
  '*secret*',
  'shadow',
  'gshadow',
  'fastd.secret',
];

export const gitSettings = defineSettings(
  'git',
  'Git: identity, SSH access, timeouts, publish retries; bootstrap, snapshot, sync and deploy-keys',
  z.strictObject({
    /** Commit identity (default: the host name, photon@<host>). */
    identity: z
      .strictObject({ name: nonEmptyString.optional(), email: z.string().min(3).optional() })
      .prefault({}),
    /** Home directory that `~` means in paths (default: $HOME). */
    home: nonEmptyString.optional(),
    ssh: z
      .strictObject({
        /** Private key for git over SSH (→ GIT_SSH_COMMAND `-i`). */
        key: nonEmptyString.optional(),
        /** ssh_config file (default `~/.ssh/config`, used when it exists). */
        config: nonEmptyString.default('~/.ssh/config'),
        knownHosts: nonEmptyString.default('~/.ssh/known_hosts'),
        strictHostKeyChecking: z.enum(['yes', 'accept-new', 'no']).default('accept-new'),
        connectTimeoutSeconds: positiveInt.default(15),
        /** The ssh binary and fixed arguments. */
        command: argvTemplate.default(['ssh']),
      })
      .prefault({}),
    /** Kill a network operation (clone, fetch, pull, push) that is silent this long. */
    networkTimeoutSeconds: positiveNumber.default(120),
    publish: z
      .strictObject({
        /** Fetch, rebase, push again this many times after a non-fast-forward push. */
        retries: nonNegativeInt.default(20),
        /** Random back-off before retry n: up to backoffMs × 2^(n-1), at most 8 s. */
        backoffMs: nonNegativeInt.default(250),
      })
      .prefault({}),
    bootstrap: z
      .strictObject({
        alias: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected an ssh host alias')
          .default('github'),
        hostname: nonEmptyString.default('github.com'),
        user: nonEmptyString.default('git'),
        port: z.number().int().min(1).max(65535).optional(),
        keyType: z.enum(['ed25519', 'rsa']).default('ed25519'),
        /** What `--verify` accepts in the forge's answer (GitHub exits 1 with it). */
        successPattern: nonEmptyString.default('successfully authenticated'),
      })
      .prefault({}),
    snapshot: z
      .strictObject({
        repository: repositorySchema.optional(),
        /** Files and directories to copy (absolute task paths, `~` allowed). */
        paths: z.array(nonEmptyString).default(['~/.ssh/config', '~/.ssh/authorized_keys']),
        /** A YAML file in the repository with `locations: [paths]` (Photon's queue.yaml). */
        queueFile: nonEmptyString.optional(),
        /** Command outputs stored as `<repo>/<host>/<name>` (only when the command succeeds). */
        commands: z
          .record(z.string().regex(/^[A-Za-z0-9_.-]+$/), argvTemplate)
          .default({ crontab: ['crontab', '-l'], package_list: ['dpkg', '-l'] }),
        /** Skip files whose base name matches DEFAULT_SNAPSHOT_DENY and files holding a private key. */
        denyDefaults: z.boolean().default(true),
        /** More base-name globs never to copy. */
        deny: z.array(nonEmptyString).default([]),
        message: nonEmptyString.default('{host}: photon snapshot'),
      })
      .prefault({}),
    repositories: z.array(syncRepositorySchema).default([]),
    deployKeys: z
      .strictObject({
        repository: repositorySchema.optional(),
        /** The key file inside the repository: `group → {name: "ssh-… AAAA… comment"}`. */
        file: nonEmptyString.default('ssh.yaml'),
        authorizedKeys: nonEmptyString.default('~/.ssh/authorized_keys'),
        /** Validator run on the new file before it is installed (`{file}` is replaced). */
        validate: argvTemplate.default(['ssh-keygen', '-l', '-f', '{file}']),
      })
      .prefault({}),
  }),
  {
    example: {
      snapshot: { deny: ['*.secret'] },
      repositories: [
        { name: 'ffapi', remote: 'https://github.com/freifunk-mwu/ffapi-mainz.git', dir: '/var/www/ffapi' },
      ],
    },
    programs: (git) => [
      'git',
      ...argvPrograms(
        git.ssh.command,
        git.deployKeys.validate,
        ...Object.values(git.snapshot.commands),
        ...git.repositories.map((r) => r.onChange),
      ),
    ],
  },
);
export type GitSettings = z.output<typeof gitSettings.schema>;
