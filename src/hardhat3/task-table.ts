import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { NewTaskDefinition } from "hardhat/types/tasks";
import type { TaskSpec } from "../cli/flags-table.js";

/**
 * A Hardhat 3 task from its row of the flags table (src/cli/flags-table.ts, which Hardhat 2's tasks
 * are declared from too), its action imported lazily. Every value flag is text without a default
 * (the commands check numbers and apply defaults, so bad values get the plugin's error and exit
 * code 2, and both Hardhat versions behave alike); a `repeatable` flag is one text whose values are
 * joined with `;` (Hardhat 3 options cannot be repeated); `required` flags are checked by the action
 * (./cli.ts), Hardhat 3 options cannot be required.
 */
export function declareTask3(spec: TaskSpec, action: () => Promise<{ default: (args: never, hre: never) => Promise<void> }>): NewTaskDefinition {
  let t = task(spec.name, spec.description);
  for (const p of spec.positional) {
    if (p.variadic && p.optional) t = t.addVariadicArgument({ name: p.name, description: p.description, defaultValue: [] });
    else if (p.variadic) t = t.addVariadicArgument({ name: p.name, description: p.description });
    else if (p.optional) t = t.addPositionalArgument({ name: p.name, description: p.description, type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined });
    else t = t.addPositionalArgument({ name: p.name, description: p.description });
  }
  for (const f of spec.flags) {
    if (f.kind === "flag") t = t.addFlag({ name: f.name, description: f.description });
    else t = t.addOption({ name: f.name, description: f.required ? `${f.description} (required)` : f.description, type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined });
  }
  return t.setAction(action as never).build();
}
