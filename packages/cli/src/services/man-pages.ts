/**
 * Man pages (roff, man macros) for photon and each of its commands, from what oclif knows of
 * them: summary, description, arguments, flags and examples. scripts/man-pages.mjs writes them
 * at build into packages/cli/man, which the package.json "man" field installs.
 */

export interface ManFlag {
  name: string;
  char?: string;
  type: 'boolean' | 'option';
  summary?: string;
  description?: string;
  helpValue?: string | string[];
  options?: readonly string[];
  default?: unknown;
  multiple?: boolean;
  required?: boolean;
  hidden?: boolean;
  allowNo?: boolean;
}

export interface ManArg {
  name: string;
  description?: string;
  required?: boolean;
  options?: readonly string[];
}

export interface ManCommand {
  id: string;
  hidden?: boolean;
  summary?: string;
  description?: string;
  examples?: Array<string | { command: string; description?: string }>;
  flags: Record<string, ManFlag>;
  args: Record<string, ManArg>;
}

export interface ManPage {
  /** File name: `photon.1`, `photon-fastd-limit.1`. */
  file: string;
  text: string;
}

export interface ManContext {
  bin: string;
  version: string;
  description: string;
  /** Topic name (`fastd`) to its one-line description. */
  topics: Record<string, string>;
  /** Renders a help text's templates (`<%= config.bin %>`) as oclif's help does, for this command. */
  render: (text: string, command: ManCommand) => string;
}

/**
 * Escapes text for roff: backslashes, ASCII hyphens (option dashes), control characters at a
 * line's start, and non-ASCII characters (as `\[u2014]`: troff reads its input as Latin-1).
 */
export function roffEscape(text: string): string {
  return text
    .replaceAll('\\', '\\e')
    .replaceAll('-', '\\-')
    .replaceAll(
      /[^\x00-\x7f]/gu,
      (c) => `\\[u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`,
    )
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

/** Paragraphs of free text, filled by roff: blank lines start a new one (`.IP` keeps a list entry's indent). */
function paragraphs(text: string, separator = '.PP'): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => roffEscape(p.trim()))
    .join(`\n${separator}\n`);
}

/** `photon fastd limit` → `photon-fastd-limit.1`. */
export function pageName(bin: string, commandId: string): string {
  return `${[bin, ...commandId.split(':')].join('-')}.1`;
}

function header(name: string, ctx: ManContext): string {
  return `.TH ${roffEscape(name.toUpperCase())} 1 "" "${roffEscape(`${ctx.bin} ${ctx.version}`)}" "photon manual"\n`;
}

function flagTerm(flag: ManFlag): string {
  const long = flag.allowNo ? `--[no-]${flag.name}` : `--${flag.name}`;
  const names = flag.char ? `\\fB-${flag.char}\\fR, \\fB${long}\\fR` : `\\fB${long}\\fR`;
  if (flag.type === 'boolean') return names.replaceAll('-', '\\-');
  const value = Array.isArray(flag.helpValue)
    ? flag.helpValue.join(' ')
    : (flag.helpValue ?? flag.name.toUpperCase().replaceAll('-', '_'));
  return `${names.replaceAll('-', '\\-')} \\fI${roffEscape(value)}\\fR`;
}

function flagBody(flag: ManFlag): string {
  const parts = [flag.summary, flag.description].filter((t): t is string => Boolean(t?.trim()));
  const notes: string[] = [];
  if (flag.options?.length) notes.push(`One of: ${flag.options.join(', ')}.`);
  if (flag.default !== undefined && flag.type === 'option' && typeof flag.default !== 'function')
    notes.push(`Default: ${String(flag.default)}.`);
  if (flag.multiple) notes.push('May be given more than once.');
  if (flag.required) notes.push('Required.');
  return paragraphs([...parts, notes.join(' ')].filter(Boolean).join('\n\n') || '(no description)', '.IP');
}

/**
 * The EXAMPLES section, laid out as oclif's help lays it out: a string example is either one
 * description line followed by command lines, or lines shown as written; a command line (it
 * starts with the binary's name) gets a `$ `.
 */
function examples(command: ManCommand, ctx: ManContext): string {
  const isCommand = (line: string) => line.startsWith(`${ctx.bin} `) || line.startsWith(`$ ${ctx.bin}`);
  const asCommand = (line: string) => (line.startsWith(`${ctx.bin} `) ? `$ ${line}` : line);
  return (command.examples ?? [])
    .map((example) => {
      let intro = '';
      let lines: string[];
      if (typeof example === 'string') {
        lines = ctx.render(example, command).split('\n');
        if (lines.length >= 2 && !isCommand(lines[0]) && lines.slice(1).every(isCommand)) {
          intro = lines[0];
          lines = lines.slice(1);
        }
      } else {
        intro = example.description ? ctx.render(example.description, command) : '';
        lines = [ctx.render(example.command, command)];
      }
      // Not filled: an example is copied as written.
      const block = roffEscape(lines.map(asCommand).join('\n'));
      return `.PP\n${intro ? `${paragraphs(intro)}\n` : ''}.RS 4\n.nf\n${block}\n.fi\n.RE\n`;
    })
    .join('');
}

