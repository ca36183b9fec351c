import { parseInputs } from "../shared/inputs.js";
import { setOutputs } from "../shared/outputs.js";
import { annotate } from "../shared/runner.js";
import { checkAll } from "./check.js";
import { inputs } from "./inputs.js";

export async function run(): Promise<void> {
  const given = parseInputs(inputs);
  const unhealthy = await checkAll(given.urls, given);
  setOutputs({
    healthy: unhealthy.length === 0,
    unhealthy: unhealthy.map((u) => u.shown).join("\n"),
  });
  // One error line per URL that never became healthy, as a person scans them.
  for (const { shown, last } of unhealthy)
    annotate("error", `${shown}: ${last} (not healthy within ${given.timeoutSeconds}s)`, {
      title: "Health check failed",
    });
  if (unhealthy.length > 0) process.exitCode = 1;
}
