/**
 * The update lock, as the real CLI holds it. An update, refresh or destroy takes the stack's
 * lock for as long as it runs; a preview takes none (recorded: preview-while-locked.json).
 * DIY backends keep it as the real CLI does (pkg/backend/diy/lock.go): one file per holder,
 * `<backend>/.pulumi/locks/<org>/<project>/<stack>/<id>.json` with its pid, user, host and
 * time; an operation fails "locked" while another holder's file is there (recorded:
 * up-locked.json), and `pulumi cancel` deletes every file of the stack. For Pulumi Cloud the
 * double keeps its own marker and answers a held lock with the Cloud's 409, which no local
 * engine can produce. A SIGKILL leaves either behind until `pulumi cancel`.
 *
 * `hold`: `durationMs` in the program file makes an operation last that long; the first
 * SIGINT or SIGTERM cancels it as the real CLI's first ^C does (the in-flight operation
 * finishes, the lock is released, exit 1 with an `update canceled` diagnostic), a second
 * terminates it (exit 8, `error: update cancelled`).
 *
 * The `hang` fault: an engine operation that takes the lock and never finishes, as a CLI
 * stuck on a resource operation does, recording each signal it gets in signals.ndjson.
 * Like the real CLI (pkg/backend/cancellation_scope.go) the first SIGINT or SIGTERM
 * starts a cancel and a second one terminates: it then releases the lock and ends as above
 * (after `windDownMs` on the first signal); with `stuck: true` (the in-flight operation
 * never returns) it stays put until SIGKILL and so leaves the lock.
 * Either way it starts a child (`sleep`, standing in for a provider plugin) in a process
 * group of its own and records its pid, so a test can check nothing outlives the step.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import { clearInterval, setInterval, setTimeout } from "node:timers";
import { CliError, errors } from "./failures.mjs";
import { stateDir } from "./store.mjs";

function fileBackendDir(url) {
  return url.startsWith("file://") ? url.slice("file://".length).replace(/\?.*$/, "") : undefined;
}

function lockDir(url, ref) {
  const dir = fileBackendDir(url);
  return dir && join(dir, ".pulumi", "locks", ref.org, ref.project, ref.stack);
}

/** Fails as the real CLI does while another process holds the stack's DIY lock. */
function checkLock(url, ref) {
  const dir = lockDir(url, ref);
  if (!dir || !existsSync(dir)) return;
  const files = readdirSync(dir).filter((name) => name.endsWith(".json"));
  if (files.length === 0) return;
  const lines = files.map((name) => {
    const lock = JSON.parse(readFileSync(join(dir, name), "utf8"));
    return `  ${url}/.pulumi/locks/${ref.org}/${ref.project}/${ref.stack}/${name}: created by ${lock.username}@${lock.hostname} (pid ${lock.pid}) at ${lock.timestamp}`;
  });
  throw new CliError(
    "generic",
    `the stack is currently locked by ${files.length} lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.`,
    lines,
  );
}

