import { InputError } from "../shared/errors.js";
import { parseInputs } from "../shared/inputs.js";
import { setOutputs } from "../shared/outputs.js";
import { info } from "../shared/runner.js";
import { checkImages } from "./check.js";
import { inputs } from "./inputs.js";

export async function run(): Promise<void> {
  const checked = checkImages(parseInputs(inputs));
  if (Array.isArray(checked)) throw new InputError(checked);
  const lines = (map: Map<string, string>) =>
    [...map].map(([name, value]) => `${name}=${value}`).join("\n");
  const digests = new Map(
    [...checked.refs].map(([name, ref]) => [name, ref.slice(ref.lastIndexOf("@") + 1)]),
  );
  setOutputs({
    images: lines(checked.refs),
    digests: Object.fromEntries(digests),
    "digest-lines": lines(digests),
    "image-refs": Object.fromEntries(checked.refs),
    repositories: Object.fromEntries(checked.repositories),
  });
  for (const [name, value] of checked.refs.size > 0 ? checked.refs : checked.repositories)
    info(`${name}: ${value}`);
}
