import { ActionError } from "../shared/errors.js";
import { parseInputs } from "../shared/inputs.js";
import { setOutputs } from "../shared/outputs.js";
import { addMask, annotate, info } from "../shared/runner.js";
import { inputs } from "./inputs.js";
import { resolveSettings, type UrlsSettings } from "./settings.js";
import { noUrlProblem, urlsToCheck } from "./urls.js";

function urls(settings: UrlsSettings): void {
  const found = urlsToCheck(settings.outputs, settings.urlOutputs);
  if (found.length === 0 && settings.healthCheck)
    throw new ActionError(noUrlProblem(settings.urlOutputs), { title: "Not health-checked" });
  for (const { name, url } of found) info(`URL to check: ${name}=${url}`);
  if (!settings.healthCheck)
    annotate("notice", "health-check is false: the deploy is not health-checked", {
      title: "Not health-checked",
    });
  setOutputs({
    urls: found.map((item) => item.url).join("\n"),
    named: found.map((item) => `${item.name}=${item.url}`).join("\n"),
    first: found[0]?.url ?? "",
    "health-check": settings.healthCheck,
  });
}

export async function run(): Promise<void> {
  const given = parseInputs(inputs, { secrets: ["githubToken"] });
  if (given.githubToken) addMask(given.githubToken);
  const settings = resolveSettings(given);
  if (settings.step === "urls") return urls(settings);
  if (settings.step === "names") {
    const { stack, namespace, deploymentEnvironment } = settings.names;
    setOutputs({ stack, namespace, "deployment-environment": deploymentEnvironment });
    info(`Stack ${stack}, namespace ${namespace}, Deployment environment ${deploymentEnvironment}`);
    return;
  }
  // Octokit is loaded only now, so a rejected step never pays for it.
  const steps = await import("./steps.js");
  if (settings.step === "gate") await steps.gate(settings);
  else if (settings.step === "protection") await steps.protection(settings);
  else await steps.current(settings);
}
