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

  it("names the call by contract and method", () => {
    expect(decoder.describeCall("0x00000000000000000000000000000000000000AA", iface.encodeFunctionData("poke"))).to.equal("Testbed.poke");
    expect(decoder.describeCall(null, "0x6080")).to.equal("deploy");
  });
});
