#!/usr/bin/env node
// `npm run schemas`: writes schemas/commands/<topic>-<verb>.json, one JSON Schema per command of
// `photon commands --json`, generated with the TypeScript compiler from what each command's run()
// returns: oclif prints that value with --json (for task commands the TaskOutput envelope around the
// task's result). `--check` writes nothing and exits 1 naming each schema that differs from the
// committed one (test/json-schemas.test.ts runs it in CI). docs/json-output.md describes the contract.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
/** What photon prints in place of a secret-keyed value (core's log/redact.ts). */
const REDACTED = '***';
const SECRET_KEY = /(password|secret|passphrase|token|pass$|privatekey|private_key|apikey|api_key)/i;

/** A type photon cannot print as JSON faithfully: the generator refuses it, naming where it was. */
export class SchemaError extends Error {}

class Recursion extends Error {
  constructor(type) {
    super('recursive type');
    this.type = type;
  }
}

/**
 * Turns checked TypeScript types into JSON Schema (draft 2020-12) as JSON.stringify prints them:
 * optional and undefined-able properties are not required, methods are left out, a Date is an ISO
 * string. Named object types go to `$defs` (so recursive types work). Objects are closed
 * (additionalProperties: false: a field the type does not declare is a failure), except objects of
 * another project's types (oclif's Plugin): any object, since their fields are that project's contract.
 */
export class SchemaWriter {
  constructor(checker) {
    this.checker = checker;
    this.defs = new Map();
    this.nameOf = new Map();
    this.taken = new Set();
    this.inlining = [];
    this.recursive = new Set();
  }

