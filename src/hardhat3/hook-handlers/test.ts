import type { TestHooks } from "hardhat/types/hooks";
import { checksFileNetlist } from "../../check/check-files.js";

/**
 * Hardhat 3's `test` asks each runner which files it runs: a netlist's checks file
 * (`<simsDir>/<netlist>.checks.ts`, `<simsDir>/<netlist>/checks.ts`) is the `tokenspice` runner's.
 */
export default async (): Promise<Partial<TestHooks>> => ({
  async registerFileForTestRunner(context, filePath, next) {
    if (checksFileNetlist(context.config.tokenspice.simsDir, filePath) !== undefined) return "tokenspice";
    return next(context, filePath);
  },
});
