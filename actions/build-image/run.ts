import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../shared/errors.js";
import { parseInputs } from "../shared/inputs.js";
import { confinedPath } from "../shared/paths.js";
import { addMask } from "../shared/runner.js";
import { inputs } from "./inputs.js";

export async function run(): Promise<void> {
  const given = parseInputs(inputs, { secrets: ["password"] });
  if (given.password) addMask(given.password);
  if (Boolean(given.username) !== Boolean(given.password)) {
    throw new InputError([
      `Input '${given.username ? "password" : "username"}' is required when '${given.username ? "username" : "password"}' is given`,
    ]);
  }
  if (given.file === undefined) {
    // Docker follows a symbolic link at CONTEXT/Dockerfile: checked like `file` (a missing
    // one is Docker's to report).
    const dockerfile = join(given.context, "Dockerfile");
    const checked = confinedPath(dockerfile, "file");
    if ("problem" in checked && existsSync(dockerfile)) {
      throw new InputError([`Input 'file' (default ${dockerfile}) ${checked.problem}`]);
    }
  }
  const { build } = await import("./build.js");
  await build(given);
}
