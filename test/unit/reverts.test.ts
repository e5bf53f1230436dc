import { expect } from "chai";
import { AbiCoder, Interface } from "ethers";
import { RevertDecoder } from "../../src/engine/reverts";

const coder = AbiCoder.defaultAbiCoder();

describe("RevertDecoder", () => {
  const decoder = new RevertDecoder();
  const iface = new Interface(["error TooLarge(uint256 value, uint256 limit)", "function poke()"]);
  decoder.register("Testbed", iface, "0x00000000000000000000000000000000000000aa");

  it("decodes Error(string), Panic and custom errors", () => {
    expect(decoder.describeError("0x08c379a0" + coder.encode(["string"], ["too poor"]).slice(2))).to.equal("too poor");
    expect(decoder.describeError("0x4e487b71" + coder.encode(["uint256"], [0x12]).slice(2))).to.equal("panic 0x12 (division or modulo by zero)");
    expect(decoder.describeError(iface.encodeErrorResult("TooLarge", [150, 100]))).to.equal("TooLarge(150, 100)");
    expect(decoder.describeError("0xdeadbeef")).to.equal("unknown error 0xdeadbeef");
    expect(decoder.describeError("0x")).to.equal("reverted without a reason");
  });

  it("names the call by contract and method; an unknown address's method by selector, marked as a guess", async () => {
    expect(await decoder.describeCall("0x00000000000000000000000000000000000000AA", iface.encodeFunctionData("poke"))).to.equal("Testbed.poke");
    expect(await decoder.describeCall(null, "0x6080")).to.equal("deploy");
    const unknown = "0x00000000000000000000000000000000000000bb";
    expect(await decoder.describeCall(unknown, iface.encodeFunctionData("poke"))).to.equal(`${unknown}.poke?`);
    expect(await decoder.describeCall(unknown, "0x12345678")).to.equal(`${unknown}:0x12345678`);
  });

  it("says when two known errors share a selector (a guess), and names one that is declared twice alike", () => {
    const d = new RevertDecoder([
      { name: "A", abi: ["error Same(uint256 x)"] },
      { name: "B", abi: ["error Same(uint256 y)"] }, // the same signature: the same error
    ]);
    const data = new Interface(["error Same(uint256 x)"]).encodeErrorResult("Same", [7]);
    expect(d.describeError(data)).to.equal("Same(7)");
  });
});
