/**
 * The work of build-image once its inputs are valid: log in, build with buildx when the
 * runner has it (the classic builder otherwise), push, and prove the digest it outputs is
 * the one the registry serves.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  commitSha,
  isForkPullRequest,
  pullRequest,
  repository,
  serverUrl,
} from "../shared/context.js";
import { ActionError } from "../shared/errors.js";
import type { Inputs } from "../shared/inputs.js";
import { setOutputs } from "../shared/outputs.js";
import { fullSha } from "../shared/schemas.js";
import { annotate, appendSummary, info } from "../shared/runner.js";
import { stepTempDir } from "../shared/temp.js";
import { digestFromMetadata, buildxArgs } from "./buildx.js";
import { docker, hasBuildx, login, requireEngine } from "./docker.js";
import { withStepDockerConfig } from "./docker-login.js";
import { savedCredentials } from "./docker-config.js";
import type { inputs } from "./inputs.js";
import {
  confirmDigest,
  digestFromPushOutput,
  legacyBuildArgs,
  legacyLimitations,
} from "./legacy.js";
import { planBuild, type BuildPlan, type PlanContext } from "./plan.js";
import { locateRepository } from "./reference.js";
import { manifestDigest, type Credentials } from "./registry.js";
import { summaryMarkdown } from "./summary.js";

type Given = Inputs<typeof inputs>;

/** The commit and PR the image is named after; a PR's head, never the merge commit. */
function planContext(given: Given): PlanContext {
  const pr = pullRequest();
  const sha = commitSha();
  if (given.tags.length === 0 && pr && !pr.headSha) {
    throw new ActionError(`The event names pull request #${pr.number} but not its head commit`, {
      title: "No commit to tag",
      details: ["Give 'tags' explicitly, or run on pull_request or push events."],
    });
  }
  if (!sha || !fullSha.test(sha)) {
    throw new ActionError(`No commit SHA to tag the image with (got '${sha ?? ""}')`, {
      title: "No commit to tag",
    });
  }
  const { owner, repo } = repository();
  return {
    sha,
    pullRequest: pr?.number,
    sourceUrl: `${serverUrl()}/${owner}/${repo}`,
    fork: isForkPullRequest(),
    now: new Date(),
  };
}

function tagOf(reference: string): string {
  return reference.slice(reference.lastIndexOf(":") + 1);
}

async function buildWithBuildx(plan: BuildPlan, timeoutMs: number): Promise<string | undefined> {
  const metadataFile = join(stepTempDir("build-image"), "metadata.json");
  await docker("docker buildx build", buildxArgs(plan, metadataFile), { timeoutMs });
  return plan.push ? digestFromMetadata(readFileSync(metadataFile, "utf8")) : undefined;
}

async function buildWithClassicBuilder(
  plan: BuildPlan,
  credentials: Credentials | undefined,
  timeoutMs: number,
): Promise<string | undefined> {
  const args = legacyBuildArgs(plan);
  for (const note of legacyLimitations(plan)) annotate("warning", note, { title: "build-image" });
  // Explicit: an inherited DOCKER_BUILDKIT=1 would send `docker build` looking for buildx.
  await docker("docker build", args, {
    env: { ...process.env, DOCKER_BUILDKIT: "0" },
    timeoutMs,
  });
  if (!plan.push) return undefined;

  const location = locateRepository(plan.image);
  const readBack = credentials ?? savedCredentials(location.host);
  let digest: string | undefined;
  for (const reference of plan.references) {
    const tag = tagOf(reference);
    const pushed = await docker(`docker push ${reference}`, ["push", reference], { timeoutMs });
    const reported = digestFromPushOutput(pushed.stdout, tag);
    const served = await manifestDigest(location, tag, { credentials: readBack });
    if (confirmDigest(reference, reported, served, digest) === "moved") {
      annotate(
        "warning",
        `${reference} already names ${served}: another build pushed that tag after this one; this build's digest is ${digest}`,
        { title: "Tag moved" },
      );
      continue;
    }
    digest = served;
  }
  return digest;
}

export async function build(given: Given): Promise<void> {
  const plan = planBuild(given, planContext(given));
  for (const { requested, tag } of given.tags) {
    if (requested === tag) continue;
    info(`Tag '${requested}' does not fit Docker's tag grammar: using '${tag}'`);
  }
  const notPushed = isForkPullRequest()
    ? "a pull request from a fork cannot push"
    : plan.push
      ? undefined
      : "push is false";
  if (given.push && !plan.push) {
    const message = `Building ${plan.image} without pushing: ${notPushed}; no digest is output`;
    annotate("warning", message, { title: "Image not pushed" });
  }

  const engine = await requireEngine();
  const credentials: Credentials | undefined =
    given.username && given.password
      ? { username: given.username, password: given.password }
      : undefined;
  const imageHost = locateRepository(plan.image).host;
  const loginHost = given.registry ?? imageHost;
  const where = { engine, imageHost, loginHost, notPushed };
  if (!credentials) return buildAndReport(given, plan, where);
  // The login goes to a Docker config of this step's own, removed when it ends.
  return withStepDockerConfig(async () => {
    await login(loginHost, credentials);
    await buildAndReport(given, plan, where, credentials);
  });
}

async function buildAndReport(
  given: Given,
  plan: ReturnType<typeof planBuild>,
  where: { engine: string; imageHost: string; loginHost: string; notPushed?: string },
  credentials?: Credentials,
): Promise<void> {
  const { engine, imageHost, loginHost, notPushed } = where;
  const buildx = await hasBuildx();
  const builder = buildx ? "docker buildx build" : `docker build (engine ${engine}, no buildx)`;
  info(`Building ${plan.references.join(", ")} with ${builder}`);
  const started = performance.now();
  // `timeout-minutes` bounds each build and push.
  const timeoutMs = given.timeoutMinutes * 60_000;
  const digest = buildx
    ? await buildWithBuildx(plan, timeoutMs)
    : await buildWithClassicBuilder(
        plan,
        loginHost === imageHost ? credentials : undefined,
        timeoutMs,
      );
  const seconds = (performance.now() - started) / 1000;

  setOutputs({
    digest,
    "image-ref": digest ? `${plan.image}@${digest}` : undefined,
    tags: plan.references,
    "build-seconds": seconds.toFixed(1),
  });
  appendSummary(
    summaryMarkdown({
      image: plan.image,
      references: plan.references,
      digest,
      seconds,
      builder,
      notPushed,
    }),
  );
  info(
    digest
      ? `Pushed ${plan.image}@${digest}`
      : `Built ${plan.references.join(", ")} (not pushed: ${notPushed})`,
  );
}
