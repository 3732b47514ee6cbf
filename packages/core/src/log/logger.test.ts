import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTaskLogger, formatPrettyLine, RecentLines } from './logger.js';

const line = (msg: string) => `${JSON.stringify({ level: 40, time: 0, msg })}\n`;

describe('RecentLines', () => {
  it('keeps the last `limit` lines as written and renders them only when asked', () => {
    const recent = new RecentLines(2);
    recent.write(line('one') + line('two'));
    recent.write(line('three'));
    expect(recent.get()).toEqual(['WARN  two', 'WARN  three']);
    recent.limit = 1;
    expect(recent.get()).toEqual(['WARN  three']);
    recent.limit = 0;
    expect(recent.get()).toEqual([]);
  });

  it('redacts secret keys at any depth and private key blocks in messages', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const { logger } = await createTaskLogger({ level: 'info', format: 'json', stream: out });
    logger.info(
      { smtp: { auth: { apiToken: 't0ps3cret' } }, user: 'gw' },
      'key -----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----',
    );
    expect(text).not.toContain('t0ps3cret');
    expect(text).not.toContain('abc');
    expect(JSON.parse(text)).toMatchObject({
      smtp: { auth: { apiToken: '***' } },
      user: 'gw',
      msg: 'key ***',
    });
  });
});

describe('formatPrettyLine colours', () => {
  const record = (level: number) => JSON.stringify({ level, msg: 'm', task: 't' });
  it('colours the level label on request: info green, warn yellow, error red', () => {
    expect(formatPrettyLine(record(30), true)).toBe('\u001b[32mINFO \u001b[0m m\n');
    expect(formatPrettyLine(record(40), true)).toBe('\u001b[33mWARN \u001b[0m m\n');
    expect(formatPrettyLine(record(50), true)).toBe('\u001b[31mERROR\u001b[0m m\n');
  });
  it('prints no escape codes without colour', () => {
    expect(formatPrettyLine(record(40))).toBe('WARN  m\n');
  });
});
