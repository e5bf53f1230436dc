import { expect } from "chai";
import fs from "fs";
import path from "path";
import { ERROR_CODES, TokenspiceError, exitCodeOf } from "../../src/errors";

describe("error codes", function () {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("| code | exit | meaning |"));
  const rows = table.slice(0, table.indexOf("\n\n")).split("\n").slice(2);

  it("every code is in the README's table, with the exit code its kind gives", function () {
    for (const [code, { kind }] of Object.entries(ERROR_CODES)) {
      const row = rows.find((r) => r.split("|")[1].includes(`\`${code}\``));
      expect(row, `README has no row for ${code}`).to.not.equal(undefined);
      expect(Number(row!.split("|")[2].trim()), `exit code of ${code}`).to.equal(exitCodeOf(kind));
    }
  });

  it("the README names no code the plugin does not have", function () {
    const named = rows.flatMap((r) => [...r.split("|")[1].matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
    expect(named.filter((c) => !(c in ERROR_CODES))).to.deep.equal([]);
  });

  it("a TokenspiceError carries its code, details and cause", function () {
    const cause = new Error("inner");
    const e = new TokenspiceError("PARAM_INVALID", "bad", { param: "fee" }, cause);
    expect(e.code).to.equal("PARAM_INVALID");
    expect(e.details).to.deep.equal({ param: "fee" });
    expect(e.cause).to.equal(cause);
  });
});
