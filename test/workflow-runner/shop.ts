/**
 * The consumer the examples are written for, acme/shop, set up for the local runner: its
 * repository (the examples copied into .github/workflows/ with the edits a consumer makes
 * here: images pushed to the local registry instead of ghcr.io), its tree per commit (two
 * `FROM scratch` images and a Pulumi project), the GitHub emulator seeded with the pull
 * request, main's history, collaborators and a production environment with a required reviewer
 * (Prevent self-review on: the author merges, the maintainer approves), a stand-in
 * HTTP app the health check reaches, and the Pulumi CLI: the double by default, or the real
 * engines (`engines`, the demo's real mode), where the consumer's infra is the kit's own app
 * program and the workflows get the edits a consumer makes for a `file://` backend.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type Document, parseDocument } from "yaml";
import { createGitHubEmulator, type GitHubEmulator } from "../emulators/github/server.js";
import { attestationStore } from "../emulators/github/routes/attestations.js";
import { deploymentStore } from "../emulators/github/routes/deployments.js";
import { createPulumiDouble, type PulumiDouble } from "../emulators/pulumi/double.js";
import { repoRoot } from "../harness/paths.js";
import { LOCAL_BASE_STACK, stageKit } from "../support/kit-deploy.js";
import type { SigstoreStandIn } from "../support/sigstore.js";
import { startOidcStandIn } from "./oidc.js";
import { createRunner, type EventSpec, type RunnerOptions, type WorkflowRun } from "./runner.js";
import { provenanceSigner, withoutCoreCommands } from "./sign-provenance.js";

export const OWNER = "acme";
export const REPO = "shop";
export const REPOSITORY = `${OWNER}/${REPO}`;
export const REGISTRY = "127.0.0.1:5000";
/** The demo's image repositories: `<prefix>web`, `<prefix>api`. */
export const IMAGE_PREFIX = `${REGISTRY}/acme/shop/`;
export const PULUMI_TOKEN = "pul-shop0000000000000000000000000000000000";
/** The examples' Pulumi project: the kit's app program, copied to infra/app. */
export const PROJECT = "app";
export const WORK_DIR = "infra/app";
/** The stacks the app program reads its cluster from (programs/app/platform.ts). */
export const BASE_STACK = "acme/preview-base/dev";
export const PRODUCTION_BASE_STACK = "acme/preview-base/production";
/**
 * The Pulumi tokens where action-docs/workflows.md says to keep them: each environment's
 * own, as that environment's secret (none at the repository, none passed by a caller).
 */
export const PULUMI_TOKENS = {
  preview: "pul-shop-preview-write-00000000000000000000",
  "preview-approval": "pul-shop-approval-write-0000000000000000000",
  dev: "pul-shop-dev-write-0000000000000000000000000",
  production: "pul-shop-production-write-00000000000000000",
  "preview-plan": "pul-shop-preview-read-000000000000000000000",
  "dev-plan": "pul-shop-dev-read-00000000000000000000000000",
  "production-plan": "pul-shop-production-read-000000000000000000",
} as const;

/** PULUMI_TOKENS as environment secrets: deploy environments' write, plan environments' read. */
export function pulumiEnvironmentSecrets(): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.entries(PULUMI_TOKENS).map(([environment, token]): [string, Record<string, string>] => [
      environment,
      {
        [environment.endsWith("-plan") ? "PULUMI_PLAN_ACCESS_TOKEN" : "PULUMI_ACCESS_TOKEN"]: token,
      },
    ]),
  );
}
export const REVIEWER = "octo-maintainer";
export const AUTHOR = "octo-developer";
/** main's head before the merge; the emulator resolves `main` to it. */
export const MAIN_SHA = "2222222222222222222222222222222222222222";

/** In real mode the consumer's infra is the kit's app program, staged with what it imports. */
export const KIT_WORK_DIR = "infra/programs/app";

/** The real engines a shop deploys with instead of the double. */
export interface ShopEngines {
  /** The engines' directory: pulumi, pulumi-language-nodejs, pulumi-resource-kubernetes. */
  bin: string;
  /** The `file://` backend holding LOCAL_BASE_STACK. */
  backendUrl: string;
  /** The CLI's environment (kitPulumiEnv) but the passphrase, which the jobs get as a secret. */
  env: Record<string, string>;
  passphrase: string;
  /** The control plane's kubeconfig, for the cleanup's namespace check. */
  kubeconfig: string;
  /**
   * Stack config files (`Pulumi.<stack>.yaml`) the platform team committed next to the app
   * program, e.g. dev's and production's secret kubeconfig (preview-base exports none).
   */
  stackConfig?: Record<string, string>;
  /** The app the images run (preview-kit-app from the engines), copied into their contexts. */
  app: string;
}

