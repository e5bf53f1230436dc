import { TokenspiceError } from "./errors";

/**
 * An option that was renamed (issue 16's naming pass: `replicates` for runs per point, `searchSeed`
 * for a search's own seed): its value under the new name or, when only the old one is given, under
 * the old one (still accepted, typed `@deprecated`); with the name given, so a message about the
 * value names what the caller wrote.
 *
 * @param what the option's owner, for the message (`"worstCase"`, `"campaign"`)
 * @throws TokenspiceError OPTION_INVALID when both names are given
 */
export function renamedOption<T>(what: string, options: object, name: string, old: string): { value: T | undefined; name: string } {
  const values = options as Record<string, T | undefined>;
  const now = values[name];
  const before = values[old];
  if (before === undefined) return { value: now, name };
  if (now !== undefined) {
    throw new TokenspiceError("OPTION_INVALID", `${what}: ${old} is the old name of ${name}: give ${name} only.`, { [name]: String(now), [old]: String(before) });
  }
  return { value: before, name: old };
}