  /** The schema of `type`, with `$defs` of the named types it uses; `where` names it in errors. */
  document(type, where) {
    const schema = this.inline(type, where);
    const defs = Object.fromEntries([...this.defs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    return Object.keys(defs).length > 0 ? { ...schema, $defs: defs } : schema;
  }

  /** A type's schema; named object types (and recursive anonymous ones) as a `$ref`. */
  schema(type, where, optional = false) {
    if (optional && type.flags & ts.TypeFlags.Union) return this.union(type.types, where, true);
    if (this.isNamedObject(type) || this.recursive.has(type)) return this.ref(type, where);
    // An anonymous type met again inside itself is defined after all: unwind to its first use.
    if (this.inlining.includes(type)) {
      this.recursive.add(type);
      throw new Recursion(type);
    }
    this.inlining.push(type);
    try {
      return this.inline(type, where);
    } catch (error) {
      if (error instanceof Recursion && error.type === type) return this.ref(type, where);
      throw error;
    } finally {
      this.inlining.pop();
    }
  }

  ref(type, where) {
    return { $ref: `#/$defs/${this.define(type, where)}` };
  }

  inline(type, where) {
    const { flags } = type;
    const F = ts.TypeFlags;
    if (flags & (F.Any | F.Unknown)) return {};
    if (flags & F.Never) return { not: {} };
    if (flags & F.Null) return { type: 'null' };
    // JSON.stringify prints undefined as null in an array (and leaves it out of an object: see object()).
    if (flags & (F.Undefined | F.Void)) return { type: 'null' };
    if (flags & F.BooleanLiteral) return { const: type === this.checker.getTrueType() };
    if (flags & F.StringLiteral) return { const: type.value };
    if (flags & F.NumberLiteral) return { const: type.value };
    if (flags & (F.String | F.TemplateLiteral | F.StringMapping)) return { type: 'string' };
    if (flags & F.Number) return { type: 'number' };
    if (flags & F.Boolean) return { type: 'boolean' };
    if (flags & F.Union) return this.union(type.types, where, false);
    if (flags & (F.BigInt | F.BigIntLiteral | F.ESSymbolLike))
      throw new SchemaError(`${where}: ${this.checker.typeToString(type)} has no JSON form`);
    if (flags & F.TypeParameter)
      throw new SchemaError(`${where}: the type parameter ${this.checker.typeToString(type)} is not bound`);
    // A branded primitive (`string & { brand }`) prints as the primitive.
    const primitive = flags & F.Intersection && type.types.find((t) => t.flags & F.Primitive);
    if (primitive) return this.inline(primitive, where);
    if (flags & (F.Object | F.Intersection)) return this.object(type, where);
    if (flags & F.NonPrimitive) return { type: 'object' };
    throw new SchemaError(`${where}: no schema for ${this.checker.typeToString(type)}`);
  }

  /** `optional`: the union is a property's type, whose undefined JSON.stringify leaves out. */
  union(types, where, optional) {
    const members = optional ? types.filter((t) => !isUndefined(t)) : types;
    const booleans = members.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
    const schemas = [];
    if (booleans.length === 2) schemas.push({ type: 'boolean' });
    const strings = members.filter((t) => t.flags & ts.TypeFlags.StringLiteral).map((t) => t.value);
    if (strings.length > 1) schemas.push({ type: 'string', enum: strings });
    for (const member of members) {
      if (booleans.length === 2 && member.flags & ts.TypeFlags.BooleanLiteral) continue;
      if (strings.length > 1 && member.flags & ts.TypeFlags.StringLiteral) continue;
      schemas.push(this.schema(member, where));
    }
    return schemas.length === 1 ? schemas[0] : { anyOf: schemas };
  }

  object(type, where) {
    const { checker } = this;
    if (isLibType(type, 'Date')) return { type: 'string', format: 'date-time' };
    if (checker.isArrayType(type)) {
      return { type: 'array', items: this.schema(checker.getTypeArguments(type)[0], `${where}[]`) };
    }
    if (checker.isTupleType(type)) {
      const elements = checker.getTypeArguments(type);
      const target = type.target;
      const required = target.elementFlags.filter((f) => f & ts.ElementFlags.Required).length;
      return {
        type: 'array',
        prefixItems: elements.map((t, i) => this.schema(t, `${where}[${i}]`)),
        minItems: required,
        ...(target.hasRestElement ? {} : { maxItems: elements.length }),
      };
    }
    for (const unsupported of ['Map', 'Set', 'Promise', 'RegExp', 'Buffer', 'Uint8Array', 'Function']) {
      if (isLibType(type, unsupported) || type.getSymbol()?.getName() === unsupported)
        throw new SchemaError(`${where}: a ${unsupported} does not print as JSON; return plain data`);
    }
    if (type.getCallSignatures().length > 0 && type.getProperties().length === 0)
      throw new SchemaError(`${where}: a function does not print as JSON`);

    // Another project's class (oclif's Plugin): its fields are its contract, not photon's.
    if (isExternal(checker, type)) return { type: 'object' };
    const properties = {};
    const required = [];
    for (const property of checker.getPropertiesOfType(type)) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      // JSON.stringify leaves out methods and accessors of a class (they live on its prototype).
      if (property.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor)) continue;
      const name = property.getName();
      const propertyType = checker.getTypeOfSymbol(property);
      if (propertyType.getCallSignatures().length > 0 && propertyType.getProperties().length === 0) continue;
      // Left out of the JSON when undefined: optional, whatever the type says.
      const optional =
        property.flags & ts.SymbolFlags.Optional ||
        isUndefined(propertyType) ||
        (propertyType.flags & ts.TypeFlags.Union && propertyType.types.some(isUndefined));
      let schema = this.schema(propertyType, `${where}.${name}`, true);
      if (SECRET_KEY.test(name) && !acceptsString(schema)) schema = { anyOf: [schema, { const: REDACTED }] };
      const description = declaration ? documentation(checker, property) : '';
      properties[name] = description ? withDescription(schema, description) : schema;
      if (!optional) required.push(name);
    }
    const index = checker.getIndexInfosOfType(type)[0];
    return {
      type: 'object',
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: index ? this.schema(index.type, `${where}[key]`) : false,
    };
  }

