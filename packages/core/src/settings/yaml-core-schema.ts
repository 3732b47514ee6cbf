/**
 * How a plain YAML scalar resolves under the YAML 1.2 core schema, as the `yaml` package reads it.
 * The quick settings reader and the settings writer must agree with it exactly.
 */
export const CORE_SCALARS = {
  null: /^(?:~|[Nn]ull|NULL)?$/,
  bool: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  int: /^[-+]?[0-9]+$/,
  intOctal: /^0o[0-7]+$/,
  intHex: /^0x[0-9a-fA-F]+$/,
  floatSpecial: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  floatExponent: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  float: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
} as const;
