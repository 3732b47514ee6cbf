import { CORE_SCALARS } from './yaml-core-schema.js';

/**
 * Writes a settings tree (what JSON can hold) as block-style YAML for people to read, e.g.
 * `photon config show`. A string stays plain only when it reads back as the same string under
 * the YAML 1.2 core schema; anything else is written double-quoted, which for YAML is JSON's
 * string syntax. The `yaml` package's stringify does the same job at several times the start-up
 * cost (it builds a whole document first).
 */
export function formatSettingsYaml(value: unknown): string {
  if (isMapping(value) && Object.keys(value).length > 0) return `${mappingLines(value, '').join('\n')}\n`;
  if (Array.isArray(value) && value.length > 0) return `${sequenceLines(value, '').join('\n')}\n`;
  return `${scalar(value)}\n`;
}

function mappingLines(map: Record<string, unknown>, indent: string): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    const head = `${indent}${text(key)}:`;
    if (isMapping(value) && Object.keys(value).length > 0) {
      lines.push(head, ...mappingLines(value, `${indent}  `));
    } else if (Array.isArray(value) && value.length > 0) {
      lines.push(head, ...sequenceLines(value, `${indent}  `));
    } else {
      lines.push(`${head} ${scalar(value)}`);
    }
  }
  return lines;
}

function sequenceLines(items: unknown[], indent: string): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const nested =
      isMapping(item) && Object.keys(item).length > 0
        ? mappingLines(item, `${indent}  `)
        : Array.isArray(item) && item.length > 0
          ? sequenceLines(item, `${indent}  `)
          : undefined;
    if (!nested) {
      lines.push(`${indent}- ${scalar(item)}`);
      continue;
    }
    // The first line of a nested block shares the dash's line: `- name: a` / `- - x`.
    lines.push(`${indent}- ${nested[0].slice(indent.length + 2)}`, ...nested.slice(1));
  }
  return lines;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return '[]';
  if (isMapping(value)) return '{}';
  return text(String(value));
}

/** Words of safe characters separated by single spaces; no indicator can begin or hide in them. */
const PLAIN = /^[A-Za-z0-9_/.][\w/.@+=%,;()~^$<>-]*(?: [\w/.@+=%,;()~^$<>-]+)*$/;
const NOT_A_STRING = Object.values(CORE_SCALARS);
/** Characters YAML does not allow raw in a stream (JSON.stringify leaves them as they are). */
const NOT_PRINTABLE = /[\x7f-\x9f\ufffe\uffff]/g;

function text(value: string): string {
  if (PLAIN.test(value) && !NOT_A_STRING.some((pattern) => pattern.test(value))) return value;
  return JSON.stringify(value).replace(
    NOT_PRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
