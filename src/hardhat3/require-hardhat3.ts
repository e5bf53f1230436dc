import { createRequire } from "module";
import { assertHardhatEntry } from "../runtime/hardhat-entry.js";

// `hardhat-tokenspice/hardhat3` in a Hardhat 2 project: say so before a Hardhat 3 module fails to
// load. ./index.ts imports this first.
assertHardhatEntry(3, installedHardhatVersion());

function installedHardhatVersion(): string | undefined {
  try {
    return (createRequire(import.meta.url)("hardhat/package.json") as { version?: string }).version;
  } catch {
    return undefined;
  }
}
