// Prints, for each bundle, its size (index.js, what a cold start loads, and the whole
// folder with its lazy chunks) and its cold start (bundle loaded, inputs rejected) as a
// ratio to a bare `node -e 0` measured in the same run; medians of several runs. With
// BENCH_BASELINE=<another dist/ folder> (e.g. a `git archive <rev> dist` extracted) it
// measures that one too, interleaved, and prints both: the before and after of a change
// (its preview-comment upsert too, on a pull request of its own on the same emulator);
// BENCH_GITHUB=0 stops there.
// Then whole operations against the loopback GitHub emulator (below). Run through tsx
// (`npm run bench`): the emulator is TypeScript.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { javascriptActionNames, root, selectActions } from "./lib/actions.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const BUNDLE_BUDGET = 1024 * 1024;
const DIST_BUDGET = 5 * 1024 * 1024;
const RATIO_BUDGET = 2.5;

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const dirBytes = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) =>
      sum +
      (entry.isDirectory()
        ? dirBytes(join(dir, entry.name))
        : statSync(join(dir, entry.name)).size),
    0,
  );

// A clean environment with no INPUT_*: every action rejects its required inputs.
const temp = mkdtempSync(join(tmpdir(), "bench-"));
const env = {
  PATH: process.env.PATH,
  GITHUB_OUTPUT: join(temp, "out"),
  GITHUB_STEP_SUMMARY: join(temp, "sum"),
};
function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: "ignore" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: result.status };
}

const names = selectActions(process.argv.slice(2), javascriptActionNames());
const baselineDist = process.env.BENCH_BASELINE;
const dists = { now: join(root, "dist"), ...(baselineDist ? { before: baselineDist } : {}) };
const bare = [];
const samples = Object.fromEntries(
  Object.keys(dists).map((which) => [which, Object.fromEntries(names.map((name) => [name, []]))]),
);
for (let i = 0; i < RUNS; i++) {
  // Interleaved so that machine noise hits the baseline and the bundles alike.
  bare.push(time(["-e", "0"]).ms);
  for (const name of names) {
    for (const [which, dist] of Object.entries(dists)) {
      const { ms, status } = time([join(dist, name, "index.js")]);
      if (status !== 1)
        throw new Error(`${which} ${name}: expected exit 1 on missing inputs, got ${status}`);
      samples[which][name].push(ms);
    }
  }
}

const base = median(bare);
let over = false;
const kib = (bytes) => (bytes / 1024).toFixed(0).padStart(5);
/** index.js KiB, folder KiB, cold ms, ratio of one bundle in one dist/. */
function figures(which, name) {
  const dir = join(dists[which], name);
  const ms = median(samples[which][name]);
  return {
    entry: statSync(join(dir, "index.js")).size,
    bytes: dirBytes(dir),
    ms,
    ratio: ms / base,
  };
}
const row = (f) =>
  `${kib(f.entry)} ${kib(f.bytes)}  ${f.ms.toFixed(1).padStart(7)}  ${f.ratio.toFixed(2).padStart(5)}`;
console.log(`node -e 0: ${base.toFixed(1)} ms (median of ${RUNS})`);
console.log(
  `action               entry   all  cold ms  ratio  budget${baselineDist ? "  | before: entry   all  cold ms  ratio" : ""}`,
);
let total = 0;
for (const name of names) {
  const now = figures("now", name);
  total += now.bytes;
  const ok = now.ratio <= RATIO_BUDGET && now.bytes < BUNDLE_BUDGET;
  over ||= !ok;
  const before = baselineDist ? `  |         ${row(figures("before", name))}` : "";
  console.log(`${name.padEnd(20)} ${row(now)}  ${(ok ? "ok" : "OVER").padEnd(6)}${before}`);
}
over ||= total >= DIST_BUDGET;
console.log(
  `sizes in KiB (entry: index.js; all: the folder); dist/ total: ${(total / 1024).toFixed(0)} KiB (budget ${DIST_BUDGET / 1024} KiB)`,
);
if (process.env.BENCH_GITHUB === "0") {
  if (over) process.exitCode = 1;
  process.exit();
}

