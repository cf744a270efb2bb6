/**
 * Merging the contract's domain groups (argument schemas, access declarations, the backend's
 * handler table) into one table by name. An object spread would let a name declared in two
 * groups silently replace the other; this refuses it when the module loads, at start-up.
 */

/** The intersection of every group's type: all their names, each with its own type. */
export type MergedGroups<T extends readonly object[]> = T extends readonly [
  infer Head,
  ...infer Rest extends readonly object[],
]
  ? Head & MergedGroups<Rest>
  : unknown;

/** One table of every group's entries; throws naming the first name two groups both declare. */
export function mergeNamedGroups<T extends readonly object[]>(what: string, ...groups: T): MergedGroups<T> {
  const merged: Record<string, unknown> = {};
  for (const group of groups) {
    for (const [name, entry] of Object.entries(group)) {
      if (Object.hasOwn(merged, name)) throw new Error(`${what}: "${name}" is declared twice.`);
      merged[name] = entry;
    }
  }
  return merged as MergedGroups<T>;
}
