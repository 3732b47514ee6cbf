import { describe, expect, it } from 'vitest';
import { RecentLines } from './logger.js';

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
});
