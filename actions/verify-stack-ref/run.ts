import { parseInputs } from "../shared/inputs.js";
import { inputs } from "./inputs.js";

export async function run(): Promise<void> {
  const parsed = parseInputs(inputs);
  // Loaded only once the inputs are valid: keeps the cold start of a rejected run small.
  const { verify } = await import("./verify.js");
  await verify(parsed);
}
