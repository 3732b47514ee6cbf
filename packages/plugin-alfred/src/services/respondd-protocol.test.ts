import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeResponddAnswer,
  encodeResponddAnswer,
  parseResponddRequest,
  responddRequestLine,
  safeJson,
} from './respondd-protocol.js';

const parse = (text: string | Buffer, max = 256) =>
  parseResponddRequest(typeof text === 'string' ? Buffer.from(text) : text, max);

const data = {
  nodeinfo: { node_id: '02cafe00ff0a', hostname: 'gw' },
  statistics: { node_id: '02cafe00ff0a', uptime: 1 },
  neighbours: { node_id: '02cafe00ff0a', batadv: {} },
};

describe('respondd requests', () => {
  it('reads the GET form (yanic) and the single-word form (gluon-neighbour-info)', () => {
    expect(parse('GET nodeinfo statistics neighbours')).toEqual({
      kind: 'multi',
      providers: ['nodeinfo', 'statistics', 'neighbours'],
    });
    expect(parse('GET nodeinfo nodeinfo\n')).toEqual({ kind: 'multi', providers: ['nodeinfo'] });
    expect(parse('nodeinfo')).toEqual({ kind: 'single', provider: 'nodeinfo' });
    // mesh-announce skips unknown names of a GET.
    expect(parse('GET wifi statistics')).toEqual({ kind: 'multi', providers: ['statistics'] });
  });

  it('refuses unknown, empty, binary and oversized requests', () => {
    for (const bad of [
      '',
      'GET',
      'GET ',
      'GET wifi',
      'hello',
      'NODEINFO',
      'GET nodeinfo\u0000',
      '__proto__',
      'GET __proto__',
    ])
      expect(parse(bad), JSON.stringify(bad)).toBeUndefined();
    expect(parse(Buffer.from([0x47, 0x45, 0x54, 0x20, 0xff]))).toBeUndefined();
    expect(parse(`GET ${'nodeinfo '.repeat(40)}`, 256)).toBeUndefined();
    expect(parse('GET nodeinfo', 12)).toEqual({ kind: 'multi', providers: ['nodeinfo'] });
    expect(parse('GET nodeinfo', 11)).toBeUndefined();
  });
});

describe('respondd answers', () => {
  it('GET: raw deflate (no zlib header) of one object keyed by provider', () => {
    const answer = encodeResponddAnswer({ kind: 'multi', providers: ['nodeinfo', 'neighbours'] }, data);
    expect(answer[0]).not.toBe(0x78); // a zlib header would start with 0x78
    expect(JSON.parse(inflateRawSync(answer).toString())).toEqual({
      nodeinfo: data.nodeinfo,
      neighbours: data.neighbours,
    });
    expect(decodeResponddAnswer(answer)).toEqual({ nodeinfo: data.nodeinfo, neighbours: data.neighbours });
  });

  it('single word: the provider as plain JSON', () => {
    const answer = encodeResponddAnswer({ kind: 'single', provider: 'statistics' }, data);
    expect(JSON.parse(answer.toString())).toEqual(data.statistics);
    expect(decodeResponddAnswer(answer)).toEqual(data.statistics);
  });

  it('decodes nothing from garbage, arrays or a deflate bomb', () => {
    expect(decodeResponddAnswer(Buffer.from('not json'))).toBeUndefined();
    expect(decodeResponddAnswer(deflateRawSync('[1,2]'))).toBeUndefined();
    expect(decodeResponddAnswer(deflateRawSync(`{"a":"${'x'.repeat(2_000_000)}"}`))).toBeUndefined();
  });

  it('escapes what could break out of a script or a string in a browser', () => {
    const hostile = { hostname: '</script><img src=x onerror=alert(1)>&\u2028"\n' };
    const text = safeJson(hostile);
    expect(text).not.toMatch(/[<>&\u2028\n]/);
    expect(JSON.parse(text)).toEqual(hostile);
  });
});

describe('respondd protocol edges', () => {
  it('accepts printable ASCII and line ends only', () => {
    expect(parse('\r\nnodeinfo\r\n')).toEqual({ kind: 'single', provider: 'nodeinfo' });
    expect(parse('GET  nodeinfo   statistics ~')).toEqual({
      kind: 'multi',
      providers: ['nodeinfo', 'statistics'],
    });
    expect(parse(' GET nodeinfo')).toEqual({ kind: 'multi', providers: ['nodeinfo'] });
    for (const byte of [0x1f, 0x7f, 0x09, 0x00, 0x80])
      expect(parse(Buffer.from([...Buffer.from('GET nodeinfo'), byte])), String(byte)).toBeUndefined();
    expect(parse('GETnodeinfo')).toBeUndefined();
    expect(parse('get nodeinfo')).toBeUndefined();
    expect(parse('nodeinfo statistics')).toBeUndefined();
  });

  it('asks as yanic does', () => {
    expect(responddRequestLine(['nodeinfo', 'statistics'])).toBe('GET nodeinfo statistics');
  });

  it('escapes all five characters as \\u00XX / \\u20XX, indented when asked', () => {
    expect(safeJson({ a: '<>&\u2028\u2029' })).toBe('{"a":"\\u003c\\u003e\\u0026\\u2028\\u2029"}');
    expect(safeJson({ a: 1 }, 2)).toBe('{\n  "a": 1\n}');
  });

  it('inflates answers up to the bound; plain JSON objects as they are', () => {
    const text = JSON.stringify({ a: 'x'.repeat(100) });
    const deflated = deflateRawSync(text);
    expect(decodeResponddAnswer(deflated, text.length)).toEqual({ a: 'x'.repeat(100) });
    expect(decodeResponddAnswer(deflated, text.length - 1)).toBeUndefined();
    expect(decodeResponddAnswer(Buffer.from('null'))).toBeUndefined();
    expect(decodeResponddAnswer(Buffer.from('"x"'))).toBeUndefined();
    expect(decodeResponddAnswer(Buffer.from('{"b":2}'))).toEqual({ b: 2 });
  });
});
