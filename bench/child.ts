import { spawn } from "child_process";

/** The line prefix a bench child process writes its results after, one JSON value a line. */
export const RESULT_PREFIX = "BENCH_RESULT ";

/** Writes one result of a bench child process to its stdout (see runChild). */
export function emit(value: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(value)}\n`);
}

/** The input a bench child process was given (runChild's `input`). @throws Error when it was started without one */
export function childInput<T>(): T {
  const text = process.env.BENCH_CHILD;
  if (text === undefined) throw new Error("this is a bench child process: bench/models.ts starts it with its input in BENCH_CHILD");
  return JSON.parse(text) as T;
}

/**
 * Runs a bench child process as `hardhat run` runs a script: `node --require hardhat/register
 * <script>` in the project at `root` (its own Hardhat, config and ts-node), with `input` in
 * BENCH_CHILD and none of this process's HARDHAT_* variables (they would name another project's
 * config). Resolves with the values the child emitted; its other output goes to stderr.
 * @throws Error when the child exits non-zero
 */
export function runChild<T>(root: string, script: string, input: unknown): Promise<T[]> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HARDHAT_")));
  const register = require.resolve("hardhat/register", { paths: [root] });
  const child = spawn(process.execPath, ["--require", register, script], { cwd: root, env: { ...env, BENCH_CHILD: JSON.stringify(input) }, stdio: ["ignore", "pipe", "inherit"] });
  const results: T[] = [];
  let pending = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith(RESULT_PREFIX)) results.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
      else if (line.trim() !== "") process.stderr.write(`  | ${line}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(results) : reject(new Error(`${script} in ${root} exited with ${code}`))));
  });
}
