import fs from 'node:fs';

/*
 * Command output and terminal checks without Node's stdio streams. The first use of
 * process.stdout or process.stderr loads the stream machinery (and net, for a pipe): ~4 ms in
 * every run, and most runs (cron jobs) print nothing. On Linux those streams write synchronously
 * to files, pipes and terminals alike, so writing to the descriptor keeps the order of output.
 */

/** Whether `fd` is a terminal. Only a character device can be one; a pipe or file never asks the tty module. */
export function isTerminal(fd: number): boolean {
  try {
    if (!fs.fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

let capture: ((text: string) => void) | undefined;

/**
 * Writes a command's output to stdout. A reader that went away (`photon config show | head -1`)
 * ends the output quietly, as oclif's EPIPE handler did.
 */
export function writeStdout(text: string): void {
  if (capture) capture(text);
  else writeFully(1, Buffer.from(text));
}

/** Sends what commands print to `sink` instead of stdout (in-process tests); `undefined` restores stdout. */
export function captureStdout(sink: ((text: string) => void) | undefined): void {
  capture = sink;
}

/** Writes all of `bytes` to `fd`, waiting out a full non-blocking pipe; a closed reader (EPIPE) ends it quietly. */
export function writeFully(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      // A non-blocking pipe whose reader is slower than us: wait a moment and write the rest.
      if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      else throw error;
    }
  }
}
