import { task, types } from "hardhat/config";
import type { ActionType, TaskArguments } from "hardhat/types";
import type { TaskSpec } from "../cli/flags-table";

export { TASKS } from "../cli/flags-table";
import { asCommand, integerArgument } from "./cli";
import { TokenspiceError } from "../errors";
import { flagOf } from "../cli/flags";
import { REPEAT_SEPARATOR } from "./repeatable-flags";

/**
 * Declares a Hardhat 2 task from its row of the flags table (src/cli/flags-table.ts, which the
 * Hardhat 3 adapter declares its tasks from too): `string` and `repeatable` flags as text params,
 * `int` as text the command checks (`integerArgument`), `flag` as flags; `required` flags are
 * Hardhat 2's mandatory params.
 */
export function declareTask<A extends TaskArguments>(spec: TaskSpec, action: ActionType<A>): void {
  const t = task(spec.name, spec.description);
  for (const p of spec.positional) {
    if (p.variadic && p.optional) t.addOptionalVariadicPositionalParam(p.name, p.description, [], types.string);
    else if (p.variadic) t.addVariadicPositionalParam(p.name, p.description, undefined, types.string);
    else if (p.optional) t.addOptionalPositionalParam(p.name, p.description, undefined, types.string);
    else t.addPositionalParam(p.name, p.description, undefined, types.string);
  }
  for (const f of spec.flags) {
    if (f.kind === "flag") t.addFlag(f.name, f.description);
    else if (f.required) t.addParam(f.name, f.description, undefined, f.kind === "int" ? integerArgument : types.string);
    else t.addOptionalParam(f.name, f.description, undefined, f.kind === "int" ? integerArgument : types.string);
  }
  t.setAction((args: A, hre, runSuper) => {
    const twice = givenTwice(spec, args);
    if (twice === undefined) return action(args, hre, runSuper);
    return asCommand(spec.name, hre, () => {
      throw new TokenspiceError("OPTION_INVALID", `${flagOf(twice)} was given more than once; ${spec.name} takes one ${flagOf(twice)}.`, {
        [flagOf(twice)]: String((args as TaskArguments)[twice])
          .split(REPEAT_SEPARATOR)
          .join("; "),
      });
    });
  });
}

/**
 * A flag this task takes once that the command line repeated: Hardhat 2's parser is taught to join a
 * repeated `--objective` (./repeatable-flags.ts, by name), which `sim-corners` takes several of and
 * `sim-worst-case` and `sim-optimize` one.
 */
function givenTwice(spec: TaskSpec, args: TaskArguments): string | undefined {
  return spec.flags.find((f) => f.kind !== "repeatable" && typeof args[f.name] === "string" && (args[f.name] as string).includes(REPEAT_SEPARATOR))?.name;
}
