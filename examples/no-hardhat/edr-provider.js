// An EIP-1193 provider on EDR (@nomicfoundation/edr, the in-process EVM Hardhat runs on), made
// without Hardhat: an in-memory chain with automine, failing transactions throwing and blocks of
// equal timestamps allowed (what the engine needs), starting on 2020-01-01 like the plugin's own
// simulation chain. EDR's configuration changes between its versions: this is EDR 0.12's (Hardhat
// 2.28's); see hardhat/internal/hardhat-network/provider/provider.js for the version you have.
"use strict";
const edr = require("@nomicfoundation/edr");

let context; // EDR wants one context per process
async function edrContext() {
  if (context === undefined) {
    context = new edr.EdrContext();
    await context.registerProviderFactory(edr.GENERIC_CHAIN_TYPE, edr.genericChainProviderFactory());
  }
  return context;
}

/** An EIP-1193 provider ({ request({ method, params }) }) on a fresh EDR chain. */
async function createEdrProvider({ chainId = 31337, hardfork = edr.PRAGUE, genesis = new Date("2020-01-01T00:00:00Z") } = {}) {
  const config = {
    allowBlocksWithSameTimestamp: true,
    allowUnlimitedContractSize: false,
    bailOnCallFailure: false,
    bailOnTransactionFailure: true,
    blockGasLimit: 30_000_000n,
    chainId: BigInt(chainId),
    coinbase: Buffer.from("c014ba5ec014ba5ec014ba5ec014ba5ec014ba5e", "hex"),
    precompileOverrides: [],
    genesisState: edr.l1GenesisState(edr.l1HardforkFromString(hardfork)),
    hardfork,
    initialDate: BigInt(Math.floor(genesis.getTime() / 1000)),
    minGasPrice: 0n,
    mining: { autoMine: true, memPool: { order: edr.MineOrdering.Priority } },
    networkId: BigInt(chainId),
    observability: {},
    ownedAccounts: [],
  };
  const logger = { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} };
  const provider = await (await edrContext()).createProvider(edr.GENERIC_CHAIN_TYPE, config, logger, { subscriptionCallback: () => {} }, edr.ContractDecoder.withContracts({}));
  let id = 0;
  return {
    async request({ method, params = [] }) {
      const response = await provider.handleRequest(JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }));
      const body = typeof response.data === "string" ? JSON.parse(response.data) : response.data;
      if (body.error !== undefined) {
        const error = new Error(body.error.message);
        error.code = body.error.code;
        error.data = body.error.data;
        throw error;
      }
      return body.result;
    },
  };
}

module.exports = { createEdrProvider };
