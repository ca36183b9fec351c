import { InputError } from "../shared/errors.js";
import { parseInputs } from "../shared/inputs.js";
import { setOutputs } from "../shared/outputs.js";
import { info } from "../shared/runner.js";
import { checkImages, imageOutputs } from "./check.js";
import { inputs } from "./inputs.js";

export async function run(): Promise<void> {
  const checked = checkImages(parseInputs(inputs));
  if (Array.isArray(checked)) throw new InputError(checked);
  setOutputs(imageOutputs(checked));
  for (const [name, value] of checked.refs.size > 0 ? checked.refs : checked.repositories)
    info(`${name}: ${value}`);
}
