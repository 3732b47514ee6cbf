import { describe, expect, it } from 'vitest';
import { type ManCommand, manPages, roffEscape } from './man-pages.js';

const ctx = {
  bin: 'photon',
  version: '1.2.3',
  description: 'Gateway tasks.',
  topics: { fastd: 'fastd things' },
  render: (text: string, command: ManCommand) =>
    text
      .replaceAll('<%= config.bin %>', 'photon')
      .replaceAll('<%= command.id %>', command.id.replace(':', ' ')),
};

const limit: ManCommand = {
  id: 'fastd:limit',
  summary: 'Set the peer limit.',
  description: 'Counts peers.\n\n.dots and \\backslashes stay text.',
  examples: [
    '<%= config.bin %> fastd limit --dry-run',
    'Two steps\n$ <%= config.bin %> fastd limit\n<%= config.bin %> fastd status',
    'sudo <%= config.bin %> fastd limit',
    { command: '<%= config.bin %> <%= command.id %> -n', description: 'Preview only' },
  ],
  flags: {
    'dry-run': { name: 'dry-run', char: 'n', type: 'boolean', summary: 'Change nothing.' },
    instance: {
      name: 'instance',
      type: 'option',
      summary: 'Which instance.',
      options: ['a', 'b'],
      default: 'a',
    },
    secret: { name: 'secret', type: 'boolean', hidden: true },
  },
  args: { peer: { name: 'peer', description: 'A peer key.', required: true } },
};

describe('manPages', () => {
  const pages = manPages(
    [
      limit,
      { id: 'doctor', summary: 'Check.', flags: {}, args: {} },
      { id: 'x', hidden: true, flags: {}, args: {} },
    ],
    ctx,
  );
  const page = (file: string) => pages.find((p) => p.file === file)?.text ?? '';

  it('writes photon.1 and one page per visible command', () => {
    expect(pages.map((p) => p.file)).toEqual(['photon.1', 'photon-doctor.1', 'photon-fastd-limit.1']);
  });

  it("renders a command's name, synopsis, arguments, visible flags and examples", () => {
    const text = page('photon-fastd-limit.1');
    expect(text).toMatch(/^\.TH PHOTON\\-FASTD\\-LIMIT 1 "" "photon 1\.2\.3"/);
    expect(text).toContain('.SH NAME\nphoton\\-fastd\\-limit \\- Set the peer limit.\n');
    expect(text).toContain('.B photon fastd limit\n\\fIPEER\\fR [\\fIFLAGS\\fR]');
    expect(text).toContain('\\fB\\-n\\fR, \\fB\\-\\-dry\\-run\\fR\nChange nothing.');
    expect(text).toContain(
      '\\fB\\-\\-instance\\fR \\fIINSTANCE\\fR\nWhich instance.\n.IP\nOne of: a, b. Default: a.',
    );
    expect(text).not.toContain('secret');
    expect(text).toContain('.nf\n$ photon fastd limit \\-\\-dry\\-run\n.fi');
    expect(text).toContain('Preview only\n.RS 4\n.nf\n$ photon fastd limit \\-n\n.fi');
    expect(text).toContain('Two steps\n.RS 4\n.nf\n$ photon fastd limit\n$ photon fastd status\n.fi');
    expect(text).toContain('.PP\n.RS 4\n.nf\nsudo photon fastd limit\n.fi');
  });

  it('keeps text that looks like roff requests as text', () => {
    expect(page('photon-fastd-limit.1')).toContain('\n\\&.dots and \\ebackslashes stay text.');
    expect(roffEscape("'quoted\n.request")).toBe("\\&'quoted\n\\&.request");
    expect(roffEscape('a — b → 😀')).toBe('a \\[u2014] b \\[u2192] \\[u1F600]');
  });

  it('lists every command under its topic in photon.1', () => {
    const text = page('photon.1');
    expect(text).toContain('.SS fastd\nfastd things\n.TP\n.B photon fastd limit\nSet the peer limit.');
    expect(text).toContain('.BR photon\\-fastd\\-limit (1)');
    expect(text).not.toMatch(/photon x\b/);
  });
});