/**
 * The consumer's edits for a DIY backend: the backend URL, bare stack names (pr-N, dev,
 * production), the local base stack as base-stack-ref and, through the `config` input, as the
 * program's baseStack (dev and production share its control plane, each in its
 * own namespace app-<stack>), the passphrase secret instead of the Pulumi Cloud token, the
 * health check on the Services' in-cluster URLs (`url-outputs: serviceUrls`: the runner runs
 * on the node, and no gateway serves the routes' hostnames), and for previews the migration
 * the app's image runs (`/app migrate`, test/engines/node-images/cmd/preview-kit-app).
 */
function useKitApp(document: Document, backendUrl: string): void {
  for (const job of ["preview", "cleanup", "dev", "production", "sweep"]) {
    if (!document.hasIn(["jobs", job, "uses"])) continue;
    const input = (name: string) => ["jobs", job, "with", name];
    document.setIn(input("cloud-url"), backendUrl);
    document.setIn(input("work-dir"), KIT_WORK_DIR);
    if (document.hasIn(input("stack-project"))) document.setIn(input("stack-project"), "");
    const stack = document.getIn(input("stack"));
    if (typeof stack === "string") document.setIn(input("stack"), stack.split("/").pop());
    if (document.hasIn(input("base-stack-ref"))) {
      document.setIn(input("base-stack-ref"), LOCAL_BASE_STACK);
      document.setIn(input("url-outputs"), "serviceUrls");
      // Through the config input: a preview's reaches the program with prNumber added.
      const migration = JSON.stringify({ command: ["/app", "migrate"] });
      document.setIn(
        input("config"),
        `baseStack: ${LOCAL_BASE_STACK}\n${job === "preview" ? `migration: '${migration}'\n` : ""}`,
      );
    }
    // The examples pass no Pulumi token (each environment holds its own); an older copy may.
    if (document.hasIn(["jobs", job, "secrets", "PULUMI_ACCESS_TOKEN"]))
      document.deleteIn(["jobs", job, "secrets", "PULUMI_ACCESS_TOKEN"]);
    document.setIn(
      ["jobs", job, "secrets", "PULUMI_CONFIG_PASSPHRASE"],
      "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
    );
  }
}

/**
 * The consumer's edits of an example: where its images go, in real mode its backend, and the
 * ref it calls the kit at (the examples' `@v1`, or `kitRef`).
 */
function consumerCopy(
  example: string,
  imagePrefix: string,
  engines?: ShopEngines,
  trustedRoot?: string,
  kitRef?: string,
): string {
  const text = readFileSync(join(repoRoot, "action-docs", "examples", example), "utf8")
    .replaceAll("ghcr.io/acme/shop/", imagePrefix)
    .replace(/^(\s*uses: OWNER\/REPO\/\S+)@v1\b/gm, (_, uses: string) =>
      kitRef ? `${uses}@${kitRef}` : `${uses}@v1`,
    );
  const document = parseDocument(text);
  if (document.getIn(["jobs", "images", "uses"])) {
    document.setIn(["jobs", "images", "with", "image-prefix"], imagePrefix);
    // Without a Sigstore stand-in the runner cannot sign: build-images' attest job is off.
    if (!trustedRoot) document.setIn(["jobs", "images", "with", "attest"], false);
  }
  if (trustedRoot && document.getIn(["jobs", "production", "with", "images"]))
    document.setIn(["jobs", "production", "with", "trusted-root"], trustedRoot);
  if (engines) useKitApp(document, engines.backendUrl);
  return document.toString();
}

