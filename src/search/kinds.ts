/**
 * The design-loop search kinds. They live with the search file's format (`src/output/search-kinds.ts`),
 * which both the search layer that writes it and the report that reads it import; re-exported here
 * for the search layer's own modules.
 */
export { SEARCH_KINDS, isSearchKind, searchTaskName, type SearchKind } from "../output/search-kinds";
