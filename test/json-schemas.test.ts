// The --json contract (docs/json-output.md): scripts/json-schemas.mjs turns each command's result
// type into a JSON Schema; the committed schemas/commands/*.json must be what it generates now.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaDir } from './helpers/json-contract.js';
import { repoRoot } from './helpers/photon.js';

type Schema = Record<string, unknown>;
const { compareSchemas, generateSchemas, schemasOfExports, schemaText } = (await import(
  '../scripts/json-schemas.mjs' as string
)) as {
  generateSchemas(repo: string): Map<string, Schema>;
  compareSchemas(repo: string, schemas: Map<string, Schema>, dir?: string): string[];
  schemasOfExports(file: string, names: string[]): Record<string, Schema>;
  schemaText(schema: Schema): string;
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'json-schemas-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('committed --json schemas', () => {
  // One TypeScript program over every command and what it imports: seconds, once.
  const generated = generateSchemas(repoRoot);

  it('are what `npm run schemas` generates from the result types now', () => {
    expect(
      compareSchemas(repoRoot, generated),
      'schemas/commands differs from the result types: run `npm run schemas` and commit it; docs/json-output.md says which changes are breaking',
    ).toEqual([]);
    expect(generated.size).toBeGreaterThan(40);
  });

  it('a changed, missing or stale schema file is named', () => {
    const dir = path.join(tmp, 'commands');
    cpSync(schemaDir, dir, { recursive: true });
    const history = JSON.parse(schemaText(generated.get('history.json') as Schema));
    delete history.properties.result;
    writeFileSync(path.join(dir, 'history.json'), schemaText(history));
    rmSync(path.join(dir, 'git-sync.json'));
    writeFileSync(path.join(dir, 'git-frobnicate.json'), '{}\n');
    expect(compareSchemas(repoRoot, generated, dir).sort()).toEqual([
      'git-frobnicate.json (no such command)',
      'git-sync.json (missing)',
      'history.json (changed: + /properties/result)',
    ]);
  });
});

describe('the schema of a type', () => {
  const file = path.join(tmp, 'types.ts');
  writeFileSync(
    file,
    `export interface Leaf {
  name: string;
  size?: number;
  note: string | undefined;
  when: Date;
  kind: 'file' | 'dir';
  flag: boolean;
  pair: [string, number];
  counts: Record<string, number>;
  /** The leaves below. */
  children: Leaf[];
  free: unknown;
  maybe: string | null;
  token: number;
  count(): number;
}
export interface Nested { tree: { name: string; below: Nested['tree'][] } }
export interface WithMap { seen: Map<string, number> }
export interface UsesLibrary {
  inferred: Output<{ x: number }>;
  theirs: Thing;
  theirAlias: Shape;
}
import type { Output, Shape, Thing } from 'lib';
`,
  );
  // Another project: its interfaces and aliases are its contract; a type it infers from ours is ours.
  mkdirSync(path.join(tmp, 'node_modules/lib'), { recursive: true });
  writeFileSync(path.join(tmp, 'node_modules/lib/package.json'), '{"name": "lib", "types": "index.d.ts"}');
  writeFileSync(
    path.join(tmp, 'node_modules/lib/index.d.ts'),
    'export type Output<T> = { [K in keyof T]: T[K] };\nexport interface Thing { a: string }\nexport type Shape = { b: number };\n',
  );
  const schemaOf = (name: string) => schemasOfExports(file, [name])[name];
  const ajv = new Ajv2020({ strict: true });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  it('is JSON.stringify of the type: optional and undefined-able keys not required, methods left out', () => {
    const schema = schemaOf('Leaf');
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['name', 'when', 'kind', 'flag', 'pair', 'counts', 'children', 'free', 'maybe', 'token'],
      properties: {
        name: { type: 'string' },
        size: { type: 'number' },
        note: { type: 'string' },
        when: { type: 'string', format: 'date-time' },
        kind: { type: 'string', enum: ['file', 'dir'] },
        flag: { type: 'boolean' },
        pair: {
          type: 'array',
          prefixItems: [{ type: 'string' }, { type: 'number' }],
          minItems: 2,
          maxItems: 2,
        },
        counts: { type: 'object', additionalProperties: { type: 'number' } },
        children: { type: 'array', items: { $ref: '#/$defs/Leaf' }, description: 'The leaves below.' },
        free: {},
        maybe: { anyOf: [{ type: 'null' }, { type: 'string' }] },
        // A secret-keyed value prints as *** (core's redactingReplacer).
        token: { anyOf: [{ type: 'number' }, { const: '***' }] },
      },
    });
    expect(Object.keys(schema.properties as Schema)).not.toContain('count');
    const validate = ajv.compile(schema);
    const leaf = {
      name: 'a',
      when: new Date(0).toISOString(),
      kind: 'dir',
      flag: true,
      pair: ['x', 1],
      counts: { x: 1 },
      children: [] as unknown[],
      free: [1],
      maybe: null,
      token: '***',
    };
    expect(validate({ ...leaf, children: [{ ...leaf, size: 3 }] })).toBe(true);
    // What the type does not allow: an undeclared key, a wrong type deep down, a missing key.
    expect(validate({ ...leaf, extra: 1 })).toBe(false);
    expect(validate({ ...leaf, children: [{ ...leaf, kind: 'link' }] })).toBe(false);
    expect(validate({ ...leaf, when: 'yesterday' })).toBe(false);
    const { name: _name, ...nameless } = leaf;
    expect(validate(nameless)).toBe(false);
  });

  it('defines a recursive anonymous type once and refers to it', () => {
    const schema = schemaOf('Nested');
    const validate = ajv.compile(schema);
    expect(validate({ tree: { name: 'a', below: [{ name: 'b', below: [] }] } })).toBe(true);
    expect(validate({ tree: { name: 'a', below: [{ name: 'b', below: [{ name: 1, below: [] }] }] } })).toBe(
      false,
    );
  });

  it("expands a type another project infers from ours, not that project's own types", () => {
    const schema = schemaOf('UsesLibrary');
    expect(schema.properties).toEqual({
      inferred: {
        type: 'object',
        properties: { x: { type: 'number' } },
        required: ['x'],
        additionalProperties: false,
      },
      theirs: { $ref: '#/$defs/Thing' },
      theirAlias: { type: 'object' },
    });
    expect(schema.$defs).toEqual({ Thing: { type: 'object' } });
  });

  it('refuses a type that does not print as JSON, naming where it is', () => {
    expect(() => schemaOf('WithMap')).toThrow('WithMap.seen: a Map does not print as JSON');
  });
});
