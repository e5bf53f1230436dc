import { expect } from "chai";
import { REPEATABLE_FLAG_NAMES, REPEATABLE_SEPARATOR, TASKS, missingRequired, repeatableValues } from "../../src/cli/flags-table";
import { param } from "../../src/model/params";
import { REPEATABLE_FLAGS } from "../../src/hardhat/repeatable-flags";

// Issue 17: both adapters declare their tasks from one table, and the repeatable flags take several
// values in one flag (Hardhat 3 options cannot be repeated).

describe("the flags table both adapters declare their tasks from (src/cli/flags-table.ts)", () => {
  it("repeatable flags: several values joined with ';' in one flag, the repeated form's texts each split too", () => {
    expect(repeatableValues("volume final >= 300; revenue final > 0")).to.deep.equal(["volume final >= 300", "revenue final > 0"]);
    expect(repeatableValues(["a=1,2;b=3:9:4", "c=true"])).to.deep.equal(["a=1,2", "b=3:9:4", "c=true"]);
    expect(repeatableValues("a=1,2;")).to.deep.equal(["a=1,2"]);
    expect(repeatableValues(undefined)).to.deep.equal([]);
  });

  it("names the repeatable flags Hardhat 2's parser lets repeat: --sweep, --spec, --objective, --constraint, --kpi, --effect, --moment", () => {
    expect(REPEATABLE_FLAG_NAMES.sort()).to.deep.equal(["constraint", "effect", "kpi", "moment", "objective", "spec", "sweep"]);
    expect([...REPEATABLE_FLAGS].sort()).to.deep.equal(["--constraint", "--effect", "--kpi", "--moment", "--objective", "--spec", "--sweep"]);
  });

  it("a choice param may not hold the separator, so a joined --sweep splits only between sweeps", () => {
    expect(() => param.choice({ choices: ["a;b", "c"], default: "c" })).to.throw(/has a ";"/);
    expect(REPEATABLE_SEPARATOR).to.equal(";");
  });

  it("required flags Hardhat 3 cannot require are named as typed, --kebab-case", () => {
    expect(missingRequired(TASKS.merge, { dirs: ["a"] })).to.deep.equal(["--out"]);
    expect(missingRequired(TASKS.merge, { dirs: ["a"], out: "m" })).to.deep.equal([]);
    expect(missingRequired(TASKS.corners, { netlist: "n", objective: "" })).to.deep.equal(["--objective"]);
  });

  it("every task's flags are unique and camelCase (each adapter spells them --kebab-case)", () => {
    for (const task of Object.values(TASKS)) {
      const names = [...task.positional.map((p) => p.name), ...task.flags.map((f) => f.name)];
      expect(new Set(names).size, task.name).to.equal(names.length);
      for (const n of names) expect(n, task.name).to.match(/^[a-z][a-zA-Z]*$/);
    }
  });
});
