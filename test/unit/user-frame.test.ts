import { expect } from "chai";
import path from "path";
import { noStackHint, relativeStack, userFrame } from "../../src/model/user-frame";

describe("userFrame: where in the user's code an error was thrown", function () {
  const root = path.resolve("/home/me/project");
  const plugin = [path.join(root, "node_modules", "hardhat-tokenspice", "dist", "src"), path.resolve("/work/hardhat-tokenspice/src")];
  const at = (file: string) => path.join(root, file);

  it("takes the first frame that is neither the plugin's, nor in node_modules, nor Node's", function () {
    const stack = [
      "Error: boom",
      "    at Object.check (node:internal/validators:12:3)",
      `    at Contract.transfer (${at("node_modules/ethers/lib.commonjs/contract/contract.js")}:300:11)`,
      `    at linked (${path.join(plugin[1], "engine", "contracts.ts")}:80:5)`,
      `    at Payer.step (${at("sims/n06-throw/netlist.ts")}:16:11)`,
      `    at async Sections.settle (${path.join(plugin[1], "engine", "engine.ts")}:395:14)`,
    ].join("\n");
    expect(userFrame(stack, root, plugin)).to.deep.equal({ file: "sims/n06-throw/netlist.ts", line: 16, column: 11 });
  });

  it("reads bare frames, async frames and file: URLs; a helper the netlist imports counts", function () {
    expect(userFrame(`Error: x\n    at ${at("sims/lib/agents.ts")}:3:9`, root, plugin)).to.deep.equal({ file: "sims/lib/agents.ts", line: 3, column: 9 });
    expect(userFrame(`Error: x\n    at async step (file://${at("sims/esm/netlist.mjs")}:7:2)`, root, plugin)).to.deep.equal({ file: "sims/esm/netlist.mjs", line: 7, column: 2 });
  });

  it("is undefined when no frame is the user's, or there is no stack", function () {
    expect(userFrame(`Error: x\n    at new Promise (<anonymous>)\n    at f (${path.join(plugin[0], "engine", "engine.js")}:1:1)`, root, plugin)).to.equal(undefined);
    expect(userFrame(undefined, root, plugin)).to.equal(undefined);
    expect(userFrame("a plain string", root, plugin)).to.equal(undefined);
  });

  it("prints stacks with paths relative to the project root", function () {
    expect(relativeStack(`Error: x\n    at f (${at("sims/a/netlist.ts")}:1:2)\n    at g (file://${at("sims/b.mjs")}:3:4)`, root)).to.equal(
      "Error: x\n    at f (sims/a/netlist.ts:1:2)\n    at g (sims/b.mjs:3:4)",
    );
  });
});

describe("noStackHint: a thrown non-Error is said to have no file and line", function () {
  it("names what was thrown and how to get a location, for a string, an object, null and undefined; nothing for an Error", function () {
    expect(noStackHint("boom")).to.equal(" (no file and line: a string was thrown, which carries no stack; throw an Error to see where)");
    expect(noStackHint({ code: 42 })).to.contain("an object was thrown");
    expect(noStackHint([1])).to.contain("an array was thrown");
    expect(noStackHint(null)).to.contain("null was thrown");
    expect(noStackHint(undefined)).to.contain("undefined was thrown");
    expect(noStackHint(7)).to.contain("a number was thrown");
    expect(noStackHint(new RangeError("x"))).to.equal("");
  });
});