function takeDiyLock(url, ref) {
  checkLock(url, ref);
  const dir = lockDir(url, ref);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${randomUUID()}.json`);
  const content = {
    pid: process.pid,
    username: userInfo().username,
    hostname: hostname(),
    timestamp: new Date().toISOString(),
  };
  writeFileSync(file, JSON.stringify(content));
  return () => rmSync(file, { force: true });
}

/** Pulumi Cloud's update in progress, as the double keeps it (no local engine has one). */
const cloudLockFile = (ref) => join(stateDir(), "locks", ref.org, ref.project, `${ref.stack}.json`);

function takeCloudLock(ref) {
  const file = cloudLockFile(ref);
  if (existsSync(file)) throw errors.conflict();
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify({ pid: process.pid }));
  return () => rmSync(file, { force: true });
}

/** Takes the stack's lock for `command`, or fails as the real CLI does; returns the release. */
export function takeLock(ref, backend, command) {
  if (command === "preview") return () => {};
  return lockDir(backend.url, ref) ? takeDiyLock(backend.url, ref) : takeCloudLock(ref);
}

/**
 * What the real CLI 3.274.1 prints on a signal (pkg/backend/cancellation_scope.go): the first
 * SIGINT/SIGTERM cancels, a second terminates; `preview` omits the note.
 */
function announce(signal, first, isPreview) {
  const name = signal === "SIGTERM" ? "SIGTERM" : "^C";
  if (!first) return process.stdout.write(`${name} received; terminating\n`);
  const again = signal === "SIGTERM" ? "send SIGTERM again" : "press ^C again";
  process.stdout.write(
    `${name} received; cancelling. If you would like to terminate immediately, ${again}.\n` +
      (isPreview
        ? ""
        : "Note that terminating immediately may lead to orphaned resources and other inconsistencies.\n"),
  );
}

/**
 * How the real CLI ends a cancelled operation. Cancelled (one signal): the engine reports
 * "update canceled" (pkg/resource/deploy/deployment_executor.go reportExecResult) as a
 * diagnostic and bails: exit 1, nothing on stderr. Terminated (a second signal): stderr
 * `error: update cancelled` (pkg/backend/backenderr CancelledError), exit 8. Seen on the
 * real engine: test/real-pulumi/pulumi-deploy-parity.test.ts.
 */
function cancelledEnding(ctx, operation, terminated) {
  if (terminated) return errors.cancelled(operation);
  process.stdout.write(
    `Diagnostics:\n  pulumi:pulumi:Stack (${ctx.ref.project}-${ctx.ref.stack}):\n    error: ${operation === "preview" ? "preview" : "update"} canceled\n`,
  );
  return errors.engineFailed();
}

/** Waits `ms`; a signal ends it as the real CLI's cancel does (see cancelledEnding). */
export function hold(ctx, ms, operation) {
  return new Promise((resolve, reject) => {
    let signals = 0;
    const onSignal = (signal) => {
      signals++;
      announce(signal, signals === 1, operation === "preview");
      if (signals === 1) return;
      clearTimeout(timer);
      done();
      reject(cancelledEnding(ctx, operation, true));
    };
    const done = () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    };
    // The in-flight operation finishes before a cancelled update ends, as in the real engine.
    const timer = setTimeout(() => {
      done();
      if (signals > 0) reject(cancelledEnding(ctx, operation, false));
      else resolve();
    }, ms);
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/** `pulumi cancel [--stack S] --yes`: deletes the stack's locks. */
export function cancel(backend, ref, flags) {
  if (!flags.yes) throw errors.needsYes("--yes");
  const dir = lockDir(backend.url, ref);
  const held = dir
    ? existsSync(dir) && readdirSync(dir).length > 0
    : existsSync(cloudLockFile(ref));
  if (dir) rmSync(dir, { recursive: true, force: true });
  rmSync(cloudLockFile(ref), { force: true });
  process.stdout.write(
    held
      ? `The currently running update for '${ref.stack}' has been canceled!\n`
      : `error: no update is in progress for '${ref.stack}'\n`,
  );
}

function record(entry) {
  appendFileSync(join(stateDir(), "signals.ndjson"), JSON.stringify(entry) + "\n");
}

/** The `hang` fault: see the top of this file. Settles only by a signal. */
export function hang(ctx, operation, flags, fault, unlock) {
  if (flags["event-log"]) {
    const prelude = { sequence: 0, timestamp: Math.floor(Date.now() / 1000), preludeEvent: {} };
    writeFileSync(flags["event-log"], JSON.stringify(prelude) + "\n");
  }
  // In a process group of its own, as the real CLI starts every plugin (sdk/go/common/util/
  // cmdutil/child_unix.go RegisterProcessGroup): a signal to the CLI's group misses it.
  const plugin = spawn("sleep", ["300"], { stdio: "ignore", detached: true });
  plugin.unref();
  record({ started: process.pid, plugin: plugin.pid });
  const kind = operation === "up" ? "update" : operation;
  return new Promise((_resolve, reject) => {
    const alive = setInterval(() => {}, 1_000);
    let signals = 0;
    const end = (terminated) => {
      clearInterval(alive);
      unlock();
      plugin.kill("SIGKILL");
      reject(cancelledEnding(ctx, kind, terminated));
    };
    const onSignal = (signal) => {
      record({ signal, pid: process.pid });
      signals++;
      if (fault.stuck) return;
      announce(signal, signals === 1, false);
      if (signals === 1) setTimeout(() => end(false), fault.windDownMs ?? 100);
      else end(true);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    // Only now that the signals are handled: the test waits for this line to cancel.
    process.stdout.write(
      `Updating (${ctx.ref.stack}):\n    pulumi:pulumi:Stack app-${ctx.ref.stack} running\n`,
    );
    process.stdout.write("pulumi double: hanging\n");
  });
}
