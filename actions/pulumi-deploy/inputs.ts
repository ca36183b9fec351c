/** The inputs of pulumi-deploy; keys are the camelCase of the action.yml names. */
import { field, input, rule } from "../shared/inputs.js";
import { oidcInputs } from "../shared/pulumi/oidc-inputs.js";
import { backendUrl, bareStack, imageRef, qualifiedStack } from "../shared/schemas.js";
import { isVersionSpec } from "./version-range.js";

const COMMANDS = ["preview", "up", "refresh", "destroy", "output"] as const;
export type Command = (typeof COMMANDS)[number];

/** `org/project/stack` for Pulumi Cloud, or a bare stack name for file and S3 backends. */
const stackName = rule(
  (value) => qualifiedStack.test(value) || bareStack.test(value),
  "ORG/PROJECT/STACK, or a bare STACK name for a file:// or s3:// backend",
);

export const pulumiVersion = rule(
  isVersionSpec,
  "a Pulumi CLI version such as 3.140.0, a range such as ^3.200.0, or latest",
);

const urn = rule(/^urn:pulumi:\S+$/, "a resource URN (urn:pulumi:...)");

/** Image names become config paths (`images.<name>`), so no dots or brackets. */
const IMAGE_NAME = /^[A-Za-z0-9_-]+$/;

export const inputs = {
  command: input.oneOf(COMMANDS),
  stackName: input.text(stackName),
  // Checked with policy-packs (relative to it) in checks.ts.
  workDir: field((v) => v ?? "."),
  cloudUrl: input.optionalText(backendUrl),
  upsert: input.optionalBoolean(),
  // YAML, parsed in run() once the cheap checks passed (loading yaml costs cold start)
  // and still before anything is written or started.
  config: input.optionalText(),
  images: input.keyValues(imageRef, IMAGE_NAME),
  refresh: input.boolean(false),
  expectNoChanges: input.boolean(false),
  target: input.lines(urn),
  // The flags pulumi/actions v7 passes through; which command takes which: checks.ts.
  targetDependents: input.boolean(false),
  exclude: input.lines(urn),
  excludeDependents: input.boolean(false),
  excludeProtected: input.boolean(false),
  replace: input.lines(urn),
  diff: input.boolean(false),
  // 0: the CLI's default (unbounded).
  parallel: input.integer({ min: 0, max: 2147483647, fallback: 0 }),
  suppressOutputs: input.boolean(false),
  suppressProgress: input.boolean(false),
  continueOnError: input.boolean(false),
  clearPendingCreates: input.boolean(false),
  debug: input.boolean(false),
  plan: input.optionalText(),
  retries: input.integer({ min: 0, max: 10, fallback: 3 }),
  destroyOnFailure: input.boolean(false),
  removeStack: input.boolean(false),
  message: input.optionalText(),
  policyPacks: input.lines(),
  policyPackConfigs: input.lines(),
  secretsProvider: input.optionalText(),
  allowEmptyPassphrase: input.boolean(false),
  pulumiVersion: input.optionalText(pulumiVersion),
  pulumiVersionFile: input.optionalText(),
  isolatePlugins: input.boolean(false),
  // A short-lived Pulumi Cloud token for this step instead of PULUMI_ACCESS_TOKEN.
  ...oidcInputs,
  // GitHub's own job limit is 6 hours; a hung CLI should not cost that.
  timeoutMinutes: input.timeoutMinutes(120),
};
