import fs from "fs";
import os from "os";
import path from "path";

/**
 * A maker of fresh temporary folders (named `<prefix>XXXXXX` in the OS's temp folder) for one
 * `describe` block, all removed after it. Call it inside the block: it registers mocha's `after`.
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  return () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}
