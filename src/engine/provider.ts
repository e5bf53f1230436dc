import { JsonRpcApiProvider, Network, getAddress, toQuantity, type JsonRpcError, type JsonRpcPayload, type JsonRpcResult, type TransactionRequest } from "ethers";

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

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX_DATA = /^0x(?:[0-9a-fA-F]{2})*$/;
// What a contract view's request holds (ethers' staticCall: to, data, from when a signer runs it, and any overrides that are all null).
const PLAIN_CALL_KEYS = new Set(["to", "data", "from", "value", "blockTag", "enableCcipRead"]);

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

  /**
   * `eth_call` straight to the node for the plain read a contract view makes (`to`, `data`, maybe
   * `from` and `value`, at "latest"): the same request and the same CALL_EXCEPTION on a revert as
   * ethers' own path, which copies and re-resolves the request three times, re-checksums both
   * addresses and wraps each step in a promise (a fifth of an agent's view in the profile). Any
   * other request (gas, fees, a block tag, a name to resolve, CCIP read) takes ethers' path.
   */
  override async call(tx: TransactionRequest): Promise<string> {
    const plain = this.plainCall(tx);
    if (plain === undefined) return super.call(tx);
    return this.send("eth_call", [plain, "latest"]);
  }

  /** The JSON-RPC transaction ethers would send for a plain read (its key order and lower-case hex), or undefined when the read is not plain. */
  private plainCall(tx: TransactionRequest): Record<string, string> | undefined {
    for (const key in tx) if ((tx as Record<string, unknown>)[key] != null && !PLAIN_CALL_KEYS.has(key)) return undefined;
    if (tx.enableCcipRead) return undefined;
    if (tx.blockTag != null && tx.blockTag !== "latest") return undefined;
    const to = this.lowerAddress(tx.to);
    if (to === undefined || typeof tx.data !== "string" || !HEX_DATA.test(tx.data)) return undefined;
    const rpc: Record<string, string> = {};
    if (tx.value != null) rpc.value = toQuantity(tx.value);
    if (tx.from != null) {
      const from = this.lowerAddress(tx.from);
      if (from === undefined) return undefined;
      rpc.from = from;
    }
    rpc.to = to;
    rpc.data = tx.data.toLowerCase();
    return rpc;
  }

  /** A hex address lower-cased once checked as ethers checks it (a mixed-case one must carry a valid checksum); undefined for anything else (names, Addressables). */
  private lowerAddress(address: unknown): string | undefined {
    if (typeof address !== "string") return undefined;
    let lower = this.checkedAddresses.get(address);
    if (lower === undefined) {
      if (!HEX_ADDRESS.test(address)) return undefined;
      lower = getAddress(address).toLowerCase(); // throws on a bad checksum, as ethers' path does
      if (this.checkedAddresses.size >= 10_000) this.checkedAddresses.clear();
      this.checkedAddresses.set(address, lower);
    }
    return lower;
  }
  private readonly checkedAddresses = new Map<string, string>();

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
