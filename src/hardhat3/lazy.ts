import { createRequire } from "module";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { ForkRequest } from "../fork/options.js";
import type { Chain3 } from "./sim-network.js";
import type { Tokenspice3 } from "./tokenspice.js";

const load = createRequire(import.meta.url);

/**
 * Defines `target.tokenspice`, made on first access. The runtime object and the core behind it take
 * ~0.6 s to load (measured on the shared 2-core machine), so they are loaded then (synchronously:
 * require of an ES module, Node >= 22.12), not on every Hardhat command.
 */
export function defineLazyTokenspice(target: object, hre: HardhatRuntimeEnvironment, openChain: (fork?: ForkRequest) => Promise<Chain3>): void {
  let tokenspice: Tokenspice3 | undefined;
  Object.defineProperty(target, "tokenspice", {
    configurable: true,
    enumerable: true,
    get: () => {
      if (tokenspice === undefined) {
        const { Tokenspice3: Runtime } = load("./tokenspice.js") as typeof import("./tokenspice.js");
        tokenspice = new Runtime(hre, openChain);
      }
      return tokenspice;
    },
  });
}