/** The page of one command. */
export function commandPage(command: ManCommand, ctx: ManContext): ManPage {
  const words = command.id.split(':');
  const typed = [ctx.bin, ...words].join(' ');
  const file = pageName(ctx.bin, command.id);
  const summary = ctx.render(command.summary ?? command.description?.split('\n')[0] ?? '', command);
  const description = command.description ? ctx.render(command.description, command) : '';
  const args = Object.values(command.args ?? {});
  const flags = Object.values(command.flags).filter((f) => !f.hidden);
  const synopsisArgs = args.map((a) =>
    a.required ? `\\fI${a.name.toUpperCase()}\\fR` : `[\\fI${a.name.toUpperCase()}\\fR]`,
  );

  let text = header(file.replace(/\.1$/, ''), ctx);
  text += `.SH NAME\n${roffEscape(file.replace(/\.1$/, ''))} \\- ${roffEscape(summary)}\n`;
  text += `.SH SYNOPSIS\n.B ${roffEscape(typed)}\n${[...synopsisArgs, flags.length ? '[\\fIFLAGS\\fR]' : '']
    .filter(Boolean)
    .join(' ')}\n`;
  text += `.SH DESCRIPTION\n${paragraphs(description && description !== summary ? `${summary}\n\n${description}` : summary)}\n`;
  if (args.length > 0) {
    text += '.SH ARGUMENTS\n';
    for (const a of args) {
      const options = a.options?.length ? ` One of: ${a.options.join(', ')}.` : '';
      text += `.TP\n\\fI${roffEscape(a.name.toUpperCase())}\\fR\n${paragraphs(`${a.description ?? ''}${options}` || '(no description)', '.IP')}\n`;
    }
  }
  if (flags.length > 0) {
    text += '.SH OPTIONS\n';
    for (const f of flags.sort((a, b) => a.name.localeCompare(b.name)))
      text += `.TP\n${flagTerm(f)}\n${flagBody(f)}\n`;
  }
  const exampleText = examples(command, ctx);
  if (exampleText) text += `.SH EXAMPLES\n${exampleText}`;
  text += `.SH SEE ALSO\n.BR ${ctx.bin} (1)\n`;
  return { file, text };
}

/** `photon.1`: what photon is and every command, grouped by topic. */
export function mainPage(commands: ManCommand[], ctx: ManContext): ManPage {
  const byTopic = new Map<string, ManCommand[]>();
  for (const c of commands) {
    const topic = c.id.includes(':') ? c.id.split(':')[0] : '';
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), c]);
  }
  let text = header(ctx.bin, ctx);
  text += `.SH NAME\n${roffEscape(ctx.bin)} \\- ${roffEscape(ctx.description)}\n`;
  text += `.SH SYNOPSIS\n.B ${roffEscape(ctx.bin)}\n\\fICOMMAND\\fR [\\fIARGUMENTS\\fR] [\\fIFLAGS\\fR]\n`;
  text += `.SH DESCRIPTION\n${paragraphs(ctx.description)}\n.PP\nEach command has its own page, named after the words typed: ${roffEscape(`${ctx.bin} fastd limit`)} is described in\n.BR ${roffEscape(`${ctx.bin}-fastd-limit`)} (1).\n`;
  text += '.SH COMMANDS\n';
  for (const topic of [...byTopic.keys()].sort()) {
    if (topic)
      text += `.SS ${roffEscape(topic)}\n${ctx.topics[topic] ? `${paragraphs(ctx.topics[topic])}\n` : ''}`;
    for (const c of byTopic.get(topic) ?? []) {
      const summary = ctx.render(c.summary ?? c.description?.split('\n')[0] ?? '', c);
      text += `.TP\n.B ${roffEscape([ctx.bin, ...c.id.split(':')].join(' '))}\n${roffEscape(summary)}\n`;
    }
  }
  const seeAlso = commands.map((c) => `.BR ${roffEscape(pageName(ctx.bin, c.id).replace(/\.1$/, ''))} (1)`);
  text += `.SH SEE ALSO\n${seeAlso.join(' ,\n')}\n`;
  return { file: `${ctx.bin}.1`, text };
}

/** photon.1 and one page per visible command, sorted by file name. */
export function manPages(commands: ManCommand[], ctx: ManContext): ManPage[] {
  const visible = commands.filter((c) => !c.hidden).sort((a, b) => a.id.localeCompare(b.id));
  return [mainPage(visible, ctx), ...visible.map((c) => commandPage(c, ctx))];
}
