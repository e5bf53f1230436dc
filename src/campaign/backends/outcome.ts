import { ERROR_CODES, messageOf, type ErrorCode, type ErrorKind } from "../../errors";
import { scrubSecrets } from "../../output/secrets";
import type { RunOutcome } from "../types";

/**
 * What the campaign needs to know about an error a run ended with, read structurally: the plugin's
 * errors reach a backend either as a `TokenspiceError` (the framework-free layers) or as the Hardhat
 * adapter's `TokenspicePluginError` (`hre.tokenspice.runSpec`), and the campaign layer imports
 * nothing from Hardhat. Both carry a `code` from ERROR_CODES, whose kind says what the error means.
 */
export interface ErrorInfo {
  code: ErrorCode;
  kind: ErrorKind;
  message: string;
  details: Record<string, unknown>;
}

/** The code, kind, message and details of one of the plugin's errors; undefined for anything else. */
export function pluginErrorInfo(error: unknown): ErrorInfo | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, details } = error as { code?: unknown; details?: unknown };
  if (typeof code !== "string" || !Object.prototype.hasOwnProperty.call(ERROR_CODES, code)) return undefined;
  return {
    code: code as ErrorCode,
    kind: ERROR_CODES[code as ErrorCode].kind,
    message: messageOf(error),
    details: typeof details === "object" && details !== null ? (details as Record<string, unknown>) : {},
  };
}

/**
 * The outcome of a run that ended with `error`, when the error is the run's own failure (an agent,
 * KPI or setup threw, timed out or hung; chain time drifted): a failed run is data. Undefined for
 * bad input, infrastructure and anything that is not the plugin's: those stop the campaign.
 */
export function failedOutcome(key: string, error: unknown, attempts: number): RunOutcome | undefined {
  const info = pluginErrorInfo(error);
  if (info === undefined || info.kind !== "failure") return undefined;
  return { key, status: "failed", error: { code: info.code, message: scrubSecrets(info.message) }, attempts };
}
