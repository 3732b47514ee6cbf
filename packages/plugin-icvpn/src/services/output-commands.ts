import type { OutputSpec } from '../settings.js';

/** What checks an output's candidate file and what is told after it was installed. */
export interface OutputCommands {
  validate?: string[];
  reload?: string[];
}

const BIRD_VALIDATE = { ipv4: ['bird', '-p', '-c', '{config}'], ipv6: ['bird6', '-p', '-c', '{config}'] };
const BIRD_RELOAD = { ipv4: ['birdc', 'configure'], ipv6: ['birdc6', 'configure'] };

const DNS_COMMANDS: Record<Extract<OutputSpec, { kind: 'dns' }>['format'], OutputCommands> = {
  bind: { validate: ['named-checkconf', '{file}'], reload: ['rndc', 'reload'] },
  'bind-forward': { validate: ['named-checkconf', '{file}'], reload: ['rndc', 'reload'] },
  unbound: { validate: ['unbound-checkconf', '{file}'], reload: ['unbound-control', 'reload'] },
  dnsmasq: { validate: ['dnsmasq', '--test', '--conf-file={file}'] },
  pdns: {},
};

/**
 * The kind's own commands (used where `validate`/`reload` are not configured): bird 1 has a
 * daemon per family, bird 2 one for both; quagga and pdns have no checker photon runs.
 */
function defaultOutputCommands(spec: OutputSpec): OutputCommands {
  switch (spec.kind) {
    case 'bgp':
    case 'roa': {
      if (spec.format === 'quagga') return {};
      const family = spec.format === 'bird2' ? 'ipv4' : spec.family;
      return { validate: BIRD_VALIDATE[family], reload: BIRD_RELOAD[family] };
    }
    case 'dns':
      return DNS_COMMANDS[spec.format];
    case 'tinc':
      return { reload: ['tincd', '-n', '{network}', '-kHUP'] };
  }
}

/** The commands an output runs: configured ones win, `false` turns a step off. */
export function outputCommands(spec: OutputSpec): OutputCommands {
  const defaults = defaultOutputCommands(spec);
  return {
    validate: spec.validate === false ? undefined : (spec.validate ?? defaults.validate),
    reload: spec.reload === false ? undefined : (spec.reload ?? defaults.reload),
  };
}
