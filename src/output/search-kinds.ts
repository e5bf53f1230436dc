/**
 * The design-loop search kinds, in one list: the name each is recorded under in the search file
 * (`kind`), its folder's default name (`<UTC time>-<kind><seed>`) and its task (`sim-<kind>`).
 * The search file's reader (./formats/search-file.ts) checks `kind` against it, so it lives with the
 * formats; a kind added here needs its method in `SEARCH_METHODS` (src/search/registry.ts: the
 * compiler says so), and nothing else in the core. CONTRIBUTING.md, "Add a search method".
 */
export const SEARCH_KINDS = ["verify", "worst-case", "corners", "optimize", "sensitivity", "compare", "calibrate"] as const;

/** One design-loop search kind: `"verify" | "worst-case" | "corners" | "optimize" | "compare"`. */
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** True when `value` names a search kind of `SEARCH_KINDS`. */
export function isSearchKind(value: unknown): value is SearchKind {
  return typeof value === "string" && (SEARCH_KINDS as readonly string[]).includes(value);
}

/** The task that runs a kind from the command line: `sim-verify`, `sim-worst-case`, `sim-corners`, `sim-optimize`, `sim-compare`. */
export function searchTaskName(kind: SearchKind): `sim-${SearchKind}` {
  return `sim-${kind}`;
}
