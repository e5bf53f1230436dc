/**
 * Units of chain time, in seconds (block timestamps are seconds): `time: { stepSeconds: DAY }` is a
 * daily netlist. One definition for the plugin and the example netlists.
 */

/** Seconds in a day: 86,400. */
export const DAY = 86_400;
