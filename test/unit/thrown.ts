import type { TokenspiceError } from "../../src/errors";

/**
 * The error `fn` throws, for tests that check a refusal's code and message; fails the test when it
 * throws none. (test/helpers.ts has the async form, but loads Hardhat's testing helpers.)
 */
export function thrownBy(fn: () => unknown): TokenspiceError {
  try {
    fn();
  } catch (error) {
    return error as TokenspiceError;
  }
  throw new Error("expected an error, but none was thrown");
}

/** The error the promise of `fn` rejects with; fails the test when it resolves. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<TokenspiceError> {
  try {
    await fn();
  } catch (error) {
    return error as TokenspiceError;
  }
  throw new Error("expected a rejection, but the promise resolved");
}
