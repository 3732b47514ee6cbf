import { appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A stand-in for the alfred client program (`alfred -u SOCK -r|-s TYPE`) for unit tests that
 * need no daemon: `-r` prints `<dir>/<socket name>.<type>` (missing: nothing), `-s` stores stdin
 * in `<dir>/<socket name>.<type>.pushed`. `<dir>/<socket name>.<type>.fail` makes that call fail:
 * its first line is the exit code, the rest goes to stderr. `<dir>/delay` (seconds) slows every
 * call. Each call's arguments are appended to `<dir>/calls`.
 */
export class FakeAlfred {
  readonly command: string[];

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const script = path.join(dir, 'alfred');
    writeFileSync(
      script,
      `#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/calls"
[ -f "$dir/delay" ] && sleep "$(cat "$dir/delay")"
[ "$1" = -u ] || exit 2
file="$dir/$(basename "$2").$4"
if [ -f "$file.fail" ]; then
  tail -n +2 "$file.fail" >&2
  exit "$(head -n 1 "$file.fail")"
fi
case $3 in
  -r) [ -f "$file" ] && cat "$file"; exit 0 ;;
  -s) cat > "$file.pushed" ;;
  *) exit 2 ;;
esac
`,
    );
    chmodSync(script, 0o755);
    this.command = [script];
  }

  /** What `-r TYPE` on `socket` prints. */
  serve(socket: string, type: number, output: string | Buffer): void {
    writeFileSync(this.file(socket, type), output);
  }

  /** Makes every call for `socket`/`type` exit with `code`, writing `stderr`. */
  fail(socket: string, type: number, code: number, stderr = ''): void {
    writeFileSync(`${this.file(socket, type)}.fail`, `${code}\n${stderr}`);
  }

  /** Every call after this one sleeps `seconds` first. */
  delay(seconds: number): void {
    writeFileSync(path.join(this.dir, 'delay'), String(seconds));
  }

  /** What was pushed as `type` to `socket`, or undefined. */
  pushed(socket: string, type: number): Buffer | undefined {
    try {
      return readFileSync(`${this.file(socket, type)}.pushed`);
    } catch {
      return undefined;
    }
  }

  /** The argument lists of every call so far, in order. */
  calls(): string[] {
    try {
      return readFileSync(path.join(this.dir, 'calls'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  private file(socket: string, type: number): string {
    return path.join(this.dir, `${path.basename(socket)}.${type}`);
  }
}

/** Creates the task path `socket` (an empty file: the fake never connects) inside `root`. */
export function touchSocket(root: string, socket: string): void {
  mkdirSync(path.dirname(path.join(root, socket)), { recursive: true });
  appendFileSync(path.join(root, socket), '');
}
