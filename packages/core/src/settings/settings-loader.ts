import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as YAML from 'yaml';
import { ConfigError } from '../errors/errors.js';
import type { RootSandbox } from '../fs/root-sandbox.js';
import { errnoOf, readBoundedText } from '../input/bounded-file.js';
import { assertTreeWithin } from '../input/bounded-tree.js';
import { INPUT_LIMITS } from '../input/limits.js';
import { rememberSecrets } from '../log/redact.js';
import { closestWord } from '../text/closest-word.js';
import { loadSettingsYamlFast } from './fast-yaml.js';
import type { SettingsNamespace, SettingsOf } from './namespace.js';
import { photonTags, type TagContext, TagError } from './photon-tags.js';
import { knownKeysAt } from './schema-keys.js';
import { assertFlowDepthWithin, parseYamlBounded, throwOnSyntaxError } from './yaml-file.js';
import { yamlLibrary } from './yaml-library.js';
import type { z } from './zod.js';

export type SettingsLayerKind = 'system' | 'user' | 'config' | 'env';

/** One file (or the environment) that contributed to the settings. */
export interface SettingsLayer {
  kind: SettingsLayerKind;
  /** The path as given (system and user paths as the task sees them inside `--root`). */
  file: string;
  data: Record<string, unknown>;
  /** The file's YAML document with node positions, for error messages (parsed on first use). */
  positions?: () => YamlPositions | undefined;
}

export interface YamlPositions {
  doc: YAML.Document;
  lines: YAML.LineCounter;
}

export interface SettingsLoadOptions {
  sandbox: RootSandbox;
  env: NodeJS.ProcessEnv;
  hostname: string;
  timestamp: string;
  /** `--config FILE` arguments, read as given (relative to the working directory). */
  configFiles: string[];
  /** Namespaces to validate now (core + the running command's plugin). */
  namespaces: SettingsNamespace[];
  /** Every top-level key any installed plugin declares; others are errors. */
  knownNamespaces: string[];
}

/** Validated, merged settings of one run. Never written back to disk. */
export class Settings {
  private readonly validated = new Map<string, unknown>();

  constructor(
    /** The merged raw tree (before schema defaults). */
    readonly raw: Record<string, unknown>,
    readonly layers: SettingsLayer[],
  ) {}

  /** The namespace's validated value; validates on first use (and throws ConfigError). */
  get<N extends SettingsNamespace>(ns: N): SettingsOf<N> {
    if (!this.validated.has(ns.name))
      this.validated.set(ns.name, validateNamespace(ns, this.raw, this.layers));
    return this.validated.get(ns.name) as SettingsOf<N>;
  }

  /** The merged settings with every validated namespace's defaults filled in. */
  resolved(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...this.raw };
    for (const [name, value] of this.validated) out[name] = value;
    return out;
  }
}

/** XDG locations Photon's `!loc_join` knows, computed fresh on every load. */
export function photonLocations(env: NodeJS.ProcessEnv, callDir: string) {
  const home = env.HOME || os.homedir();
  return {
    home_dir: home,
    conf_dir: path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'photon'),
    data_dir: path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'photon'),
    call_dir: callDir,
  };
}

/** The system and user settings files, in load order (as task paths). */
export function defaultSettingsFiles(env: NodeJS.ProcessEnv): { kind: SettingsLayerKind; file: string }[] {
  const { conf_dir } = photonLocations(env, '/');
  return [
    { kind: 'system', file: '/etc/photon/photon.yaml' },
    { kind: 'user', file: path.join(conf_dir, 'photon.yaml') },
  ];
}

export async function loadSettings(options: SettingsLoadOptions): Promise<Settings> {
  const layers: SettingsLayer[] = [];
  for (const { kind, file } of defaultSettingsFiles(options.env)) {
    const layer = readLayer(kind, file, options.sandbox.resolve(file), options, false);
    if (layer) layers.push(layer);
  }
  for (const file of expandConfigArguments(options.configFiles)) {
    const layer = readLayer('config', file, path.resolve(file), options, true);
    if (layer) layers.push(layer);
  }
  const envLayer = environmentLayer(options.env, options.knownNamespaces);
  if (envLayer) {
    rememberSecrets(envLayer.data);
    layers.push(envLayer);
  }

  const known = new Set(options.knownNamespaces);
  for (const layer of layers) {
    for (const key of Object.keys(layer.data)) {
      if (known.has(key) || key.startsWith('x-')) continue;
      const hint = closestWord(key, known);
      throw new ConfigError(
        `unknown top-level key${hint ? ` (did you mean "${hint}"?)` : ''}; known keys: ${[...known].sort().join(', ')} (keys starting with "x-" are free for anchors)`,
        { ...locateKey(layer, key), keyPath: key },
      );
    }
  }
  const raw = layers.reduce<Record<string, unknown>>((acc, layer) => deepMerge(acc, layer.data), {});
  const settings = new Settings(raw, layers);
  for (const ns of options.namespaces) settings.get(ns);
  return settings;
}

