import { expect } from "chai";
import fs from "fs";
import path from "path";
import { ERROR_CODES, TokenspiceError, exitCodeOf } from "../../src/errors";

describe("error codes", function () {
  const page = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "reference", "errors.md"), "utf8");
  const table = page.slice(page.indexOf("| code | exit | kind | meaning |"));
  const rows = table.slice(0, table.indexOf("\n\n")).split("\n").slice(2);

  it("every code is in docs/reference/errors.md's table, with the exit code its kind gives", function () {
    for (const [code, { kind }] of Object.entries(ERROR_CODES)) {
      const row = rows.find((r) => r.split("|")[1].includes(`\`${code}\``));
      expect(row, `docs/reference/errors.md has no row for ${code}`).to.not.equal(undefined);
      expect(Number(row!.split("|")[2].trim()), `exit code of ${code}`).to.equal(exitCodeOf(kind));
    }
  });

  it("docs/reference/errors.md names no code the plugin does not have", function () {
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
