import path from "path";
import { expect } from "chai";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";

const ROOT = path.resolve(__dirname, "../..");

/**
 * The import-direction rules of eslint.config.mjs, on code that is not in the project: the lint
 * `npm run lint` runs, without its type-checked rules (no type information for a file that does
 * not exist).
 */
describe("the import direction eslint.config.mjs enforces", function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });
  /** The no-restricted-imports findings for `code` as file `file`: "error" or "warning" per import, in order. */
  const findings = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => `${m.line} ${m.severity === 2 ? "error" : "warning"}`);
  };
  const imports = (...specifiers: string[]) =>
    specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};`).join("\n") + `\nexport const all = [${specifiers.map((_, i) => `m${i}`).join(", ")}];\n`;

  it("refuses Hardhat and the adapters in the core, at every folder depth", async () => {
    expect(await findings("src/probe.ts", imports("hardhat/config", "./hardhat/tokenspice", "./index", "./type-extensions", "./errors"))).to.deep.equal(["1 error", "2 error", "3 error", "4 error"]);
    expect(await findings("src/engine/probe.ts", imports("hardhat", "@nomicfoundation/hardhat-ethers", "../hardhat/errors", "../hardhat3/x", "../index", "../model/netlist"))).to.deep.equal([
      "1 error",
      "2 error",
      "3 error",
      "4 error",
      "5 error",
    ]);
    expect(await findings("src/campaign/outputs/probe.ts", imports("../../hardhat/tokenspice", "./index", "../../index", "../types"))).to.deep.equal(["1 error", "3 error"]);
  });

  it("lets the adapters import Hardhat and the core", async () => {
    expect(await findings("src/hardhat/probe.ts", imports("hardhat/config", "../campaign/campaign", "./errors"))).to.deep.equal([]);
    expect(await findings("src/index.ts", imports("hardhat/config", "./hardhat/tokenspice"))).to.deep.equal([]);
  });

  it("refuses tasks/ importing the core (src/cli included) rather than the adapter or the public API", async () => {
    expect(await findings("tasks/probe.ts", imports("../src/engine/engine", "../src/hardhat/tokenspice", "../src/index", "../src/api", "../src/cli/run", "./command", "hardhat/config"))).to.deep.equal(
      ["1 error", "5 error"],
    );
  });
});
