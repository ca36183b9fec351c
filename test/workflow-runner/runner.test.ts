/**
 * The local runner's own promises, on small consumer workflows: the runner's shell command
 * lines, secrets a called workflow did not declare, the job token's permissions enforced by
 * the GitHub emulator, `$/` and `./` resolved as GitHub documents them, cancel-in-progress
 * delivering SIGINT to a running step, and a dispatch's typed `inputs` context.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubEmulator, type GitHubEmulator } from "../emulators/github/server.js";
import { ConcurrencyGroups } from "./concurrency.js";
import { createRunner, type EventSpec } from "./runner.js";

let github: GitHubEmulator;
let root: string;
const push: EventSpec = { name: "push", sha: "a".repeat(40), ref: "refs/heads/main", payload: {} };

function runnerWith(workflows: Record<string, string>): ReturnType<typeof createRunner>;
function runnerWith(
  workflows: Record<string, string>,
  packageRoot: string,
): { runner: ReturnType<typeof createRunner>; consumerRoot: string };
function runnerWith(workflows: Record<string, string>, packageRoot?: string) {
  const repository = mkdtempSync(join(root, "repo-"));
  mkdirSync(join(repository, ".github", "workflows"), { recursive: true });
  for (const [name, text] of Object.entries(workflows))
    writeFileSync(join(repository, ".github", "workflows", name), text);
  const runner = createRunner({
    github,
    ...(packageRoot ? { packageRoot } : {}),
    consumerRoot: repository,
    repository: "acme/shop",
    secrets: { ONE: "secret-one-value", TWO: "secret-two-value" },
    cancelTimings: { sigtermAfterMs: 500, killAfterMs: 500 },
    root: join(repository, "runs"),
  });
  return packageRoot ? { runner, consumerRoot: repository } : runner;
}

beforeAll(async () => {
  github = await createGitHubEmulator();
  github.state.addPull("acme", "shop", 1);
  root = mkdtempSync(join(tmpdir(), "runner-test-"));
});
afterAll(async () => {
  await github.close();
  rmSync(root, { recursive: true, force: true });
});

describe("the local runner", () => {
  it("runs the attest stand-in only for a job with id-token: write, as GitHub's action fails without it", async () => {
    const repository = mkdtempSync(join(root, "repo-"));
    mkdirSync(join(repository, ".github", "workflows"), { recursive: true });
    writeFileSync(
      join(repository, ".github", "workflows", "a.yml"),
      `on: push
jobs:
  attest:
    runs-on: ubuntu-latest
    permissions:
      attestations: write
    steps:
      - uses: actions/attest-build-provenance@a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32
        with:
          subject-name: ghcr.io/acme/shop/web
          subject-digest: sha256:${"e".repeat(64)}
`,
    );
    const signed: string[] = [];
    const runner = createRunner({
      github,
      consumerRoot: repository,
      repository: "acme/shop",
      signProvenance: async (_token, subject) => {
        signed.push(subject.name);
        return {};
      },
      root: join(repository, "runs"),
    });
    const run = runner.trigger(".github/workflows/a.yml", push);
    expect(await run.done).toBe("failure");
    expect(run.record.jobs[0]?.log.join("\n")).toContain(
      "Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable",
    );
    expect(signed).toEqual([]);
  });

  it("gives a run Dependabot started only Dependabot secrets and, where no permissions: says, a read-only token", async () => {
    const repository = mkdtempSync(join(root, "repo-"));
    mkdirSync(join(repository, ".github", "workflows"), { recursive: true });
    writeFileSync(
      join(repository, ".github", "workflows", "p.yml"),
      `on: pull_request
jobs:
  show:
    runs-on: ubuntu-latest
    environment: e
    outputs:
      seen: \${{ steps.s.outputs.seen }}
    steps:
      - id: s
        env:
          ONE: \${{ secrets.ONE }}
          DEP: \${{ secrets.DEP }}
          ENVS: \${{ secrets.ENVS }}
        run: echo "seen=\${ONE:+one} \${DEP:+dep} \${ENVS:+envs}" >>"$GITHUB_OUTPUT"
`,
    );
    const runner = createRunner({
      github,
      consumerRoot: repository,
      repository: "acme/shop",
      secrets: { ONE: "secret-one-value" },
      dependabotSecrets: { DEP: "dependabot-secret-value" },
      environmentSecrets: { e: { ENVS: "environment-secret-value" } },
      root: join(repository, "runs"),
    });
    const event = (actor: string): EventSpec => ({
      name: "pull_request",
      sha: "a".repeat(40),
      ref: "refs/pull/1/merge",
      actor,
      payload: { action: "opened", pull_request: { number: 1, base: { ref: "main" } } },
    });
    const seen = async (actor: string) => {
      const run = runner.trigger(".github/workflows/p.yml", event(actor));
      expect(await run.done).toBe("success");
      const job = run.record.jobs[0];
      return { seen: job?.outputs.seen, permissions: job?.permissions };
    };
    const dependabot = await seen("dependabot[bot]");
    expect(dependabot.seen).toBe(" dep ");
    expect(dependabot.permissions?.contents).toBe("read");
    expect(dependabot.permissions?.deployments).toBe("read");
    expect(Object.values(dependabot.permissions ?? {})).not.toContain("write");
    const person = await seen("octo-developer");
    expect(person.seen).toBe("one  envs");
    expect(person.permissions).toEqual({ contents: "read", packages: "read" });
  });

  it("fills the inputs context of a workflow_dispatch run, typed, as GitHub does", async () => {
    const runner = runnerWith({
      "d.yml": `on:
  workflow_dispatch:
    inputs:
      pr_number: { type: number, required: true }
      dry: { type: boolean, default: true }
      level: { type: choice, options: [low, high], default: low }
      note: { type: string }
jobs:
  show:
    runs-on: ubuntu-latest
    outputs:
      types: \${{ steps.t.outputs.types }}
    steps:
      - id: t
        env:
          TYPES: "\${{ format('{0} {1} {2} {3} {4}', toJSON(inputs.pr_number), toJSON(inputs.dry), toJSON(github.event.inputs.pr_number), inputs.level, toJSON(inputs.note)) }}"
        run: echo "types=$TYPES" >>"$GITHUB_OUTPUT"
`,
    });
    const dispatch = (inputs: Record<string, string>): EventSpec => ({
      name: "workflow_dispatch",
      sha: "a".repeat(40),
      ref: "refs/heads/main",
      payload: { inputs },
    });
    const run = runner.trigger(".github/workflows/d.yml", dispatch({ pr_number: "7" }));
    expect(await run.done).toBe("success");
    // A number and a boolean keep their types (a default too); the payload keeps the string.
    expect(run.record.jobs[0]?.outputs.types).toBe('7 true "7" low ""');
    for (const [inputs, why] of [
      [{}, "Required input 'pr_number' not provided"],
      [{ pr_number: "x" }, "Provided value 'x' for input 'pr_number' is not a number"],
      [{ pr_number: "7", level: "mid" }, "not in the list of allowed values"],
      [{ pr_number: "7", other: "1" }, 'Unexpected inputs provided: ["other"]'],
    ] as const) {
      const refused = runner.trigger(".github/workflows/d.yml", dispatch(inputs));
      expect(await refused.done).toBe("failure");
      expect(refused.record.log.join("\n")).toContain(why);
      expect(refused.record.jobs).toEqual([]);
    }
  });

  it("runs a step without a shell as bash -e {0} and `shell: bash` with pipefail", async () => {
    const runner = runnerWith({
      "w.yml": `on: push
jobs:
  plain:
    runs-on: ubuntu-latest
    steps:
      - run: false | true
  strict:
    runs-on: ubuntu-latest
    steps:
      - run: false | true
        shell: bash
`,
    });
    const run = runner.trigger(".github/workflows/w.yml", push);
    expect(await run.done).toBe("failure");
    const result = (path: string) => run.record.jobs.find((j) => j.path === path);
    expect(result("plain")?.result).toBe("success");
    expect(result("plain")?.steps[0]?.kind).toBe("run (bash -e {0})");
    expect(result("strict")?.result).toBe("failure");
    expect(result("strict")?.steps[0]?.kind).toBe("run (bash --noprofile --norc -eo pipefail {0})");
  });

  it("refuses a secret the called workflow does not declare, and shows it only what it does", async () => {
    const called = `on:
  workflow_call:
    secrets:
      ONE:
        required: true
jobs:
  show:
    runs-on: ubuntu-latest
    steps:
      - run: echo "one=\${#ONE} two=\${#TWO}"
        env:
          ONE: \${{ secrets.ONE }}
          TWO: \${{ secrets.TWO }}
`;
    const runner = runnerWith({
      "called.yml": called,
      "good.yml": `on: push
jobs:
  call:
    uses: ./.github/workflows/called.yml
    secrets:
      ONE: \${{ secrets.ONE }}
`,
      "bad.yml": `on: push
jobs:
  call:
    uses: ./.github/workflows/called.yml
    secrets:
      ONE: \${{ secrets.ONE }}
      TWO: \${{ secrets.TWO }}
`,
    });
    const good = runner.trigger(".github/workflows/good.yml", push);
    expect(await good.done).toBe("success");
    expect(good.record.jobs[0]?.log).toContain("one=16 two=0");
    const bad = runner.trigger(".github/workflows/bad.yml", push);
    expect(await bad.done).toBe("failure");
    expect(bad.record.log.join("\n")).toContain(
      "Invalid secret, TWO is not defined in the referenced workflow.",
    );
  });

  it("gives the job token only its permissions, enforced by the emulator", async () => {
    const step = (permissions: string) => `  ${permissions.replace(/\W/g, "") || "none"}:
    runs-on: ubuntu-latest
    permissions: ${permissions}
    steps:
      - run: gh api repos/acme/shop/pulls/1 --jq .number
        shell: bash
        env:
          GH_TOKEN: \${{ github.token }}
`;
    const runner = runnerWith({
      "w.yml": `on: push\njobs:\n${step("{}")}${step("{ pull-requests: read }")}`,
    });
    const run = runner.trigger(".github/workflows/w.yml", push);
    await run.done;
    const none = run.record.jobs.find((j) => j.path === "none");
    const read = run.record.jobs.find((j) => j.path === "pullrequestsread");
    expect(none?.result).toBe("failure");
    expect(none?.log.join("\n")).toContain("Resource not accessible by integration (HTTP 403)");
    expect(read?.result).toBe("success");
    expect(read?.log).toContain("1");
  });

  it("resolves $/ to the repository of the file it is in, at any nesting; ./ only in the caller's repository or workspace", async () => {
    // A package (standing in for OWNER/REPO at v1) and a consumer with an action of the
    // same name: which one ran shows in the output.
    const kit = mkdtempSync(join(root, "kit-"));
    const action = (dir: string, says: string) => {
      mkdirSync(join(dir, "actions", "hello"), { recursive: true });
      writeFileSync(
        join(dir, "actions", "hello", "action.yml"),
        `name: hello\ndescription: says hello\nruns:\n  using: composite\n  steps:\n    - run: echo "hello from ${says}"\n      shell: bash\n`,
      );
    };
    action(kit, "the package");
    mkdirSync(join(kit, ".github", "workflows"), { recursive: true });
    const called = (jobs: string) => `on:\n  workflow_call:\npermissions: {}\njobs:\n${jobs}`;
    writeFileSync(
      join(kit, ".github", "workflows", "outer.yml"),
      called("  inner:\n    uses: $/.github/workflows/inner.yml\n"),
    );
    writeFileSync(
      join(kit, ".github", "workflows", "inner.yml"),
      called(`  self:
    runs-on: ubuntu-latest
    steps:
      - uses: $/actions/hello
  dot:
    runs-on: ubuntu-latest
    steps:
      - uses: ./actions/hello
`),
    );
    const consumer = runnerWith(
      {
        "w.yml": `on: push
jobs:
  kit:
    uses: OWNER/REPO/.github/workflows/outer.yml@v1
  own:
    runs-on: ubuntu-latest
    steps:
      - uses: $/actions/hello
`,
      },
      kit,
    );
    action(consumer.consumerRoot, "the consumer");
    const run = consumer.runner.trigger(".github/workflows/w.yml", push);
    await run.done;
    const job = (path: string) => run.record.jobs.find((j) => j.path === path);
    const self = job("kit / inner / self");
    expect(self?.result, self?.log.join("\n")).toBe("success");
    expect(self?.log).toContain("$/actions/hello: this package at the running commit");
    expect(self?.log).toContain("hello from the package");
    expect(run.record.log).toContain(
      `kit / inner: calls $/.github/workflows/inner.yml (${join(kit, ".github", "workflows", "inner.yml")})`,
    );
    // GitHub looks for a package file's ./actions/ in the job's workspace, where nothing is.
    expect(job("kit / inner / dot")?.result).toBe("failure");
    expect(job("kit / inner / dot")?.log.join("\n")).toMatch(
      /Error: Can't find 'action\.yml', 'action\.yaml' or 'Dockerfile' under '[^']*\/workspace\/actions\/hello'\. Did you forget to run actions\/checkout/,
    );
    expect(job("own")?.result, job("own")?.log.join("\n")).toBe("success");
    expect(job("own")?.log).toContain("hello from the consumer");
  });

  it("cancels a running job of the same group with SIGINT first, then queues the newcomer", async () => {
    const marker = join(root, "sigint");
    const runner = runnerWith({
      "w.yml": `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    concurrency:
      group: one
      cancel-in-progress: true
    steps:
      - run: |
          trap 'echo got SIGINT > "${marker}"; exit 130' INT
          for i in $(seq 1 30); do sleep 0.1; done
        shell: bash
`,
    });
    const first = runner.trigger(".github/workflows/w.yml", push);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const second = runner.trigger(".github/workflows/w.yml", push);
    expect(await first.done).toBe("cancelled");
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    expect(await second.done).toBe("success");
  });
});

describe("concurrency groups (GitHub docs: one pending by default, `queue: max` keeps up to 100 in order)", () => {
  const holder = (label: string, cancelled: string[]) => ({
    label,
    cancel: () => cancelled.push(label),
  });

  it.each([
    ["single", ["b"], ["a", "c"]],
    ["max", [], ["a", "b", "c"]],
  ] as const)("queue: %s", async (queue, expectCancelled, expectOrder) => {
    const groups = new ConcurrencyGroups(() => {});
    const cancelled: string[] = [];
    const order: string[] = [];
    const take = async (label: string) => {
      const release = await groups.acquire("g", holder(label, cancelled), {
        cancelInProgress: false,
        queue,
      });
      if (!release) return;
      order.push(label);
      await new Promise((resolve) => setTimeout(resolve, 10));
      release();
    };
    await Promise.all(["a", "b", "c"].map(take));
    expect(cancelled).toEqual(expectCancelled);
    expect(order).toEqual(expectOrder);
  });

  it("refuses queue: max with cancel-in-progress, as GitHub allows it only without", async () => {
    const groups = new ConcurrencyGroups(() => {});
    await expect(
      groups.acquire("g", holder("a", []), { cancelInProgress: true, queue: "max" }),
    ).rejects.toThrow("queue: max needs cancel-in-progress false or unset");
  });
});
