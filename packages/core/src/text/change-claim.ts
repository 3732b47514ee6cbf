/**
 * Every change a summary claims is worded here, so a dry run never claims one: "wrote" in a real
 * run, "would write" in a dry run. Tests find past-tense claims in dry-run output with
 * `PAST_TENSE_CLAIMS`.
 */
const FORMS = {
  add: ['added', 'added'],
  announce: ['announced', 'announced'],
  change: ['changed', 'changed'],
  commit: ['committed', 'committed'],
  create: ['created', 'created'],
  delete: ['deleted', 'deleted'],
  install: ['installed', 'installed'],
  publish: ['published', 'published'],
  pull: ['pulled', 'pulled'],
  push: ['pushed', 'pushed'],
  reload: ['reloaded', 'reloaded'],
  remove: ['removed', 'removed'],
  restart: ['restarted', 'restarted'],
  send: ['sent', 'sent'],
  signal: ['signalled', 'signalled'],
  update: ['updated', 'updated'],
  write: ['wrote', 'written'],
} as const satisfies Record<string, readonly [past: string, participle: string]>;

export type ChangeVerb = keyof typeof FORMS;

/** `changeClaim('write', false)` → "wrote"; `changeClaim('write', true)` → "would write". */
export function changeClaim(verb: ChangeVerb, dryRun: boolean): string {
  return dryRun ? `would ${verb}` : FORMS[verb][0];
}

/** `changeDone('write', false)` → "written" ("3 written"); in a dry run "would be written". */
export function changeDone(verb: ChangeVerb, dryRun: boolean): string {
  return dryRun ? `would be ${FORMS[verb][1]}` : FORMS[verb][1];
}

/** A past-tense change claim (not "unchanged", not after "would be"): what a dry run must not print. */
export const PAST_TENSE_CLAIMS = new RegExp(
  `(?<![\\w-])(?<!would be )(?<!nothing )(?<!not )(${[...new Set(Object.values(FORMS).flat())].join('|')})\\b`,
  'i',
);
