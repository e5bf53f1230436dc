/**
 * The fixed settings of the plugin's own simulation chain, the same on every adapter
 * (src/hardhat/sim-network.ts for Hardhat 2, src/hardhat3/sim-network.ts for Hardhat 3): a run
 * depends on them, so they are the plugin's, not the project's network config.
 */

/** Genesis time of the simulation network: fixed, and before any sim's start (2030 by default). */
export const SIM_GENESIS_DATE = new Date("2020-01-01T00:00:00Z");

/**
 * How many blocks' states the simulation network keeps in memory (EDR's `__EDR_MAX_CACHED_STATES`,
 * read once when a provider is created; EDR's default is 100,000). EDR caches the whole state
 * after every block it mines, and with one block per transaction those cached states were about
 * two thirds of a long run's memory (146 → 53 MB per 10,000 plain transfers; 270 → 70 MB on
 * token-flow). A state that is no longer cached is rebuilt from the blocks' state diffs when asked
 * for (an `eth_call` at an old block, an `evm_revert`), so results do not change; runs read the
 * latest state, and the snapshot a run reverts to is rebuilt once.
 * Source: crates/edr_provider/src/data.rs (`get_max_cached_states_from_env`, `get_or_compute_state`),
 * EDR 0.12 as shipped with Hardhat 2.28-2.29; EDR 0.22 (Hardhat 3.18) still reads it (HARDHAT3-NOTES §5).
 */
export const SIM_MAX_CACHED_STATES = 64;
export const EDR_MAX_CACHED_STATES = "__EDR_MAX_CACHED_STATES";

/**
 * Runs `create` with EDR's state cache capped at SIM_MAX_CACHED_STATES (the variable is read when a
 * provider is created), then puts the environment back; a value the user set wins.
 */
export async function withCappedStateCache<T>(create: () => Promise<T>): Promise<T> {
  const userCap = process.env[EDR_MAX_CACHED_STATES];
  if (userCap === undefined) process.env[EDR_MAX_CACHED_STATES] = String(SIM_MAX_CACHED_STATES);
  try {
    return await create();
  } finally {
    if (userCap === undefined) delete process.env[EDR_MAX_CACHED_STATES];
  }
}
