/**
 * Community excludes: repeatable, and each value may be a comma list. (mkbgp's help promised
 * comma lists but compared `alpha,bravo` as one whole file name, which excluded nothing.)
 */
export function parseExcludes(values: readonly string[]): Set<string> {
  return new Set(
    values
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean),
  );
}