/**
 * A `--config` argument may name a directory: its `*.yaml` files are read in name order.
 * Settings files are small and local, and read synchronously: each awaited read would wait a
 * round trip through libuv's thread pool, and a run reads up to a dozen of them before it starts.
 */
function expandConfigArguments(args: string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    // Anything that cannot be stat'ed is read as a file, so reading it reports why.
    let isDirectory = false;
    try {
      isDirectory = fs.statSync(arg).isDirectory();
    } catch {}
    if (isDirectory) {
      const names = fs
        .readdirSync(arg)
        .filter((name) => /\.ya?ml$/.test(name) && !name.startsWith('.'))
        .sort();
      files.push(...names.map((name) => path.join(arg, name)));
    } else {
      files.push(arg);
    }
  }
  return files;
}

function readLayer(
  kind: SettingsLayerKind,
  file: string,
  hostPath: string,
  options: SettingsLoadOptions,
  required: boolean,
): SettingsLayer | undefined {
  let text: string;
  try {
    // Regular files of at most 1 MiB: `/dev/zero` or a FIFO must not hang or exhaust the run.
    text = readBoundedText(hostPath, {
      file,
      maxBytes: INPUT_LIMITS.settingsBytes,
      kind: 'settings file',
    });
  } catch (error) {
    if (errnoOf(error) === 'ENOENT' && !required) return undefined;
    throw error;
  }
  const layer = parseSettingsText(kind, file, text, options, path.dirname(hostPath));
  // At once, before a later file can fail: from here on every sink hides these values.
  rememberSecrets(layer.data);
  return layer;
}

/** Parses one settings file's text (exported for tests and `config validate`). */
export function parseSettingsText(
  kind: SettingsLayerKind,
  file: string,
  text: string,
  options: Pick<SettingsLoadOptions, 'env' | 'hostname' | 'timestamp'>,
  callDir: string,
): SettingsLayer {
  const tagContext: TagContext = {
    hostname: options.hostname,
    timestamp: options.timestamp,
    locations: photonLocations(options.env, callDir),
  };
  assertFlowDepthWithin(text, file);
  const fast = loadSettingsYamlFast(text, tagContext);
  let data: unknown;
  let positions: () => YamlPositions | undefined;
  if (fast !== undefined) {
    data = fast;
    let parsed: YamlPositions | undefined;
    positions = () => {
      parsed ??= parseWithPositions(text, tagContext, file);
      // A document only js-yaml accepts has no positions to offer.
      return parsed.doc.errors.length === 0 ? parsed : undefined;
    };
  } else {
    const parsed = parseWithPositions(text, tagContext, file);
    throwOnSyntaxError(parsed.doc, parsed.lines, file);
    try {
      data = parsed.doc.toJS({ maxAliasCount: INPUT_LIMITS.yamlAliases });
    } catch (error) {
      if (error instanceof TagError && error.node.range) {
        const pos = parsed.lines.linePos(error.node.range[0]);
        throw new ConfigError(error.message, { file, line: pos.line, column: pos.col });
      }
      throw new ConfigError(`cannot load: ${(error as Error).message}`, { file });
    }
    positions = () => parsed;
  }
  // Both readers share an aliased subtree between its uses; every later walk expands it.
  assertTreeWithin(data, {}, file);
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError('the top level must be a mapping of settings namespaces', {
      file,
      line: 1,
      column: 1,
    });
  }
  return { kind, file, data: data as Record<string, unknown>, positions };
}

/** The `yaml` package's parse: slower than the quick read, but it knows where every node is. */
function parseWithPositions(text: string, tagContext: TagContext, file: string): YamlPositions {
  const yaml = yamlLibrary();
  const lines = new yaml.LineCounter();
  const doc = parseYamlBounded(file, text, () =>
    yaml.parseDocument(text, {
      lineCounter: lines,
      customTags: photonTags(tagContext),
      merge: true,
      prettyErrors: false,
      uniqueKeys: true,
    }),
  );
  return { doc, lines };
}

/**
 * `PHOTON_<NAMESPACE>__<KEY>[__<KEY>…]=value` overrides one setting; the value is read as a
 * YAML scalar or flow collection. Single-underscore variables (PHOTON_DATA_DIR …) belong to oclif.
 */
