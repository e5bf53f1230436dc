import type { NetworkHooks } from "hardhat/types/hooks";
import type { NetworkConnection } from "hardhat/types/network";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { defineLazyTokenspice } from "../lazy.js";
import { TokenspiceError } from "../../errors.js";
import type { Chain3 } from "../sim-network.js";

/**
 * `connection.tokenspice` on every new network connection (as hardhat-ethers adds `ethers`): runs
 * on that connection's own chain, with its settings as they are (the node's block-time behaviour is
 * probed), where `hre.tokenspice` uses a chain of the plugin's own with fixed settings.
 */
export default async (): Promise<Partial<NetworkHooks>> => ({
  async newConnection(context, next) {
    const connection = await next(context);
    const hre = context as unknown as HardhatRuntimeEnvironment;
    defineLazyTokenspice(connection, hre, async (fork) => {
      if (fork !== undefined) throw new TokenspiceError("OPTION_INVALID", `${fork.setting} forks hre.tokenspice's own chain, not a connection's: use hre.tokenspice.`, {});
      return connectionChain(connection);
    });
    return connection;
  },
});

/** A connection as a chain: its provider and the facts of its network. */
async function connectionChain(connection: NetworkConnection<string>): Promise<Chain3> {
  const { simNetworkFacts3 } = await import("../sim-network.js");
  const config = connection.networkConfig;
  const chainId = Number(await connection.provider.request({ method: "eth_chainId" }));
  const facts = config.type === "edr-simulated" ? { ...(await simNetworkFacts3(connection.networkName, config)), blockTime: undefined } : { name: connection.networkName, chainId };
  return { provider: connection.provider, facts: { ...facts, chainId }, connection };
}
