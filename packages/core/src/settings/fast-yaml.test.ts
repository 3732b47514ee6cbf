import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadSettingsYamlFast, spansLines } from './fast-yaml.js';
import { photonTags, type TagContext } from './photon-tags.js';

const ctx: TagContext = {
  hostname: 'kaschu',
  timestamp: '2026.11.27-05.00.00',
  locations: { home_dir: '/root', conf_dir: '/root/.config/photon', data_dir: '/d', call_dir: '/etc/photon' },
};

/** What the `yaml` package (the reader that knows positions) makes of the text; undefined on an error. */
function slowRead(text: string): unknown {
  const doc = YAML.parseDocument(text, { customTags: photonTags(ctx), merge: true, uniqueKeys: true });
  if (doc.errors.length > 0) return undefined;
  return doc.toJS({ maxAliasCount: 1000 });
}

/** The quick read must give exactly what the slow one gives, whenever it answers at all. */
function expectSameRead(text: string) {
  const fast = loadSettingsYamlFast(text, ctx);
  expect(fast, text).not.toBeUndefined();
  expect(fast, text).toStrictEqual(slowRead(text));
}

describe('the quick settings read (js-yaml) against the yaml package', () => {
  it('reads the example community configuration identically', () => {
    const dir = path.resolve(import.meta.dirname, '../../../../examples/community');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expectSameRead(readFileSync(path.join(dir, file), 'utf8'));
  });

  it('resolves scalars by the YAML 1.2 core schema of the yaml package, not js-yaml’s own', () => {
    const scalars = [
      '0b101',
      '1_000',
      '+12',
      '-7',
      '012',
      '0o17',
      '0x1F',
      '0X1F',
      '.5',
      '5.',
      '1.0e+3',
      '1e3',
      '.5e3',
      '.inf',
      '-.Inf',
      '+.INF',
      '.nan',
      '.NaN',
      '~',
      'null',
      'Null',
      'NULL',
      'nULL',
      'true',
      'True',
      'TRUE',
      'tRUE',
      'yes',
      'no',
      'on',
      'off',
      'y',
      '2001-12-14',
      '2001-12-14t21:59:43.10-05:00',
      '12:30:00',
      '1:20',
      '0.1.2',
      '"true"',
      "'12'",
      '',
      '[1, 2]',
      '{a: 1}',
      '"\\x41"',
    ];
    expectSameRead(scalars.map((s, i) => `k${i}: ${s}`).join('\n'));
  });

  it('handles anchors, merge keys, Photon tags, nesting and aliases to tagged nodes the same way', () => {
    expectSameRead(
      [
        'x-base: &base {a: 1, b: [1, 2], c: {d: e}}',
        'x-more: &more {f: g}',
        'one: {<<: *base, a: 2}',
        'two:',
        '  <<: [*base, *more]',
        '  b: []',
        'x-k: &k {k: 1, p: 1}',
        'x-l: &l {k: 2, q: 2}',
        'three: {<<: [*k, *l], p: 3}',
        'four:',
        '  <<: *l',
        '  <<: *k',
        "name: &n !str_join ['gw-', hostname, '-', 3, '-', true, '-', null, '-', 1.5]",
        'copy: *n',
        "loc: !loc_join [data_dir, !str_join [hostname, '.d'], '/abs', call_dir, x]",
        "list: [*n, !loc_join [home_dir], 'hostname']",
        'block: |',
        '  line one',
        '    indented',
        'folded: >-',
        '  a',
        '  b',
        'plain: a',
        '  continued',
        'quoted: "tab\\there \\u00e9"',
        "single: 'it''s'",
        'empty:',
        'seq:',
        '- a',
        '- {b: c}',
        '- - nested',
      ].join('\n'),
    );
  });

  it('answers for explicit core tags only as the yaml package does', () => {
    for (const text of ['a: !!str 12', 'a: !!int "7"', 'a: !!float 1', 'a: !!null ""', 'a: !!bool "true"']) {
      const fast = loadSettingsYamlFast(text, ctx);
      if (fast !== undefined) expect(fast, text).toStrictEqual(slowRead(text));
    }
  });

  it('sends a quoted scalar or flow collection that spans lines to the strict reader', () => {
    expect(spansLines("a: 'x\n  y'")).toBe(true);
    expect(spansLines('a: "x\\"\nb: "y\nz"')).toBe(true);
    expect(spansLines("a: 'it''s'\nb: \"q\\\"\" # don't\nc: it's\n")).toBe(false);
    expect(spansLines("key: '#''\nlist: ['#'']\n")).toBe(true);
    expect(spansLines("a: |\n  don't\n  \"\nb: 'ok'\n")).toBe(false);
    expect(spansLines("a: x > y\nb: 'y\n  z'")).toBe(true);
    expect(spansLines('a: [1,\n2]')).toBe(true);
    expect(spansLines('a: [1,\n  2]')).toBe(false);
    expect(spansLines('a:\n  b:\n    [\n      1,\n    ]\n')).toBe(false);
    expect(spansLines('a: {b: [1]} # [\nc: x[1]')).toBe(false);
  });

  it('keeps cron lines full of stars on the quick path', () => {
    const text = Array.from({ length: 60 }, (_, i) => `job${i}: '*/5 * * * *'`).join('\n');
    expect(loadSettingsYamlFast(text, ctx)).toEqual(slowRead(text));
  });

  it('leaves everything unusual to the yaml package', () => {
    for (const text of [
      'a: 1\na: 2', // duplicate key
      'a: !unknown x', // a tag neither reader knows
      'a: !str_join x', // a Photon tag on a scalar
      'a: !loc_join [1, 2]', // a non-string location
      'a: [1, 2', // syntax error
      'a: 1\n---\nb: 2', // two documents
      `x: &a [1]\ny: [${Array.from({ length: 101 }, () => '*a').join(', ')}]`, // many aliases
      `x: &a [1]\ny:\n${Array.from({ length: 101 }, () => '  - *a').join('\n')}`, // many aliases, block style
    ]) {
      expect(loadSettingsYamlFast(text, ctx), text).toBeUndefined();
    }
  });

  it('never accepts a multi-line document the yaml package rejects, and reads it the same', () => {
    const line = fc.constantFrom(
      "a: 'x",
      "  y'",
      '  z"',
      'b: |',
      "  t 'q",
      '    u',
      'c: "m',
      '  n"',
      "# c'",
      "d: x # y'",
      "- 'z'",
      'e: >-',
      '   f',
      "g: [1, 'h',",
      '  2]',
      'h: "a\\"',
      "i: it's",
      ' j: 1',
      "k: 'l''m'",
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 7 }), (lines) => {
        const text = lines.join('\n');
        const fast = loadSettingsYamlFast(text, ctx);
        if (fast !== undefined) expect(fast, text).toStrictEqual(slowRead(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees on random plain scalars and strings', () => {
    const alphabet = fc.constantFrom(...'0123456789.+-_eEoxXabfInN~: #\'"tTrRuUlL'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), (value) => {
        const text = `key: ${value}\nlist: [${value}]\n`;
        const fast = loadSettingsYamlFast(text, ctx);
        if (fast !== undefined) expect(fast, text).toStrictEqual(slowRead(text));
      }),
      { numRuns: 20_000 },
    );
  });
});
