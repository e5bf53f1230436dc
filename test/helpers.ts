import path from "path";
import { resetHardhatContext } from "hardhat/plugins-testing";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

declare module "mocha" {
  interface Context {
    hre: HardhatRuntimeEnvironment;
  }
}

export const ROOT = path.resolve(__dirname, "..");
export const fixture = (name: string) => path.join(__dirname, "fixture-projects", name);

/**
 * Loads the Hardhat project at `projectPath` (as `npx hardhat` would from there) into `this.hre`
 * for the enclosing describe, compiling it first; resets Hardhat's context afterwards.
 */
export function useEnvironment(projectPath: string): void {
  let previousCwd: string;
  before("Loading hardhat environment", async function () {
    previousCwd = process.cwd();
    process.chdir(projectPath);
    this.hre = require("hardhat");
    await this.hre.run("compile", { quiet: true });
  });
  after("Resetting hardhat", function () {
    resetHardhatContext();
    process.chdir(previousCwd);
  });
}

/** Runs `fn` and returns the error it throws (fails the test if it does not throw). */
export async function errorOf(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, but none was thrown");
}

/** Silences console.log around each test of the enclosing describe (check() prints the seed it chose). */
export function quietConsoleLog(): void {
  let original: typeof console.log;
  beforeEach(() => {
    original = console.log;
    console.log = () => undefined;
  });
  afterEach(() => {
    console.log = original;
  });
}
