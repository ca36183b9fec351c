import { InputError } from "../shared/errors.js";
import { parseInputs } from "../shared/inputs.js";
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
  const { build } = await import("./build.js");
  await build(given);
}
