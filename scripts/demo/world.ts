/**
 * Everything the story runs against, started once and stopped once: the GitHub and
 * Kubernetes emulators, the Pulumi CLI double, the app stand-in, and the real Docker engine
 * and registry when they answer. Every temp dir (the harness's runner dirs included) lives
 * under one root that close() removes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createGitHubEmulator, type GitHubEmulator } from "../../test/emulators/github/server.js";
import {
  createKubernetesEmulator,
  type KubernetesEmulator,
} from "../../test/emulators/kubernetes/server.js";
import {
  createPulumiDouble,
  PULUMI_DOUBLE_BIN,
  type PulumiDouble,
} from "../../test/emulators/pulumi/double.js";
import { repoRoot } from "../../test/harness/paths.js";
import { startAppStandIn, type AppStandIn } from "./app-server.js";
import { dockerAvailability, pulumiAvailability, type Availability } from "./parts.js";
import { APP_PROGRAM, baseStack } from "./program.js";
import { AUTHOR, BASE_STACK, OWNER, PR, REPO, COMMITS } from "./pull-request.js";

export interface World {
  root: string;
  github: GitHubEmulator;
  kubernetes: KubernetesEmulator;
  pulumi: PulumiDouble;
  app: AppStandIn;
  docker: Availability;
  real: string[];
  standIns: string[];
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const root = mkdtempSync(join(tmpdir(), "preview-kit-demo-"));
  // os.tmpdir() reads TMPDIR on every call: the harness and the double now create under root.
  process.env.TMPDIR = root;
  const docker = await dockerAvailability();
  const pulumiCli = pulumiAvailability();
  const github = await createGitHubEmulator();
  const kubernetes = await createKubernetesEmulator();
  const app = await startAppStandIn();
  const pulumi = createPulumiDouble({
    backend: "cloud",
    org: OWNER,
    project: "app",
    program: APP_PROGRAM,
  });
  pulumi.addStack(BASE_STACK, baseStack(kubernetes.kubeconfig(), app.host));

  github.state.addPull(OWNER, REPO, PR, {
    title: "Add a greeting to the home page",
    author: AUTHOR,
    headSha: COMMITS.A,
  });
  github.state.setPermission(OWNER, REPO, AUTHOR, "write");

  const where = (path: string) => relative(repoRoot, path);
  const real = docker.ok ? [`build-image: ${docker.reason}`] : [];
  const standIns = [
    `GitHub API: the GitHub emulator (test/emulators/github) at ${github.url}`,
    `Kubernetes: the Kubernetes emulator (test/emulators/kubernetes) at ${kubernetes.url}`,
    `Pulumi: ${pulumiCli.ok ? `${pulumiCli.reason} found, but the demo does not deploy with them yet` : pulumiCli.reason}; ` +
      `using the Pulumi CLI double (${where(PULUMI_DOUBLE_BIN)}/pulumi) with an emulated Pulumi Cloud, org ${OWNER}`,
    `App: a local HTTP server at ${app.host} stands in for the deployed web and api`,
    ...(docker.ok ? [] : [`Docker: ${docker.reason}: build-image skipped, stand-in digests`]),
  ];

  return {
    root,
    github,
    kubernetes,
    pulumi,
    app,
    docker,
    real,
    standIns,
    async close() {
      await Promise.allSettled([github.close(), kubernetes.close(), app.close()]);
      pulumi.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
