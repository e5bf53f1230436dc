import { TokenspiceError } from "../errors";

/** The package's entry for each Hardhat major version, and how a project adds it. */
const ENTRIES: Record<2 | 3, string> = {
  2: '`import "hardhat-tokenspice"` in hardhat.config.ts (the package root is the Hardhat 2 entry)',
  3: '`import tokenspice from "hardhat-tokenspice/hardhat3"` and `plugins: [tokenspice]` in hardhat.config.ts',
};

/**
 * Refuses an adapter loaded by the other Hardhat: the package root (the Hardhat 2 entry) in a Hardhat 3
 * project, as a netlist importing `"hardhat-tokenspice"` there does, or `hardhat-tokenspice/hardhat3`
 * in a Hardhat 2 one. Without it the load fails deep inside, on a Hardhat module path the other
 * version lacks. `installed` is the project's `hardhat/package.json` version; undefined (unreadable)
 * passes.
 *
 * @throws TokenspiceError HARDHAT_VERSION_MISMATCH naming the installed version, the right entry and `hardhat-tokenspice/api`
 */
export function assertHardhatEntry(entry: 2 | 3, installed: string | undefined): void {
  if (installed === undefined) return;
  const major = Number(installed.split(".")[0]);
  if (major === entry || !(major === 2 || major === 3)) return;
  throw new TokenspiceError(
    "HARDHAT_VERSION_MISMATCH",
    `This project has Hardhat ${installed}, and this is hardhat-tokenspice's Hardhat ${entry} entry. On Hardhat ${major}, add the plugin with ${ENTRIES[major]}, ` +
      `and import the model API (defineNetlist, Agent, param, defineChecks) in netlists from "hardhat-tokenspice/api", which works on both.`,
    { installed, entry: `Hardhat ${entry}` },
  );
}