// Whole operations, as the runner runs them, against the GitHub emulator on loopback: the
// time of a comment upsert on a pull request with 250 comments, and the requests a
// deactivate of 150 active deployments takes (writes are paced a second apart, as GitHub
// asks of integrations, so that one takes about two and a half minutes: BENCH_DEACTIVATE=0
// skips it).
const { createGitHubEmulator, GITHUB_ACTIONS_BOT, TOKENS } =
  await import("../test/emulators/github/server.ts");
const { deploymentStore } = await import("../test/emulators/github/routes/deployments.ts");
const { formatMarker } = await import("../actions/preview-comment/marker.ts");

/** The peer's figure on the same loopback emulator (marocchino/sticky-pull-request-comment). */
const UPSERT_TARGET_MS = 140;
// 2 GraphQL pages of states + 150 status writes + 1 read of GitHub's production flag
// (`GET .../deployments?environment=…&per_page=1`): deactivate refuses an environment whose
// newest deployment GitHub marks `production_environment`, whatever its name, before any
// write (test/actions/deployment-status.test.ts, "deactivate refuses an environment GitHub
// marks production"). GraphQL's Deployment and Environment have no such field, so the
// bulk query cannot carry it; the request is the guard, not waste.
const DEACTIVATE_BUDGET = 153;
const OWNER = "octo-org";
const REPO = "octo-repo";

function runBundle(name, gh, inputs, event = {}) {
  return runScript(join(root, "dist", name, "index.js"), gh, inputs, event);
}