  /**
   * An interface or class (not TypeScript's library's: Date, Record<K, V>), or an object type
   * aliased in this repository; not an array, tuple, anonymous literal or another project's alias
   * (zod's `output<T>` is expanded).
   */
  isNamedObject(type) {
    if (!(type.flags & ts.TypeFlags.Object)) return false;
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) return false;
    const alias = type.aliasSymbol;
    if (alias && !isLibSymbol(alias) && !isExternalSymbol(alias)) return true;
    const symbol = type.getSymbol();
    return symbol !== undefined && isClassOrInterface(symbol) && !isLibSymbol(symbol);
  }

  define(type, where) {
    const known = this.nameOf.get(type);
    if (known) return known;
    const named = this.isNamedObject(type);
    const base = (
      named
        ? this.checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation)
        : where.split(/[.:]/).at(-1)
    )
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_|_$/g, '');
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    this.nameOf.set(type, name);
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const description = symbol && named ? documentation(this.checker, symbol) : '';
    // A defined type ends every cycle through it: anonymous types start afresh inside it.
    const inlining = this.inlining;
    this.inlining = [];
    try {
      const schema = this.inline(type, where);
      this.defs.set(name, description ? withDescription(schema, description) : schema);
    } finally {
      this.inlining = inlining;
    }
    return name;
  }
}

function isUndefined(type) {
  return (type.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) !== 0;
}

/** Declared by TypeScript's standard library (lib.*.d.ts). */
function isLibSymbol(symbol) {
  return (symbol.declarations ?? []).some((d) =>
    /[/\\]typescript[/\\]lib[/\\]lib\./.test(d.getSourceFile().fileName),
  );
}

function isLibType(type, name) {
  const symbol = type.getSymbol();
  return symbol?.getName() === name && isLibSymbol(symbol);
}

function isClassOrInterface(symbol) {
  return (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) !== 0;
}

function isExternalSymbol(symbol) {
  const declarations = symbol.declarations ?? [];
  return (
    declarations.length > 0 &&
    declarations.every((d) => d.getSourceFile().fileName.includes('/node_modules/'))
  );
}

/**
 * Another project's object (node_modules, not TypeScript's library): an interface or class
 * declared there, or a type all of whose properties are (oclif's `Omit<Plugin, …> & {deps}`).
 * A type inferred by a library from our own declarations (zod's `output<typeof schema>`) has its
 * properties declared here, so it is expanded like our own.
 */
function isExternal(checker, type) {
  const symbol = type.getSymbol();
  if (symbol !== undefined && isClassOrInterface(symbol))
    return !isLibSymbol(symbol) && isExternalSymbol(symbol);
  const properties = checker.getPropertiesOfType(type);
  return properties.length > 0 && properties.every((p) => !isLibSymbol(p) && isExternalSymbol(p));
}

function acceptsString(schema) {
  if (schema.type === 'string' || Object.keys(schema).length === 0) return true;
  return (schema.anyOf ?? []).some(acceptsString);
}

function documentation(checker, symbol) {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
}

function withDescription(schema, description) {
  return schema.$ref ? { $ref: schema.$ref, description } : { description, ...schema };
}

/** One command as oclif finds it: id, the module of its class, and what the class says statically. */
function commandsOfPlugin(dir, name, workspace) {
  const pjson = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const target = pjson.oclif?.commands;
  if (typeof target !== 'string') return [];
  // Our packages are read from source (their dist is a build away); other projects' from .d.ts.
  const commandsDir = path.join(dir, workspace ? target.replace(/^(\.\/)?dist\//, 'src/') : target);
  const suffix = workspace ? '.ts' : '.d.ts';
  const files = readdirSync(commandsDir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(suffix) && !f.endsWith('.test.ts') && !(workspace && f.endsWith('.d.ts')))
    .sort();
  return files.map((file) => {
    const parts = file.slice(0, -suffix.length).split(path.sep);
    if (parts.at(-1) === 'index') parts.pop();
    const inPackage = path.relative(dir, path.join(commandsDir, file));
    return { id: parts.join(':'), plugin: name, file: path.join(commandsDir, file), inPackage, workspace };
  });
}

/**
 * A static property's initializer (`static enableJsonFlag = true`): for our sources wherever the
 * checker finds it up the class chain; for another project's .d.ts, in the compiled .js beside it.
 */
function staticInitializer(checker, classSymbol, name, command) {
  if (!command.workspace) {
    // A .d.ts has no values: read the compiled class beside it.
    const js = command.file.replace(/\.d\.ts$/, '.js');
    const source = ts.createSourceFile(js, readFileSync(js, 'utf8'), ts.ScriptTarget.Latest, true);
    let found;
    const visit = (node) => {
      if (
        ts.isPropertyDeclaration(node) &&
        node.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) &&
        node.name.getText(source) === name
      )
        found ??= node.initializer;
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  }
  const staticType = checker.getTypeOfSymbol(classSymbol);
  const property = checker.getPropertyOfType(staticType, name);
  const declaration = property?.valueDeclaration;
  return declaration && ts.isPropertyDeclaration(declaration) ? declaration.initializer : undefined;
}

/** Where node finds package `name` from `from` (not through require: exports may hide package.json). */
function packageDir(from, name) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === path.dirname(dir)) throw new SchemaError(`${name}: not installed (npm install)`);
  }
}

