/** Checks across inputs, made before anything runs; each message completes "Input 'x' ...". */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { confinedPath } from "../shared/paths.js";
import { isPulumiCloud } from "../shared/pulumi/backend.js";
import { qualifiedStack } from "../shared/schemas.js";
import { type Inputs, quoted } from "../shared/inputs.js";
import { type inputs, pulumiVersion } from "./inputs.js";

export type DeployInputs = Inputs<typeof inputs>;

/** `backend`: what the CLI will use (see shared/pulumi/backend.ts), undefined for Pulumi Cloud. */
export function crossInputProblems(i: DeployInputs, backend: string | undefined): string[] {
  const problems: string[] = [];
  if (isPulumiCloud(backend) && !qualifiedStack.test(i.stackName)) {
    problems.push(
      `Input 'stack-name' must be ORG/PROJECT/STACK for Pulumi Cloud (a bare name resolves in whichever org the token defaults to), got '${quoted(i.stackName)}'`,
    );
  }
  // Folders of the checkout: never a symbolic link, never outside the workspace.
  const workDir = confinedPath(i.workDir, "directory");
  if ("problem" in workDir)
    problems.push(`Input 'work-dir' ${workDir.problem}, got '${quoted(i.workDir)}'`);
  for (const [index, pack] of i.policyPacks.entries()) {
    const checked = confinedPath(resolve(i.workDir, pack), "directory");
    if ("problem" in checked) {
      problems.push(
        `Input 'policy-packs' line ${index + 1} ${checked.problem}, got '${quoted(pack)}'`,
      );
    }
  }
  for (const [index, config] of i.policyPackConfigs.entries()) {
    const checked = confinedPath(resolve(i.workDir, config), "file");
    if ("problem" in checked) {
      problems.push(
        `Input 'policy-pack-configs' line ${index + 1} ${checked.problem}, got '${quoted(config)}'`,
      );
    }
  }
  // The CLI pairs the Nth --policy-pack-config with the Nth --policy-pack.
  if (i.policyPackConfigs.length > i.policyPacks.length) {
    problems.push(
      `Input 'policy-pack-configs' has ${i.policyPackConfigs.length} line(s) for ${i.policyPacks.length} policy pack(s): one config file per pack, in the same order`,
    );
  }
  if (i.plan !== undefined) problems.push(...planProblems(i));
  problems.push(...commandOnlyProblems(i));
  if (i.pulumiVersion && i.pulumiVersionFile) {
    problems.push("Input 'pulumi-version-file' cannot be combined with 'pulumi-version': give one");
  }
  if (i.removeStack && i.command !== "destroy") {
    problems.push(
      `Input 'remove-stack' only applies to command 'destroy', got command '${i.command}'`,
    );
  }
  // The real CLI destroys only the targets and then keeps the stack, exiting 0.
  if (i.removeStack && i.target.length > 0) {
    problems.push(
      "Input 'remove-stack' cannot be combined with 'target': `pulumi destroy --remove --target` keeps the stack",
    );
  }
  return problems;
}

/** Inputs that only some commands take: the CLI would refuse the flag, or ignore it. */
const ONLY: readonly [keyof DeployInputs, string, readonly string[]][] = [
  ["excludeProtected", "exclude-protected", ["destroy"]],
  ["replace", "replace", ["preview", "up"]],
  ["policyPackConfigs", "policy-pack-configs", ["preview", "up"]],
  ["continueOnError", "continue-on-error", ["up", "destroy"]],
  ["clearPendingCreates", "clear-pending-creates", ["refresh"]],
  ["debug", "debug", ["preview", "up", "refresh", "destroy"]],
  ["diff", "diff", ["preview", "up", "refresh", "destroy"]],
  ["parallel", "parallel", ["preview", "up", "refresh", "destroy"]],
  ["suppressOutputs", "suppress-outputs", ["preview", "up", "refresh", "destroy"]],
  ["suppressProgress", "suppress-progress", ["preview", "up", "refresh", "destroy"]],
  ["exclude", "exclude", ["preview", "up", "refresh", "destroy"]],
  // `pulumi destroy` has no --exclude-dependents (pkg/cmd/pulumi/operations/destroy.go).
  ["excludeDependents", "exclude-dependents", ["preview", "up", "refresh"]],
];

function commandOnlyProblems(i: DeployInputs): string[] {
  const problems: string[] = [];
  for (const [key, name, commands] of ONLY) {
    const value = i[key];
    const given = Array.isArray(value) ? value.length > 0 : value !== false && value !== 0;
    if (given && !commands.includes(i.command)) {
      problems.push(
        `Input '${name}' only applies to command ${commands.join(", ")}, got command '${i.command}'`,
      );
    }
  }
  if (i.targetDependents && i.target.length === 0)
    problems.push("Input 'target-dependents' needs 'target'");
  // The CLI marks --target and --exclude mutually exclusive (every operation command).
  if (i.target.length > 0 && i.exclude.length > 0)
    problems.push(
      "Input 'exclude' cannot be combined with 'target': the CLI takes one or the other",
    );
  if (i.excludeDependents && i.exclude.length === 0)
    problems.push("Input 'exclude-dependents' needs 'exclude'");
  // `up` with expect-no-changes runs `preview`, which has no --continue-on-error.
  if (i.continueOnError && i.expectNoChanges)
    problems.push(
      "Input 'continue-on-error' cannot be combined with 'expect-no-changes' (nothing is applied then)",
    );
  return problems;
}

/**
 * `pulumi-version-file` (e.g. `.pulumi.version`, relative to the workspace): the version it
 * holds, one line, checked like `pulumi-version`; or what is wrong with it.
 */
export function versionFromFile(path: string): { version: string } | { problem: string } {
  const checked = confinedPath(path, "file");
  if ("problem" in checked)
    return { problem: `Input 'pulumi-version-file' ${checked.problem}, got '${quoted(path)}'` };
  const text = readFileSync(checked.path, "utf8").trim();
  if (!pulumiVersion.test(text) || text.length > 40)
    return {
      problem: `Input 'pulumi-version-file' must name a file holding ${pulumiVersion.expected}, got a file holding '${quoted(text.slice(0, 40))}'`,
    };
  return { version: text };
}

/**
 * `plan`: the file `preview` saves the update plan to (its folder must be inside the
 * workspace), or the saved plan `up` is held to; relative to work-dir.
 */
function planProblems(i: DeployInputs): string[] {
  const path = resolve(i.workDir, i.plan as string);
  if (i.command === "preview") {
    const folder = confinedPath(dirname(path), "directory");
    return "problem" in folder
      ? [
          `Input 'plan' must be in a folder that ${folder.problem.replace(/^must be /, "is ")}, got '${quoted(i.plan ?? "")}'`,
        ]
      : [];
  }
  if (i.command === "up") {
    if (i.expectNoChanges)
      return ["Input 'plan' cannot be combined with 'expect-no-changes' (nothing is applied then)"];
    const file = confinedPath(path, "file");
    return "problem" in file ? [`Input 'plan' ${file.problem}, got '${quoted(i.plan ?? "")}'`] : [];
  }
  return [`Input 'plan' only applies to command preview, up, got command '${i.command}'`];
}
