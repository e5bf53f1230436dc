import { JsonRpcApiProvider, Network, type JsonRpcError, type JsonRpcPayload, type JsonRpcResult } from "ethers";

/** The EIP-1193 surface the engine needs: Hardhat's `network.provider`, or any dev node's. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
  /**
   * Optional: requests handled in order in one round trip, nothing else in between. Resolves to
   * their results in order, or throws the first failure as `request` would have thrown it (the
   * requests after it are not handled). The plugin's in-process network offers it (EDR takes JSON-RPC
   * batches); the engine then pins a block's timestamp in the same round trip as its transaction.
   */
  requestBatch?(calls: { method: string; params: unknown[] }[]): Promise<unknown[]>;
}

/**
 * An ethers provider that calls the EIP-1193 provider directly. ethers' own BrowserProvider queues
 * each request behind a `setTimeout(0)`, which in Node costs a millisecond a call: more than an
 * in-process transaction. The network is static and request caching is off (a cached `balanceOf`
 * across a transaction would be stale).
 */
export class DirectProvider extends JsonRpcApiProvider {
  constructor(
    readonly eip1193: Eip1193Provider,
    chainId: bigint,
  ) {
    const network = Network.from(chainId);
    super(network, { staticNetwork: network, cacheTimeout: -1, polling: false, batchMaxCount: 1 });
  }

  override async send(method: string, params: unknown[] | Record<string, unknown>): Promise<any> {
    try {
      return await this.eip1193.request({ method, params: params });
    } catch (error) {
      const e = error as { code?: number; message?: string; data?: unknown };
      const payload: JsonRpcPayload = { id: 0, jsonrpc: "2.0", method, params };
      throw this.getRpcError(payload, {
        id: 0,
        error: { code: e.code ?? -32603, message: e.message ?? String(error), data: e.data },
      });
    }
  }

  async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<(JsonRpcResult | JsonRpcError)[]> {
    const payloads = Array.isArray(payload) ? payload : [payload];
    return Promise.all(
      payloads.map(async (p) => {
        try {
          return { id: p.id, result: await this.eip1193.request({ method: p.method, params: p.params as unknown[] }) };
        } catch (error) {
          const e = error as { code?: number; message?: string; data?: unknown };
          return { id: p.id, error: { code: e.code ?? -32603, message: e.message ?? String(error), data: e.data } };
        }
      }),
    );
  }
}
