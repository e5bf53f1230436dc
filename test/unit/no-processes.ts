// Loaded by `npm run test:unit` (mocha --require) before the unit tests: starting a child process or
// a worker thread throws, naming the test tier's rule. Static imports are checked by unit-tier.test.ts.
import childProcess from "child_process";
import workerThreads from "worker_threads";

const refuse = (what: string) =>
  function refused(): never {
    throw new Error(`${what}: the unit tier (test/unit, npm run test:unit) starts no process or thread; move this test to test/ (integration)`);
  };
for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"] as const) {
  Object.defineProperty(childProcess, name, { value: refuse(`child_process.${name}`), configurable: true, writable: true });
}
Object.defineProperty(workerThreads, "Worker", { value: refuse("new Worker"), configurable: true, writable: true });
