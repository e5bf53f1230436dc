import { DAY } from "../../src/api";

export { DAY };
/** TokenSPICE's calendar (util/constants.py): a month is 30 days, a year 365. */
export const MONTH = 30 * DAY;
export const YEAR = 365 * DAY;

/**
 * One tick is 5 days: a month is exactly 6 ticks and a year exactly 73, so monthly and annual
 * windows over the tick history are exact, and ten years run in seconds. (TokenSPICE stepped
 * wsloop daily and logged every 10 days.)
 */
export const STEP_SECONDS = 5 * DAY;
export const TICKS_PER_MONTH = MONTH / STEP_SECONDS;
export const TICKS_PER_YEAR = YEAR / STEP_SECONDS;
