import { expect } from "chai";
import { getAddress } from "ethers";
import { linkBytecode, type LoadedArtifact } from "../../src/engine/artifacts";
import { thrownBy as errorOf } from "./thrown";

// Pricer links two libraries both named Fee (contracts/a/Fee.sol and contracts/b/Fee.sol), as in case F37:
// 20 zero bytes at offset 2 for Fee A and at offset 30 for Fee B, between opcodes.
const PRICER: LoadedArtifact = {
  name: "Pricer",
  abi: [],
  bytecode: "0x6073" + "00".repeat(20) + "6073".repeat(4) + "00".repeat(20) + "00",
  linkReferences: { "contracts/a/Fee.sol": { Fee: [{ start: 2, length: 20 }] }, "contracts/b/Fee.sol": { Fee: [{ start: 30, length: 20 }] } },
  source: "vendor/fee-libs/Pricer.json",
  compiler: null,
};
const A = "0x" + "aa".repeat(20);
const B = "0x" + "bb".repeat(20);

describe("library linking (Hardhat's rules)", function () {
  it("links each library by its fully qualified name at its own offsets", function () {
    const code = linkBytecode(PRICER, { "contracts/a/Fee.sol:Fee": A, "contracts/b/Fee.sol:Fee": B });
    expect(code.slice(2 + 4, 2 + 44)).to.equal("aa".repeat(20));
    expect(code.slice(2 + 60, 2 + 100)).to.equal("bb".repeat(20));
  });

  it("refuses a short name two libraries share, listing both fully qualified names", function () {
    const e = errorOf(() => linkBytecode(PRICER, { Fee: A }));
    expect(e.code).to.equal("LIBRARY_AMBIGUOUS");
    expect(e.details.candidates).to.deep.equal(["contracts/a/Fee.sol:Fee", "contracts/b/Fee.sol:Fee"]);
    expect(e.message).to.contain('"contracts/a/Fee.sol:Fee" and "contracts/b/Fee.sol:Fee"');
  });

  it("refuses one library given twice, by short and by fully qualified name", function () {
    const one = { ...PRICER, linkReferences: { "contracts/a/Fee.sol": PRICER.linkReferences!["contracts/a/Fee.sol"] } };
    expect(linkBytecode(one, { Fee: A })).to.equal(linkBytecode(one, { "contracts/a/Fee.sol:Fee": A }));
    const e = errorOf(() => linkBytecode(one, { Fee: A, "contracts/a/Fee.sol:Fee": B }));
    expect([e.code, e.details.library]).to.deep.equal(["LIBRARY_AMBIGUOUS", "contracts/a/Fee.sol:Fee"]);
  });

  it("refuses a name that is none of the contract's libraries, listing those it links", function () {
    const e = errorOf(() => linkBytecode(PRICER, { "contracts/a/Fee.sol:Fee": A, "contracts/c/Fee.sol:Fee": B }));
    expect([e.code, e.details.libraries]).to.deep.equal(["LIBRARY_UNKNOWN", ["contracts/a/Fee.sol:Fee", "contracts/b/Fee.sol:Fee"]]);
    const none = { ...PRICER, bytecode: "0x6000", linkReferences: {} };
    expect(errorOf(() => linkBytecode(none, { Fee: A })).message).to.contain("it links no libraries");
  });

  it("refuses an address that is not 0x and 40 hex digits, or a mixed-case one with a wrong checksum", function () {
    for (const bad of ["0x1234", "aa".repeat(20), "0x" + "gg".repeat(20), "0x" + "aa".repeat(21), "0xAAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 42 as unknown as string]) {
      const e = errorOf(() => linkBytecode(PRICER, { "contracts/a/Fee.sol:Fee": bad, "contracts/b/Fee.sol:Fee": B }));
      expect(e.code, String(bad)).to.equal("LIBRARY_ADDRESS_INVALID");
    }
    // a checksummed address, and all-upper hex digits, are addresses
    expect(linkBytecode(PRICER, { "contracts/a/Fee.sol:Fee": getAddress(A), "contracts/b/Fee.sol:Fee": "0x" + "BB".repeat(20) })).to.equal(
      linkBytecode(PRICER, { "contracts/a/Fee.sol:Fee": A, "contracts/b/Fee.sol:Fee": B }),
    );
  });

  it("lists every library not given", function () {
    const e = errorOf(() => linkBytecode(PRICER, { "contracts/b/Fee.sol:Fee": B }));
    expect([e.code, e.details.missing]).to.deep.equal(["LIBRARY_MISSING", ["contracts/a/Fee.sol:Fee"]]);
  });

  it("applies the same rules to Truffle's textual placeholders", function () {
    const truffle = (name: string) => "__" + name + "_".repeat(38 - name.length);
    const art: LoadedArtifact = { ...PRICER, linkReferences: undefined, bytecode: "0x60" + truffle("contracts/a/Fee.sol:Fee") + "60" + truffle("contracts/b/Fee.sol:Fee") };
    expect(errorOf(() => linkBytecode(art, { Fee: A })).code).to.equal("LIBRARY_AMBIGUOUS");
    expect(linkBytecode(art, { "contracts/a/Fee.sol:Fee": A, "contracts/b/Fee.sol:Fee": B })).to.equal("0x60" + "aa".repeat(20) + "60" + "bb".repeat(20));
    const short: LoadedArtifact = { ...art, bytecode: "0x60" + truffle("Fee") };
    expect(linkBytecode(short, { "contracts/a/Fee.sol:Fee": A })).to.equal(linkBytecode(short, { Fee: A }));
  });
});