export interface Shop {
  root: string;
  /** The prefix of its image repositories: `<imagePrefix>web`, `<imagePrefix>api`. */
  imagePrefix: string;
  github: GitHubEmulator;
  pulumi: PulumiDouble;
  runner: ReturnType<typeof createRunner>;
  /**
   * Writes the tree of a commit: `web` and `api` image contexts, the Pulumi project (in real
   * mode the kit's programs under infra/, work-dir KIT_WORK_DIR).
   */
  commit(sha: string, web: string, api?: string): void;
  /** Holds job `path` of run `run` before it starts, until the returned function is called. */
  hold(run: number, path: string): () => void;
  /** Makes `sha` check out as the tree of commit `tree`. */
  alias(sha: string, tree: string): void;
  /** A pull_request(_target) event for PR `number` at `head`. */
  pullRequestEvent(name: string, action: string, number: number, head: string): EventSpec;
  pushEvent(sha: string): EventSpec;
  /**
   * Signs, as build-images' attest job signs on a pull_request run of pull request `number` at
   * `head` (GitHub's test merge refs/pull/N/merge of it), images no run built here (a test's
   * references in the kit's form; default: what the double deployed for pr-N). A run of the
   * preview attests its own images (the runner's attest stand-in).
   */
  attestPreview(number: number, head: string, images?: Record<string, string>): Promise<void>;
  stack(name: string): ReturnType<PulumiDouble["readStack"]>;
  /** The `images` config the last deploy of a stack set (name -> REPOSITORY@digest). */
  images(stack: string): Record<string, string> | undefined;
  /** Adds (or replaces) pull request `number` with its head at `head`. */
  openPull(number: number, head: string, author?: string): void;
  /** Moves the head of pull request `number`: a push to its branch. */
  push(number: number, head: string): void;
  /** Runs the preview example for a pull_request event. */
  preview(action: string, number: number, head: string): WorkflowRun;
  /** Closes the pull request (merged when `mergeSha` is given) and runs the cleanup example. */
  closePull(number: number, head: string, mergeSha?: string): WorkflowRun;
  /** Merges pull request `number` at `head` as `mergeSha` onto main, running no workflow. */
  merge(number: number, head: string, mergeSha: string): void;
  /**
   * Adds pull request `number` at `head` to the merge queue: the queue's commit `queueSha`
   * (main's head and `head` merged, on top of `base`, default main's head) and the
   * merge_group event GitHub sends for it.
   */
  enqueue(number: number, head: string, queueSha: string, base?: string): EventSpec;
  /** The queue merges that entry: main moves to exactly its commit (no workflow runs). */
  mergeQueued(number: number, queueSha: string): void;
  /** main's head commit. */
  mainHead(): string;
  close(): Promise<void>;
}

export interface ShopOptions {
  /** Deploy with the real engines instead of the double. */
  engines?: ShopEngines;
  /** The app program's `up`/`destroy` takes this long (ms), to cancel it mid-flight. */
  upMs?: number;
  log?: (line: string) => void;
  runner?: Partial<RunnerOptions>;
  /**
   * Sigstore for build-images' attestations: the runner runs the attest job (its stand-in of
   * actions/attest-build-provenance signs through it for the job's OIDC token, from an OIDC
   * stand-in the shop starts); production verifies with its trusted root. Without it the
   * attest job is turned off.
   */
  sigstore?: SigstoreStandIn;
  /** The ref the consumer's workflows call the kit at instead of the examples' v1. */
  kitRef?: string;
  /** Where its images go (`<prefix>web`); default repositories of this shop's own. */
  imagePrefix?: string;
}

