import { assertHardhatEntry } from "../runtime/hardhat-entry";

// The package root is the Hardhat 2 entry: in a Hardhat 3 project (a netlist importing
// "hardhat-tokenspice" instead of "hardhat-tokenspice/api"), say so before a Hardhat 2 module fails to load.
// src/index.ts imports this first.
assertHardhatEntry(2, installedHardhatVersion());

function installedHardhatVersion(): string | undefined {
  try {
    return (require("hardhat/package.json") as { version?: string }).version;
  } catch {
    return undefined;
  }
}
