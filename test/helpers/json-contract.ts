import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { repoRoot } from './photon.js';

// The --json contract (docs/json-output.md): what a command prints with --json validates against
// its committed schema, schemas/commands/<topic>-<verb>.json (scripts/json-schemas.mjs writes them).

export const schemaDir = path.join(repoRoot, 'schemas/commands');

/** The schema file of a command as typed ("fastd status" → schemas/commands/fastd-status.json). */
export const schemaFile = (command: string): string =>
  path.join(schemaDir, `${command.replaceAll(' ', '-')}.json`);

// Strict: a keyword ajv does not know is an error, not ignored. Dates print as toISOString().
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const validators = new Map<string, ValidateFunction>();

export function validatorOf(command: string): ValidateFunction {
  let validate = validators.get(command);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(schemaFile(command), 'utf8')));
    validators.set(command, validate);
  }
  return validate;
}

/** What is wrong with a command's --json stdout: one line per violation, none when it conforms. */
export function contractViolations(command: string, stdout: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return [`${command}: stdout is not one JSON document: ${stdout.slice(0, 200)}`];
  }
  const validate = validatorOf(command);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) => `${command}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
  );
}
