import { parseInputs } from "../shared/inputs.js";
import { addMask } from "../shared/runner.js";
import { inputs } from "./inputs.js";

export async function run(): Promise<void> {
  const given = parseInputs(inputs, { secrets: ["githubToken"] });
  addMask(given.githubToken);
  // Octokit is loaded only now, so a rejected step never pays for it.
  const { sweep } = await import("./sweep.js");
  await sweep(given);
}
