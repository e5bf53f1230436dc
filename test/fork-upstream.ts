import fs from "fs";
import path from "path";
import { ACCOUNT_0, LoopbackUpstream, createLoopbackChain } from "../scripts/loopback-chain";

export { LoopbackUpstream, type UpstreamFault } from "../scripts/loopback-chain";

/**
 * The fork tests' "live chain" (scripts/loopback-chain.ts: an in-process Hardhat network over HTTP
 * on loopback, counting requests, with faults and a delay on demand), with history made on it: a
 * Testbed deployed by Hardhat's account #0 at nonce 0, so at 0x5FbDB2315678afecb367f032d93F642f64180aa3,
 * and poked `pokes` times.
 */
export async function startTestbedUpstream(options: { chainId?: number; pokes?: number } = {}): Promise<LoopbackUpstream> {
  const provider = await createLoopbackChain({ chainId: options.chainId });
  const artifact = JSON.parse(fs.readFileSync(path.join(__dirname, "fixture-projects/testbed/artifacts/contracts/Testbed.sol/Testbed.json"), "utf8"));
  const from = ACCOUNT_0.address;
  const limit = (100).toString(16).padStart(64, "0");
  await provider.request({ method: "eth_sendTransaction", params: [{ from, data: artifact.bytecode + limit, gas: "0x" + (3_000_000).toString(16) }] });
  const testbed = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  for (let i = 0; i < (options.pokes ?? 3); i++) await provider.request({ method: "eth_sendTransaction", params: [{ from, to: testbed, data: "0x18178358" /* poke() */ }] });
  return LoopbackUpstream.serve(provider);
}