function runScript(script, gh, inputs, event) {
  const dir = mkdtempSync(join(tmpdir(), "bench-run-"));
  const eventPath = join(dir, "event.json");
  writeFileSync(eventPath, JSON.stringify(event));
  // The runner creates the command files before a step starts.
  for (const file of ["output", "summary"]) writeFileSync(join(dir, file), "");
  const runEnv = {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: gh.url,
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary"),
    RUNNER_TEMP: dir,
    ...Object.fromEntries(
      Object.entries(inputs).map(([key, value]) => [`INPUT_${key.toUpperCase()}`, value]),
    ),
  };
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [script], {
      env: runEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${script} exited ${code}:\n${out}`));
      else resolve(ms);
    });
  });
}

const gh = await createGitHubEmulator();
try {
  const pr = 7;
  const head = "a".repeat(40);
  gh.state.addPull(OWNER, REPO, pr, { headSha: head });
  const marker = formatMarker({ key: "preview", sha: head, runId: 4000, runAttempt: 1 });
  gh.state.addComment(OWNER, REPO, pr, `${marker}\nold`, GITHUB_ACTIONS_BOT.login);
  gh.state.seedComments(OWNER, REPO, pr, 249);
  const event = { pull_request: { number: pr, head: { sha: head } } };
  // The baseline's bundle, when given, updates the same comment on a pull request of its own,
  // interleaved with ours: a fixed target in ms cannot tell a slower machine (a busy one
  // doubles `node -e 0`) from slower code; the same run's baseline can.
  const baselineScript = baselineDist && join(baselineDist, "preview-comment", "index.js");
  const baselinePr = pr + 1;
  if (baselineScript) {
    gh.state.addPull(OWNER, REPO, baselinePr, { headSha: head });
    gh.state.addComment(OWNER, REPO, baselinePr, `${marker}\nold`, GITHUB_ACTIONS_BOT.login);
    gh.state.seedComments(OWNER, REPO, baselinePr, 249);
  }
  // The peer, when given: marocchino/sticky-pull-request-comment's dist/index.js (not part
  // of this package; BENCH_STICKY=path/to/its/dist/index.js), with its own marker comment on
  // the same pull request, run interleaved with ours on the same emulator.
  const peer = process.env.BENCH_STICKY;
  if (peer)
    gh.state.addComment(
      OWNER,
      REPO,
      pr,
      "old\n<!-- Sticky Pull Request Comment -->",
      GITHUB_ACTIONS_BOT.login,
    );
  // The runner passes an action's input defaults as INPUT_* too.
  const peerDefaults = peer
    ? Object.fromEntries(
        Object.entries(
          parse(readFileSync(join(dirname(peer), "..", "action.yml"), "utf8")).inputs ?? {},
        )
          .filter(([, spec]) => spec.default !== undefined)
          .map(([key, spec]) => [key, String(spec.default)]),
      )
    : {};
  const upserts = [];
  const peerUpserts = [];
  const requests = [];
  const peerRequests = [];
  const baselineUpserts = [];
  const baselineRequests = [];
  // The first run warms the emulator (its GraphQL schema); every run updates the comment.
  for (let i = 0; i <= Math.max(RUNS, 5); i++) {
    gh.requests.reset();
    const status = i % 2 === 0 ? "ready" : "failed";
    const ms = await runBundle(
      "preview-comment",
      gh,
      { "github-token": TOKENS.workflow, status, key: "preview", mode: "upsert" },
      event,
    );
    if (i > 0) {
      upserts.push(ms);
      requests.push(gh.requests.count());
    }
    if (baselineScript) {
      gh.requests.reset();
      const baselineMs = await runScript(
        baselineScript,
        gh,
        { "github-token": TOKENS.workflow, status, key: "preview", mode: "upsert" },
        { pull_request: { number: baselinePr, head: { sha: head } } },
      );
      if (i > 0) {
        baselineUpserts.push(baselineMs);
        baselineRequests.push(gh.requests.count());
      }
    }
    if (!peer) continue;
    gh.requests.reset();
    const peerMs = await runScript(
      peer,
      gh,
      { ...peerDefaults, github_token: TOKENS.workflow, message: `Preview ${status}` },
      event,
    );
    if (i > 0) {
      peerUpserts.push(peerMs);
      peerRequests.push(gh.requests.count());
    }
  }
  const upsert = median(upserts);
  const target = peer ? median(peerUpserts) : UPSERT_TARGET_MS;
  const targetSource = peer
    ? `sticky-pull-request-comment measured now, ${Math.max(...peerRequests)} requests`
    : "sticky-pull-request-comment's figure on this emulator; BENCH_STICKY measures it";
  over ||= upsert > target;
  const before = baselineScript
    ? `; before: ${median(baselineUpserts).toFixed(0)} ms, ${Math.max(...baselineRequests)} requests`
    : "";
  console.log(
    `comment upsert, PR with 250 comments: ${upsert.toFixed(0)} ms whole step (median of ${upserts.length}, ${(upsert / base).toFixed(1)}× node -e 0), ${Math.max(...requests)} requests; target ${target.toFixed(0)} ms (${targetSource}) ${upsert <= target ? "ok" : "OVER"}${before}`,
  );

  if (process.env.BENCH_DEACTIVATE !== "0") {
    const store = deploymentStore(gh.state);
    for (let i = 0; i < 150; i++) {
      const d = store.addDeployment(OWNER, REPO, {
        sha: head,
        environment: "preview-pr-7",
        transient: true,
      });
      store.addStatus(d, { state: "success" });
    }
    gh.requests.reset();
    const ms = await runBundle(
      "deployment-status",
      gh,
      {
        "github-token": TOKENS.workflow,
        step: "deactivate",
        environment: "preview-pr-7",
        production: "false",
        "delete-environment": "false",
        "allow-production": "false",
      },
      event,
    );
    const count = gh.requests.count();
    over ||= count > DEACTIVATE_BUDGET;
    console.log(
      `deactivate, 150 active deployments: ${count} requests (budget ${DEACTIVATE_BUDGET}) ${count <= DEACTIVATE_BUDGET ? "ok" : "OVER"}, ${(ms / 1000).toFixed(1)} s with writes paced 1 s apart`,
    );
  }
} finally {
  await gh.close();
}
if (over) process.exitCode = 1;
