import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { ROOT } from "./helpers";

// The progress bar in a process of its own (exits and signals); the rest is in test/unit/campaign-progress.test.ts.
describe("campaign progress, in a child process", () => {
  it("shows the cursor again when the process exits or is ended by a signal with the bar up, and the signal still ends it", function () {
    this.timeout(60_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-progress-"));
    try {
      for (const ending of ["exit", "SIGTERM", "SIGINT"]) {
        const file = path.join(tmp, `${ending}.txt`);
        const script = `
          const fs = require("fs");
          const { Writable } = require("stream");
          const { campaignProgress } = require(${JSON.stringify(path.join(ROOT, "src/campaign/progress.ts"))});
          const stream = new Writable({ write(c, e, cb) { fs.appendFileSync(${JSON.stringify(file)}, c); cb(); } });
          Object.assign(stream, { isTTY: true, columns: 100, rows: 30 });
          const p = campaignProgress({ label: "x", total: 4, stream });
          p.events.onOutcome({ key: "a", status: "complete", error: null, attempts: 1 });
          setImmediate(() => ${ending === "exit" ? "process.exit(0)" : `process.kill(process.pid, "${ending}")`});
          setInterval(() => {}, 1000); // stays up until the exit or the signal ends it
        `;
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" });
        expect(ending === "exit" ? r.status : r.signal, r.stderr).to.equal(ending === "exit" ? 0 : ending);
        const text = fs.readFileSync(file, "utf8");
        expect(text).to.contain("\x1b[?25l");
        expect(text.endsWith("\x1b[?25h"), JSON.stringify(text.slice(-40))).to.equal(true);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
