/**
 * The update lock, as the real CLI holds it: an engine operation (up, preview, destroy,
 * refresh) takes the stack's lock for as long as it runs. SIGINT or SIGTERM cancels it the
 * way the real CLI does on the first ^C: it stops, releases the lock and fails with
 * "update cancelled"; a SIGKILL leaves the lock behind, and every later operation on the
 * stack fails as it would against a held lock (DIY: the lock file; Cloud: 409) until
 * `pulumi cancel` clears it. `durationMs` in the program file makes an operation last that
 * long (checked against the real CLI's behaviour: see ../README.md).
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { errors } from "./failures.mjs";
import { readJson, stateDir, writeJson } from "./store.mjs";

const lockFile = (ref) => join(stateDir(), "locks", ref.org, ref.project, `${ref.stack}.json`);

export function takeLock(ref, backend, command) {
  const file = lockFile(ref);
  if (existsSync(file)) {
    if (!backend.diy) throw errors.conflict();
    const held = readJson(file, {});
    throw errors.locked(
      `${backend.url}/.pulumi/locks/${ref.org}/${ref.project}/${ref.stack}/${held.id}.json`,
    );
  }
  writeJson(file, { id: `${process.pid}-${Date.now()}`, pid: process.pid, command });
  return () => rmSync(file, { force: true });
}

export function clearLock(ref) {
  const file = lockFile(ref);
  const held = existsSync(file);
  rmSync(file, { force: true });
  return held;
}

/** Waits `ms`, rejecting with the CLI's cancellation error on SIGINT or SIGTERM. */
export function hold(ms, operation) {
  return new Promise((resolve, reject) => {
    const cancel = () => {
      clearTimeout(timer);
      process.stderr.write(
        "^C received; cancelling. If you would like to terminate immediately, press ^C again.\n",
      );
      reject(errors.cancelled(operation));
    };
    const timer = setTimeout(() => {
      process.off("SIGINT", cancel);
      process.off("SIGTERM", cancel);
      resolve();
    }, ms);
    process.once("SIGINT", cancel);
    process.once("SIGTERM", cancel);
  });
}