export function environmentLayer(
  env: NodeJS.ProcessEnv,
  knownNamespaces: string[],
): SettingsLayer | undefined {
  const data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('PHOTON_') || !name.includes('__') || value === undefined) continue;
    const [nsPart, ...keyParts] = name.slice('PHOTON_'.length).split('__');
    const ns = knownNamespaces.find(
      (known) => known.toLowerCase() === nsPart.toLowerCase().replaceAll('_', '-'),
    );
    if (!ns || keyParts.length === 0) {
      throw new ConfigError(`environment variable ${name} names no known settings namespace`, {
        file: '<environment>',
      });
    }
    let cursor = data;
    for (const part of [ns, ...keyParts.slice(0, -1).map(camelCase)]) {
      if (!isPlainObject(cursor[part])) cursor[part] = {};
      cursor = cursor[part] as Record<string, unknown>;
    }
    cursor[camelCase(keyParts[keyParts.length - 1])] = parseEnvValue(value);
  }
  return Object.keys(data).length ? { kind: 'env', file: '<environment>', data } : undefined;
}

function parseEnvValue(value: string): unknown {
  try {
    return yamlLibrary().parse(value) ?? value;
  } catch {
    return value;
  }
}

function camelCase(snake: string): string {
  return snake.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Objects merge key by key, later wins; arrays and scalars replace; a key set to null (`~`)
 * is removed, so a later file can drop an entry of a map an earlier one filled.
 */
export function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateNamespace(
  ns: SettingsNamespace,
  raw: Record<string, unknown>,
  layers: SettingsLayer[],
): unknown {
  const result = ns.schema.safeParse(raw[ns.name] ?? {});
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => {
    const keyPath = formatKeyPath([
      ns.name,
      ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    ]);
    // An unknown key is pointed at itself, not at the mapping that holds it.
    const at = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [issue.keys[0]] : [];
    const origin = originOf(layers, [ns.name, ...issue.path.map(String), ...at]);
    return { keyPath, origin, message: withKeyHints(issue, ns.schema) };
  });
  const [first, ...rest] = messages;
  const detail = rest.length
    ? `${first.message}\n${rest.map((m) => `  ${ConfigError.format(m.message, { ...m.origin, keyPath: m.keyPath })}`).join('\n')}`
    : first.message;
  throw new ConfigError(detail, { ...first.origin, keyPath: first.keyPath });
}

/** `fastd.instances[1].statusSocket` */
export function formatKeyPath(parts: (string | number)[]): string {
  return parts.reduce<string>((acc, part) => {
    if (typeof part === 'number' || /^\d+$/.test(String(part))) return `${acc}[${part}]`;
    return acc ? `${acc}.${part}` : String(part);
  }, '');
}

/**
 * The last layer that set the deepest existing part of `keyPath`: file, line and column. Each
 * depth is tried in every layer before a shallower one, so a value set in one file is not blamed
 * on a later file that only sets a sibling key.
 */
function originOf(layers: SettingsLayer[], keyPath: string[]) {
  for (let depth = keyPath.length; depth > 0; depth -= 1) {
    const prefix = keyPath.slice(0, depth);
    for (let i = layers.length - 1; i >= 0; i -= 1) {
      const found = locate(layers[i], prefix);
      if (found.line !== undefined || (layers[i].kind === 'env' && hasPath(layers[i].data, prefix)))
        return found;
    }
  }
  return {};
}

function locate(layer: SettingsLayer, keyPath: (string | number)[]) {
  const parsed = layer.positions?.();
  if (!parsed) return { file: layer.file };
  const node = parsed.doc.getIn(
    keyPath.map((p) => (/^\d+$/.test(String(p)) ? Number(p) : p)),
    true,
  ) as YAML.Node | undefined;
  if (!node?.range) return { file: layer.file };
  const pos = parsed.lines.linePos(node.range[0]);
  return { file: layer.file, line: pos.line, column: pos.col };
}

/** Position of a top-level key itself (not its value). */
function locateKey(layer: SettingsLayer, key: string) {
  const parsed = layer.positions?.();
  const contents = parsed?.doc.contents;
  const yaml = yamlLibrary();
  if (!parsed || !yaml.isMap(contents)) return { file: layer.file };
  const pair = contents.items.find((item) => yaml.isScalar(item.key) && item.key.value === key);
  const range = (pair?.key as YAML.Node | undefined)?.range;
  if (!range) return { file: layer.file };
  const pos = parsed.lines.linePos(range[0]);
  return { file: layer.file, line: pos.line, column: pos.col };
}

function hasPath(data: unknown, keyPath: string[]): boolean {
  let cursor = data;
  for (const key of keyPath) {
    if (cursor === null || typeof cursor !== 'object' || !(key in cursor)) return false;
    cursor = (cursor as Record<string, unknown>)[key];
  }
  return true;
}

/** zod's "Unrecognized key" with the nearest key the schema knows there: a typo at any depth. */
function withKeyHints(issue: z.core.$ZodIssue, schema: z.ZodType): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const known = knownKeysAt(
    schema,
    issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
  );
  const hints = issue.keys.flatMap((key) => {
    const hint = closestWord(key, known);
    if (!hint) return [];
    return issue.keys.length === 1 ? [`"${hint}"`] : [`"${hint}" for "${key}"`];
  });
  return hints.length ? `${issue.message} (did you mean ${hints.join(', ')}?)` : issue.message;
}
