import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressLine } from './progress-line.js';

describe('ProgressLine', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes nothing for work shorter than the delay', () => {
    const written: string[] = [];
    const line = new ProgressLine(
      { write: (t) => written.push(t) },
      'fastd sync-keys',
      2_000,
      Date.now,
    ).start();
    vi.advanceTimersByTime(1_999);
    line.stop();
    expect(written).toEqual([]);
  });

  it('after the delay redraws one line each second with the elapsed time, and erases it at the end', () => {
    const written: string[] = [];
    const line = new ProgressLine({ write: (t) => written.push(t) }, 'icvpn update', 2_000, Date.now).start();
    vi.advanceTimersByTime(4_000);
    line.stop();
    vi.advanceTimersByTime(5_000);
    expect(written).toEqual([
      '\r\u001b[2K… icvpn update 2 s',
      '\r\u001b[2K… icvpn update 3 s',
      '\r\u001b[2K… icvpn update 4 s',
      '\r\u001b[2K',
    ]);
  });
});
