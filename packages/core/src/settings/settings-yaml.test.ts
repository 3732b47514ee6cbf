import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadSettingsYamlFast } from './fast-yaml.js';
import { formatSettingsYaml } from './settings-yaml.js';

const ctx = {
  hostname: 'h',
  timestamp: 't',
  locations: { home_dir: '/h', conf_dir: '/c', data_dir: '/d', call_dir: '/x' },
};

describe('formatSettingsYaml', () => {
  it('writes block YAML people read: plain words, quotes only where a string would read as something else', () => {
    const text = formatSettingsYaml({
      photon: { hostname: 'kaschu', dataDir: '/var/lib/photon', port: 10000, on: true, none: null },
      fastd: {
        instances: [
          { name: 'mzVPN', peers: ['a', 'b'] },
          { name: '10', flags: [] },
        ],
        matrix: [[1, 2], []],
        empty: {},
      },
      tricky: ['true', '0x1F', '', 'a: b', ' lead', '#x', '- x', 'line\nbreak', 'tab\there', 'x\u0085y'],
    });
    expect(text).toBe(
      [
        'photon:',
        '  hostname: kaschu',
        '  dataDir: /var/lib/photon',
        '  port: 10000',
        '  on: true',
        '  none: null',
        'fastd:',
        '  instances:',
        '    - name: mzVPN',
        '      peers:',
        '        - a',
        '        - b',
        '    - name: "10"',
        '      flags: []',
        '  matrix:',
        '    - - 1',
        '      - 2',
        '    - []',
        '  empty: {}',
        'tricky:',
        '  - "true"',
        '  - "0x1F"',
        '  - ""',
        '  - "a: b"',
        '  - " lead"',
        '  - "#x"',
        '  - "- x"',
        '  - "line\\nbreak"',
        '  - "tab\\there"',
        '  - "x\\u0085y"',
        '',
      ].join('\n'),
    );
  });

  it('top-level lists and scalars, special numbers, undefined keys left out, other values as text', () => {
    expect(formatSettingsYaml(['a', { b: 1 }])).toBe('- a\n- b: 1\n');
    expect(formatSettingsYaml([])).toBe('[]\n');
    expect(formatSettingsYaml({})).toBe('{}\n');
    expect(formatSettingsYaml(null)).toBe('null\n');
    expect(formatSettingsYaml(undefined)).toBe('null\n');
    expect(formatSettingsYaml('yes')).toBe('yes\n');
    expect(formatSettingsYaml(false)).toBe('false\n');
    expect(
      formatSettingsYaml({
        gone: undefined,
        nan: Number.NaN,
        up: Number.POSITIVE_INFINITY,
        down: Number.NEGATIVE_INFINITY,
        negative: -1.5,
        big: 10n,
        list: [undefined, null],
      }),
    ).toBe(
      [
        'nan: .nan',
        'up: .inf',
        'down: -.inf',
        'negative: -1.5',
        'big: "10"',
        'list:',
        '  - null',
        '  - null',
        '',
      ].join('\n'),
    );
    expect(formatSettingsYaml({ 'key with: colon': 'x\u007fy\ufffe' })).toBe(
      '"key with: colon": "x\\u007fy\\ufffe"\n',
    );
  });

  it('reads back as the same tree with the yaml package and the quick settings reader', () => {
    const tree = fc
      .dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }))
      .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);
    fc.assert(
      fc.property(tree, (value) => {
        const text = formatSettingsYaml(value);
        expect(YAML.parse(text, { uniqueKeys: false }) ?? {}, text).toStrictEqual(value);
        const quick = loadSettingsYamlFast(text, ctx);
        if (quick !== undefined) expect(quick ?? {}, text).toStrictEqual(value);
      }),
      { numRuns: 3000 },
    );
  });
});
