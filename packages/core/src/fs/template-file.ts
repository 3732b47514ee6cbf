import { ConfigError } from '../errors/errors.js';
import type { FileStore } from './file-store.js';

/**
 * Fills a template in Photon's syntax (Python's string.Template): `$name`, `${name}`, `$$` for a
 * literal `$`. A missing field or a stray `$` is a ConfigError naming it (Photon raised a bare
 * KeyError/ValueError).
 */
export function fillTemplate(template: string, fields: Record<string, string | number | boolean>): string {
  return template.replace(
    /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\}|)/g,
    (match, dollar, bare, braced, offset: number) => {
      if (dollar) return '$';
      const name = bare ?? braced;
      if (name === undefined) {
        throw new ConfigError(`template: invalid "$" at offset ${offset} (write "$$" for a literal "$")`);
      }
      if (!Object.hasOwn(fields, name)) throw new ConfigError(`template: no value for "${match}"`);
      return String(fields[name]);
    },
  );
}

export interface TemplateWriteResult {
  path: string;
  /** appended: the text was missing and was added; replaced: the file now holds the text; unchanged: nothing written. */
  action: 'appended' | 'replaced' | 'unchanged';
  backup?: string;
}

/**
 * Writes filled templates the way Photon's Template.write did, through the FileStore (sandboxed,
 * atomic, mode and owner kept, dry-run aware, journaled):
 * - `append` (Photon's default): add the text only when the file does not already contain it,
 *   after a backup; a missing newline before it is added (Photon glued the text on).
 * - `replace`: the file holds exactly the text, with a backup too (Photon kept none).
 * An unchanged file is not rewritten (Photon always rewrote it).
 */
export class TemplateFile {
  constructor(private readonly files: FileStore) {}

  async write(
    path: string,
    text: string,
    { mode = 'append', backup = true }: { mode?: 'append' | 'replace'; backup?: boolean } = {},
  ): Promise<TemplateWriteResult> {
    const current = await this.files.readTextIfExists(path);
    let next = text;
    if (mode === 'append' && current !== undefined) {
      if (current.includes(text)) return { path, action: 'unchanged' };
      next = current + (current === '' || current.endsWith('\n') ? '' : '\n') + text;
    }
    const written = await this.files.writeIfChanged(path, next, { backup: backup && current !== undefined });
    if (!written.changed) return { path, action: 'unchanged' };
    return {
      path,
      action: mode === 'append' && current !== undefined ? 'appended' : 'replaced',
      ...(written.backup ? { backup: written.backup } : {}),
    };
  }
}