export async function startShop(options: ShopOptions = {}): Promise<Shop> {
  const root = mkdtempSync(join(tmpdir(), "shop-"));
  // Suites run side by side against the one registry and build the same pull requests' tags
  // (pr-7): each shop pushes to repositories of its own, unless it is the demo's.
  const imagePrefix =
    options.imagePrefix ?? `${REGISTRY}/acme/shop/${basename(root).toLowerCase()}/`;
  const repository = join(root, "repository");
  const trees = join(root, "trees");
  mkdirSync(join(repository, ".github", "workflows"), { recursive: true });
  for (const example of ["preview.yml", "cleanup.yml", "production.yml", "dev.yml", "sweep.yml"])
    writeFileSync(
      join(repository, ".github", "workflows", example),
      consumerCopy(
        example,
        imagePrefix,
        options.engines,
        options.sigstore && JSON.stringify(options.sigstore.trustedRoot),
        options.kitRef,
      ),
    );

  const app = createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end(`stand-in app: ${request.url}\n`);
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const appHost = `127.0.0.1:${(app.address() as AddressInfo).port}`;

  const github = await createGitHubEmulator();
  github.state.setPermission(OWNER, REPO, AUTHOR, "write");
  github.state.setPermission(OWNER, REPO, REVIEWER, "admin");
  const deployments = deploymentStore(github.state);
  // production.yml wants "Prevent self-review": the merge is the author's, the approval not.
  // The deploy gate wants dev and production deployable from the default branch only.
  const mainOnly = [{ name: "main", type: "branch" as const }];
  Object.assign(deployments.ensureEnvironment(OWNER, REPO, "production"), {
    reviewers: [REVIEWER],
    preventSelfReview: true,
    branchPolicy: mainOnly,
  });
  deployments.ensureEnvironment(OWNER, REPO, "dev").branchPolicy = mainOnly;
  deployments.ensureEnvironment(OWNER, REPO, "preview-approval").reviewers = [REVIEWER];

  const pulumi = createPulumiDouble({
    backend: "cloud",
    org: OWNER,
    project: PROJECT,
    accessToken: PULUMI_TOKEN,
  });
  for (const base of [BASE_STACK, PRODUCTION_BASE_STACK])
    pulumi.addStack(base, {
      // Like the kit's preview-base: no admin kubeconfig (previews' tokens read the base), and
      // the preview deployer's token that previews deploy with.
      outputs: {
        previewKubeconfig: { secret: "apiVersion: v1\nkind: Config\n" },
        domain: appHost,
        routing: "gateway",
      },
    });
  // Production's stack exists before its first deploy: the workflows never create it (upsert is
  // off for production), the platform team runs `pulumi stack init` once.
  pulumi.addStack(`${OWNER}/${PROJECT}/production`);
  const program = {
    resources: [
      {
        type: "kubernetes:apps/v1:Deployment",
        name: "web",
        inputs: { image: "${config:images.web}" },
      },
      {
        type: "kubernetes:apps/v1:Deployment",
        name: "api",
        inputs: { image: "${config:images.api}" },
      },
    ],
    outputs: {
      webUrl: `http://${appHost}/web`,
      apiUrl: `http://${appHost}/api`,
      web: "${config:images.web}",
    },
    ...(options.upMs ? { durationMs: options.upMs } : {}),
  };
  const { PULUMI_ACCESS_TOKEN: _token, ...pulumiEnv } = pulumi.env;

  // The history compare and commits/{ref} read: main's head, the commits written on top of
  // it one after the other, merge commits with main's head and the merged head as parents.
  github.state.addCommit(OWNER, REPO, MAIN_SHA, [], "main");
  const setMain = (sha: string) => deployments.addBranch(OWNER, REPO, "main", { sha });
  setMain(MAIN_SHA);
  const mainHead = () => deployments.resolve(OWNER, REPO, "main") ?? MAIN_SHA;
  let tip = MAIN_SHA;
  const mergeCommit = (sha: string, head: string) =>
    github.state.addCommit(OWNER, REPO, sha, [mainHead(), head], `Merge ${head.slice(0, 7)}`);

  const holds: { run: number; path: string; released: Promise<void> }[] = [];
  /** Merge commits of pull requests and main's commits name another commit's tree. */
  const aliases = new Map<string, string>();
  const commit = (sha: string, web: string, api = "api v1") => {
    const tree = join(trees, sha);
    // main's tree is the first commit written: the pull requests branch off it.
    if (!aliases.has(MAIN_SHA)) aliases.set(MAIN_SHA, sha);
    github.state.addCommit(OWNER, REPO, sha, [tip], web);
    tip = sha;
    rmSync(tree, { recursive: true, force: true });
    // In real mode the images run on the node: the app, serving its page as a non-root user.
    const runs = options.engines ? 'COPY app /app\nUSER 65532\nENTRYPOINT ["/app"]\n' : "";
    const files: Record<string, string> = {
      "web/Dockerfile": `FROM scratch\nCOPY index.html /\n${runs}`,
      "web/index.html": `${web}\n`,
      "api/Dockerfile": `FROM scratch\nCOPY api.txt /\n${runs}`,
      "api/api.txt": `${api}\n`,
      ...(options.engines
        ? {}
        : {
            [`${WORK_DIR}/Pulumi.yaml`]: `name: ${PROJECT}\nruntime: nodejs\ndescription: the shop\n`,
            [`${WORK_DIR}/.pulumi-double.json`]: JSON.stringify(program, null, 2),
          }),
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(tree, path, ".."), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
    if (options.engines) {
      stageKit(join(tree, "infra"));
      for (const [file, text] of Object.entries(options.engines.stackConfig ?? {}))
        writeFileSync(join(tree, KIT_WORK_DIR, file), text);
      for (const context of ["web", "api"])
        copyFileSync(options.engines.app, join(tree, context, "app"));
    }
  };

  const oidc = options.sigstore ? await startOidcStandIn(options.log) : undefined;
  const runner = createRunner({
    github,
    ...(options.sigstore && oidc
      ? { oidc, signProvenance: provenanceSigner(options.sigstore, oidc) }
      : {}),
    consumerRoot: repository,
    repository: REPOSITORY,
    source: (sha) => join(trees, aliases.get(sha) ?? sha),
    secrets: options.engines
      ? {
          PULUMI_CONFIG_PASSPHRASE: options.engines.passphrase,
          PREVIEW_KUBECONFIG: options.engines.kubeconfig,
        }
      : {},
    environmentSecrets: options.engines ? {} : pulumiEnvironmentSecrets(),
    toolPath: [options.engines?.bin ?? pulumi.binDir],
    env: { ...(options.engines?.env ?? pulumiEnv), PREVIEW_KIT_RETRY_BASE_MS: "50" },
    approve: async () => false,
    beforeJob: async (run, path) => {
      for (const hold of holds) if (hold.run === run && hold.path === path) await hold.released;
    },
    root: join(root, "runs"),
    log: options.log,
    ...options.runner,
  });

  const pullRequestEvent = (
    name: string,
    action: string,
    number: number,
    head: string,
  ): EventSpec => {
    const stored = pull(number);
    // The merge commit GitHub makes for the run has the head's tree (nothing else changed).
    const merge = `3e${head.slice(2)}`;
    aliases.set(merge, aliases.get(head) ?? head);
    mergeCommit(merge, head);
    return {
      name,
      sha: name === "pull_request_target" ? MAIN_SHA : merge,
      ref: name === "pull_request_target" ? "refs/heads/main" : `refs/pull/${number}/merge`,
      actor: stored?.author ?? AUTHOR,
      payload: {
        action,
        number,
        pull_request: {
          number,
          state: stored?.state ?? "open",
          merged: Boolean(stored?.mergeCommitSha),
          user: { login: stored?.author ?? AUTHOR },
          head: {
            sha: head,
            ref: stored?.headRef ?? `feature-${number}`,
            repo: { full_name: stored?.headRepo ?? REPOSITORY },
          },
          base: { ref: "main", repo: { full_name: REPOSITORY } },
        },
        repository: { full_name: REPOSITORY, default_branch: "main" },
        sender: { login: stored?.author ?? AUTHOR },
      },
    };
  };
  const pull = (number: number) => github.state.pull(OWNER, REPO, number);
  const merge = (number: number, head: string, mergeSha: string) => {
    const stored = pull(number);
    if (!stored) throw new Error(`no pull request #${number}`);
    stored.state = "closed";
    stored.mergeCommitSha = mergeSha;
    aliases.set(mergeSha, head);
    mergeCommit(mergeSha, head);
    setMain(mergeSha);
  };
  return {
    root,
    imagePrefix,
    github,
    pulumi,
    runner,
    commit,
    alias: (sha: string, tree: string) => aliases.set(sha, tree),
    hold(run: number, path: string) {
      let release = () => {};
      holds.push({ run, path, released: new Promise<void>((resolve) => (release = resolve)) });
      return () => release();
    },
    pullRequestEvent,
    async attestPreview(number: number, head: string, given?: Record<string, string>) {
      const sigstore = options.sigstore;
      if (!sigstore) throw new Error("attestPreview needs ShopOptions.sigstore");
      const testMerge = createHash("sha1").update(`test merge ${number} ${head}`).digest("hex");
      github.state.addCommit(OWNER, REPO, testMerge, [mainHead(), head]);
      sigstore.actAs({
        repository: REPOSITORY,
        repositoryId: "1",
        eventName: "pull_request",
        ref: `refs/pull/${number}/merge`,
        sha: testMerge,
        workflowRef: `${REPOSITORY}/.github/workflows/preview.yml@refs/pull/${number}/merge`,
        jobWorkflowRef: "OWNER/REPO/.github/workflows/build-images.yml@refs/tags/v1",
      });
      const images =
        given ??
        (pulumi.readStack(`${OWNER}/${PROJECT}/pr-${number}`)?.config[`${PROJECT}:images`]
          ?.value as Record<string, string> | undefined);
      const { attestProvenance } = await import("@actions/attest");
      for (const ref of Object.values(images ?? {})) {
        const [repository = "", digest = ""] = ref.split("@");
        const { bundle } = await withoutCoreCommands(() =>
          attestProvenance({
            subjects: [{ name: repository, digest: { sha256: digest.slice("sha256:".length) } }],
            token: "unused",
            sigstore: "github",
            skipWrite: true,
          }),
        );
        attestationStore(github.state).add(OWNER, REPO, bundle);
      }
    },
    pushEvent(sha: string): EventSpec {
      // A merge's push: main was at the merge commit's first parent before it.
      const before = github.state.commit(OWNER, REPO, sha)?.parents[0] ?? MAIN_SHA;
      return {
        name: "push",
        sha,
        ref: "refs/heads/main",
        // Who merged: the author, so the production reviewer is someone else.
        actor: AUTHOR,
        payload: {
          ref: "refs/heads/main",
          before,
          after: sha,
          repository: { full_name: REPOSITORY, default_branch: "main" },
          sender: { login: AUTHOR },
        },
      };
    },
    stack: (name: string) => pulumi.readStack(name),
    images: (stack: string) =>
      pulumi.readStack(stack)?.config[`${PROJECT}:images`]?.value as
        Record<string, string> | undefined,
    openPull(number: number, head: string, author?: string) {
      github.state.addPull(OWNER, REPO, number, {
        author: author ?? AUTHOR,
        headSha: head,
        headRef: `feature-${number}`,
      });
    },
    push(number: number, head: string) {
      const stored = pull(number);
      if (!stored) throw new Error(`no pull request #${number}`);
      stored.headSha = head;
    },
    preview(action: string, number: number, head: string) {
      return runner.trigger(
        ".github/workflows/preview.yml",
        pullRequestEvent("pull_request", action, number, head),
      );
    },
    merge,
    enqueue(number: number, head: string, queueSha: string, base = mainHead()): EventSpec {
      // GitHub's "Managing a merge queue": the queue tests a temporary branch
      // gh-readonly-queue/<base branch>/pr-<N>-<head> holding the base and the pull request;
      // "Events that trigger workflows", merge_group: GITHUB_SHA and GITHUB_REF are the merge
      // group's, the payload's merge_group has head_sha, head_ref, base_sha and base_ref.
      github.state.addCommit(OWNER, REPO, queueSha, [base, head], `Merge #${number} (queue)`);
      aliases.set(queueSha, aliases.get(head) ?? head);
      const headRef = `refs/heads/gh-readonly-queue/main/pr-${number}-${head}`;
      return {
        name: "merge_group",
        sha: queueSha,
        ref: headRef,
        actor: AUTHOR,
        payload: {
          action: "checks_requested",
          merge_group: {
            head_sha: queueSha,
            head_ref: headRef,
            base_sha: base,
            base_ref: "refs/heads/main",
            head_commit: { id: queueSha, tree_id: queueSha, message: `Merge #${number} (queue)` },
          },
          repository: { full_name: REPOSITORY, default_branch: "main" },
          sender: { login: AUTHOR },
        },
      };
    },
    mergeQueued(number: number, queueSha: string) {
      const stored = pull(number);
      if (!stored) throw new Error(`no pull request #${number}`);
      stored.state = "closed";
      // The pull request's merge commit is the queue's commit, and main fast-forwards to it.
      stored.mergeCommitSha = queueSha;
      setMain(queueSha);
    },
    mainHead,
    closePull(number: number, head: string, mergeSha?: string) {
      const stored = pull(number);
      if (!stored) throw new Error(`no pull request #${number}`);
      stored.state = "closed";
      if (mergeSha) merge(number, head, mergeSha);
      return runner.trigger(
        ".github/workflows/cleanup.yml",
        pullRequestEvent("pull_request_target", "closed", number, head),
      );
    },
    async close() {
      await oidc?.close();
      await github.close();
      await new Promise<void>((resolve) => {
        app.closeAllConnections();
        app.close(() => resolve());
      });
      pulumi.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
