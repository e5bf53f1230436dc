import { expect } from "chai";
import { AbstractProvider, Interface } from "ethers";
import { DirectProvider, type Eip1193Provider } from "../../src/engine/provider";
import { rejectionOf } from "./thrown";

/** The error a promise rejects with (rejectionOf), with every field readable. */
const failureOf = async (p: Promise<unknown>): Promise<any> => rejectionOf(() => p);

const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const holder = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const iface = new Interface(["function balanceOf(address) view returns (uint256)", "error Broke(uint256 owed)"]);
const data = iface.encodeFunctionData("balanceOf", [holder]);
const revertData = iface.encodeErrorResult("Broke", [7n]);

/** A node that records each request and answers eth_call with `answer`. */
function node(answer: () => unknown): { eip1193: Eip1193Provider; requests: { method: string; params: unknown }[] } {
  const requests: { method: string; params: unknown }[] = [];
  return {
    requests,
    eip1193: {
      async request({ method, params }) {
        requests.push({ method, params });
        if (method === "eth_chainId") return "0x7a69";
        if (method === "eth_call") return answer();
        throw new Error(`unexpected ${method}`);
      },
    },
  };
}

/** ethers' own path for the same read (what DirectProvider.call replaces). */
const ethersCall = (p: DirectProvider, tx: Parameters<DirectProvider["call"]>[0]) => AbstractProvider.prototype.call.call(p, tx);

describe("DirectProvider.call: a plain read straight to eth_call", function () {
  it("sends the request ethers would have sent, and returns what it returns", async function () {
    const { eip1193, requests } = node(() => "0x" + "00".repeat(31) + "2a");
    const p = new DirectProvider(eip1193, 31337n);
    for (const tx of [
      { to: token, data },
      { to: token.toLowerCase(), data, from: holder },
      { to: token, data, from: holder, value: 5n },
    ]) {
      const fast = await p.call(tx);
      const slow = await ethersCall(p, tx);
      expect(fast).to.equal(slow);
      const [a, b] = requests.splice(-2);
      expect(a).to.deep.equal(b);
      expect(JSON.stringify(a)).to.equal(JSON.stringify(b)); // key order too
    }
  });

  it("throws ethers' CALL_EXCEPTION for a revert: same code, data, transaction and reason", async function () {
    const { eip1193 } = node(() => {
      throw Object.assign(new Error("execution reverted"), { code: 3, data: revertData });
    });
    const p = new DirectProvider(eip1193, 31337n);
    const tx = { to: token, data, from: holder };
    const fast = await failureOf(p.call(tx));
    const slow = await failureOf(ethersCall(p, tx));
    expect(fast.code).to.equal("CALL_EXCEPTION");
    for (const key of ["code", "data", "reason", "shortMessage"]) expect(fast[key], key).to.deep.equal(slow[key]);
    expect(fast.transaction).to.deep.equal(slow.transaction);
  });

  it("refuses a mis-checksummed address as ethers does", async function () {
    const { eip1193 } = node(() => "0x");
    const p = new DirectProvider(eip1193, 31337n);
    const bad = token.replace("FbDB", "fbDB"); // one letter's case flipped
    const fast = await failureOf(p.call({ to: bad, data }));
    const slow = await failureOf(ethersCall(p, { to: bad, data }));
    expect(fast.message).to.equal(slow.message);
  });

  it("leaves other reads to ethers: a block tag, gas, CCIP read", async function () {
    const { eip1193, requests } = node(() => "0x");
    const p = new DirectProvider(eip1193, 31337n);
    await p.call({ to: token, data, blockTag: "0x5" });
    expect(requests.at(-1)!.params).to.deep.equal([{ to: token.toLowerCase(), data }, "0x5"]);
    await p.call({ to: token, data, gasLimit: 100_000n });
    expect((requests.at(-1)!.params as any[])[0].gas).to.equal("0x186a0");
  });
});
