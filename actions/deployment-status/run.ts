import { parseInputs } from "../shared/inputs.js";
import { addMask } from "../shared/runner.js";
import { inputs } from "./inputs.js";
import { resolveSettings } from "./settings.js";

export async function run(): Promise<void> {
  const given = parseInputs(inputs, { secrets: ["githubToken"] });
  if (given.githubToken) addMask(given.githubToken);
  const settings = resolveSettings(given);
  // Octokit is loaded only now, so a rejected step never pays for it.
  const { performStep } = await import("./steps.js");
  await performStep(settings);
}
