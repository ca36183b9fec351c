import { InputError } from "../shared/errors.js";
import { parseInputs } from "../shared/inputs.js";
import { addMask } from "../shared/runner.js";
import { inputs } from "./inputs.js";

export async function run(): Promise<void> {
  const given = parseInputs(inputs, { secrets: ["githubToken"] });
  addMask(given.githubToken);
  if (given.mode !== "delete" && given.status === undefined) {
    throw new InputError([`Input 'status' is required when mode is ${given.mode}`]);
  }
  const { publish } = await import("./publish.js");
  await publish(given);
}
