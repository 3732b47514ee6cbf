import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTaskLogger, formatPrettyLine, RecentLines, silentLogger } from './logger.js';

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
    // Lines past the limit were dropped as they came (a run logs for hours): raising it brings none back.
    recent.limit = 10;
    expect(recent.get()).toEqual(['WARN  two', 'WARN  three']);
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

describe('formatPrettyLine', () => {
  it('renders every level name, extras as key=value (non-strings as JSON), hidden keys left out', () => {
    const names = [10, 20, 30, 40, 50, 60, 35].map(
      (level) => formatPrettyLine(JSON.stringify({ level, msg: 'm' })).split(' ')[0],
    );
    expect(names).toEqual(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', '35']);
    const record = {
      level: 30,
      time: 1,
      pid: 2,
      hostname: 'h',
      task: 't',
      run: 'r',
      error: { message: 'x' },
      problem: 'p',
      msg: 'wrote 2 files',
      dir: '/etc/fastd',
      count: 2,
      keys: ['a', 'b'],
    };
    expect(formatPrettyLine(JSON.stringify(record))).toBe(
      'INFO  wrote 2 files  dir=/etc/fastd count=2 keys=["a","b"]\n',
    );
    expect(formatPrettyLine(JSON.stringify({ level: 20 }), true)).toBe('DEBUG \n');
    expect(formatPrettyLine(JSON.stringify({ level: 60, msg: 'down' }), true)).toBe(
      '\u001b[31mFATAL\u001b[0m down\n',
    );
  });

  it('passes a line that is not JSON through as it is', () => {
    expect(formatPrettyLine('not json {')).toBe('not json {');
  });
});

describe('createTaskLogger', () => {
  const sink = () => {
    const written: string[] = [];
    return { written, stream: { write: (text: string) => void written.push(text) } };
  };

  it('writes JSON lines at the console level with the bindings only, and keeps info and up as recent lines', async () => {
    const { written, stream } = sink();
    const { logger, recent } = await createTaskLogger({
      level: 'debug',
      format: 'json',
      stream,
      bindings: { task: 'demo', run: 'abc123' },
    });
    expect(logger.level).toBe('debug');
    logger.trace('hidden');
    logger.debug({ n: 1 }, 'details');
    logger.warn('careful');
    const lines = written.map((text) => JSON.parse(text));
    expect(lines.map(({ time, ...rest }) => [typeof time, rest])).toEqual([
      ['number', { level: 20, task: 'demo', run: 'abc123', n: 1, msg: 'details' }],
      ['number', { level: 40, task: 'demo', run: 'abc123', msg: 'careful' }],
    ]);
    expect(recent.get()).toEqual(['WARN  careful']);
  });

  it('pretty console lines, one per record; a quieter console still leaves info lines to the recent buffer', async () => {
    const { written, stream } = sink();
    const { logger, recent } = await createTaskLogger({ level: 'warn', format: 'pretty', stream });
    expect(logger.level).toBe('info');
    logger.info({ unit: 'bird' }, 'reload bird');
    logger.error('failed');
    expect(written).toEqual(['ERROR failed\n']);
    expect(recent.get()).toEqual(['INFO  reload bird  unit=bird', 'ERROR failed']);
    const colored = sink();
    const { logger: colorLogger } = await createTaskLogger({
      level: 'info',
      format: 'pretty',
      stream: colored.stream,
      color: true,
    });
    colorLogger.info('done');
    expect(colored.written).toEqual(['\u001b[32mINFO \u001b[0m done\n']);
  });

  it('silent: nothing on the console; the log file gets info and up as JSON, appended, its directory made', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-logger-'));
    const file = path.join(dir, 'logs', 'photon.log');
    const { written, stream } = sink();
    for (const run of ['one', 'two']) {
      const { logger } = await createTaskLogger({
        level: 'silent',
        format: 'json',
        stream,
        file,
        bindings: { run },
      });
      logger.debug('not in the file');
      logger.info('in the file');
      logger.fatal('also fatal');
    }
    expect(written).toEqual([]);
    expect(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((text) => {
          const { time: _time, ...rest } = JSON.parse(text);
          return rest;
        }),
    ).toEqual([
      { level: 30, run: 'one', msg: 'in the file' },
      { level: 60, run: 'one', msg: 'also fatal' },
      { level: 30, run: 'two', msg: 'in the file' },
      { level: 60, run: 'two', msg: 'also fatal' },
    ]);
  });
});

describe('silentLogger', () => {
  it('drops everything, also from its children', () => {
    expect(silentLogger.level).toBe('silent');
    const child = silentLogger.child({ task: 'x' });
    expect(child).toBe(silentLogger);
    for (const method of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)
      expect(child[method]('m')).toBeUndefined();
  });
});
