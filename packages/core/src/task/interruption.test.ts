import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../errors/errors.js';
import { Interruption } from './interruption.js';

const counts = () => ['SIGHUP', 'SIGINT', 'SIGTERM'].map((name) => process.listenerCount(name));

describe('Interruption', () => {
  it('the first signal aborts the run with its exit code; a second one changes nothing; dispose lets go', async () => {
    const before = counts();
    const interruption = new Interruption();
    expect(counts()).toEqual(before.map((n) => n + 1));
    expect(interruption.signal.aborted).toBe(false);
    process.emit('SIGINT');
    process.emit('SIGTERM');
    const error = await interruption.interrupted.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect([(error as InterruptedError).signal, (error as InterruptedError).exitCode]).toEqual([
      'SIGINT',
      130,
    ]);
    expect(interruption.signal.reason).toBe(error);
    interruption.dispose();
    expect(counts()).toEqual(before);
  });

  it('each signal is its own: SIGHUP is 129', async () => {
    const interruption = new Interruption();
    try {
      process.emit('SIGHUP');
      expect(((await interruption.interrupted.catch((e: unknown) => e)) as InterruptedError).exitCode).toBe(
        129,
      );
    } finally {
      interruption.dispose();
    }
  });

  it('a command that stops itself on signals catches none', async () => {
    const before = counts();
    const interruption = new Interruption(false);
    expect(counts()).toEqual(before);
    const settled = await Promise.race([
      interruption.interrupted.then(
        () => 'resolved',
        () => 'rejected',
      ),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 20)),
    ]);
    expect([settled, interruption.signal.aborted]).toEqual(['pending', false]);
    interruption.dispose();
  });
});