/** The commands `photon commands --json` lists: the cli's own and those of its bundled plugins. */
export function listCommands(repo) {
  const cli = path.join(repo, 'packages/cli');
  const pjson = JSON.parse(readFileSync(path.join(cli, 'package.json'), 'utf8'));
  const commands = commandsOfPlugin(cli, pjson.name, true);
  for (const plugin of pjson.oclif.plugins ?? []) {
    const dir = packageDir(cli, plugin);
    commands.push(...commandsOfPlugin(dir, plugin, !dir.includes(`${path.sep}node_modules${path.sep}`)));
  }
  return commands;
}

function createProgram(repo, files) {
  const base = ts.readConfigFile(path.join(repo, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(base.config.compilerOptions, repo);
  return ts.createProgram(files, {
    ...options,
    paths: sourcePaths(repo),
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    noEmit: true,
  });
}

/**
 * Our packages' types from their source, as vitest reads them (package.json exports
 * "photon-source"), not from dist/*.d.ts, which is a build away and lists "types" first.
 */
function sourcePaths(repo) {
  const { workspaces } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const paths = {};
  for (const workspace of workspaces) {
    const pjson = JSON.parse(readFileSync(path.join(repo, workspace, 'package.json'), 'utf8'));
    for (const [subpath, target] of Object.entries(pjson.exports ?? {})) {
      const source = target?.['photon-source'];
      if (source) paths[`${pjson.name}${subpath.slice(1)}`] = [path.join(repo, workspace, source)];
    }
  }
  return paths;
}

const fileName = (id) => `${id.replaceAll(':', '-')}.json`;

/** Every command's schema: file name → schema, in command order. */
export function generateSchemas(repo) {
  const commands = listCommands(repo);
  const program = createProgram(
    repo,
    commands.map((c) => c.file),
  );
  const checker = program.getTypeChecker();
  const schemas = new Map();
  for (const command of commands) {
    // Named in the package, not by where npm happened to install it.
    const where = command.workspace
      ? path.relative(repo, command.file)
      : `${command.plugin}/${command.inPackage}`;
    const source = program.getSourceFile(command.file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    const exported =
      moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.getName() === 'default');
    if (!exported) throw new SchemaError(`${where}: no default export (an oclif command class)`);
    const classSymbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const initializer = (name) => staticInitializer(checker, classSymbol, name, command);
    if (initializer('hidden')?.kind === ts.SyntaxKind.TrueKeyword) continue;
    const json = initializer('enableJsonFlag')?.kind === ts.SyntaxKind.TrueKeyword;
    const aliasesNode = initializer('aliases');
    const aliases =
      aliasesNode && ts.isArrayLiteralExpression(aliasesNode)
        ? aliasesNode.elements.filter(ts.isStringLiteral).map((e) => e.text)
        : [];
    const body = json ? resultSchema(checker, classSymbol, where) : undefined;
    for (const id of [command.id, ...aliases]) {
      const typed = `photon ${id.replaceAll(':', ' ')}`;
      const what = !json
        ? `\`${typed}\` has no --json flag: it prints no JSON document (${where}).`
        : body === undefined
          ? `\`${typed} --json\` prints no JSON document: its run() returns nothing (${where}).`
          : `What \`${typed} --json\` prints on stdout, from the type its run() returns (${where}).`;
      schemas.set(fileName(id), {
        $schema: SCHEMA_DIALECT,
        title: `${typed} --json`,
        description: `${what} Generated by scripts/json-schemas.mjs (npm run schemas); do not edit.`,
        ...(body ?? { not: {} }),
      });
    }
  }
  return schemas;
}

function resultSchema(checker, classSymbol, where) {
  const instance = checker.getDeclaredTypeOfSymbol(classSymbol);
  const run = checker.getPropertyOfType(instance, 'run');
  const signature = run && checker.getTypeOfSymbol(run).getCallSignatures()[0];
  if (!signature) throw new SchemaError(`${where}: the command class has no run()`);
  const returned = checker.getAwaitedType(signature.getReturnType()) ?? signature.getReturnType();
  if (returned.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return undefined;
  return new SchemaWriter(checker).document(returned, `${where}: run()`);
}

/** The schemas of types exported by one TypeScript file, by name (strict, as the packages compile). */
export function schemasOfExports(file, names) {
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const exports = source ? checker.getExportsOfModule(checker.getSymbolAtLocation(source)) : [];
  return Object.fromEntries(
    names.map((name) => {
      const symbol = exports.find((s) => s.getName() === name);
      if (!symbol) throw new SchemaError(`${file}: exports no ${name}`);
      return [name, new SchemaWriter(checker).document(checker.getDeclaredTypeOfSymbol(symbol), name)];
    }),
  );
}

export const schemaDir = (repo) => path.join(repo, 'schemas/commands');
export const schemaText = (schema) => `${JSON.stringify(schema, null, 2)}\n`;

const MAX_CHANGES_SHOWN = 10;

/** Where two schemas differ, as JSON pointers: `+` added, `-` removed, `~` another value. */
export function schemaChanges(before, after, at = '') {
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => {
      const where = `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (!(key in after)) return [`- ${where}`];
      if (!(key in before)) return [`+ ${where}`];
      return schemaChanges(before[key], after[key], where);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [`~ ${at || '/'}`];
}

/** Names of the committed schema files that differ from the generated ones (missing, stale, changed). */
export function compareSchemas(repo, schemas = generateSchemas(repo), dir = schemaDir(repo)) {
  let committed = [];
  try {
    committed = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {}
  const differ = [];
  for (const [file, schema] of schemas) {
    let text;
    try {
      text = readFileSync(path.join(dir, file), 'utf8');
    } catch {
      differ.push(`${file} (missing)`);
      continue;
    }
    if (text === schemaText(schema)) continue;
    let committedSchema;
    try {
      committedSchema = JSON.parse(text);
    } catch {
      differ.push(`${file} (not JSON)`);
      continue;
    }
    const changes = schemaChanges(committedSchema, schema);
    const shown = changes.slice(0, MAX_CHANGES_SHOWN).join(', ');
    const more = changes.length > MAX_CHANGES_SHOWN ? ` and ${changes.length - MAX_CHANGES_SHOWN} more` : '';
    differ.push(`${file} (changed: ${shown || 'formatting'}${more})`);
  }
  for (const file of committed) if (!schemas.has(file)) differ.push(`${file} (no such command)`);
  return differ;
}

export function writeSchemas(repo, schemas = generateSchemas(repo)) {
  const dir = schemaDir(repo);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir))
    if (file.endsWith('.json') && !schemas.has(file)) rmSync(path.join(dir, file));
  for (const [file, schema] of schemas) writeFileSync(path.join(dir, file), schemaText(schema));
  return schemas;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  try {
    if (process.argv.includes('--check')) {
      const differ = compareSchemas(repo);
      if (differ.length > 0) {
        console.error(
          `The --json schemas in schemas/commands do not match the commands' result types:\n  ${differ.join('\n  ')}\n` +
            'Run `npm run schemas` and commit the result (docs/json-output.md: is the change breaking?).',
        );
        process.exit(1);
      }
    } else {
      writeSchemas(repo);
    }
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    console.error(`json-schemas: ${error.message}`);
    process.exit(1);
  }
}
