// The database janitor's sweep, run by bash exactly as the CronJob runs it, with `psql` and
// `kubectl` replaced by recording doubles.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JANITOR_SCRIPT } from "../../components/kubernetes/janitor-script.js";
import {
  DATABASE_REQUEST_LABEL,
  previewDatabaseName,
} from "../../components/kubernetes/preview-database.js";
import { ofType } from "../support/pulumi-mocks.js";
import { runScenario } from "../support/program-scenarios.js";

interface Sweep {
  databases: string[];
  env?: Record<string, string>;
  /** `kubectl get namespaces -o name` output; undefined makes kubectl fail. */
  namespaces?: string[];
  prefixes?: string;
  failDrop?: string;
  failList?: boolean;
  /** Jobs and Secrets labelled with a preview namespace: `kind name namespace`. */
  leftovers?: string[];
  /** Makes `kubectl get job|secret` fail. */
  failLeftovers?: boolean;
}

function executable(path: string, lines: string[]): void {
  writeFileSync(path, ["#!/usr/bin/env bash", ...lines].join("\n"));
  chmodSync(path, 0o755);
}

function sweep(options: Sweep) {
  const bin = mkdtempSync(join(tmpdir(), "janitor-"));
  const log = join(bin, "psql.log");
  writeFileSync(log, "");
  writeFileSync(join(bin, "databases"), options.databases.map((d) => `${d}\n`).join(""));
  executable(join(bin, "psql"), [
    `printf '%s\\n' "$*" >>'${log}'`,
    `if [[ $* == *"SELECT datname"* ]]; then`,
    options.failList ? "  echo 'psql: error: connection refused' >&2; exit 2" : "  :",
    `  cat '${join(bin, "databases")}'`,
    "fi",
    `if [[ -n "${options.failDrop ?? ""}" && $* == *'"${options.failDrop}"'* ]]; then exit 1; fi`,
  ]);
  if (options.namespaces) {
    writeFileSync(join(bin, "namespaces"), options.namespaces.map((n) => `${n}\n`).join(""));
  }
  const kubectlLog = join(bin, "kubectl.log");
  writeFileSync(kubectlLog, "");
  const leftovers = (kind: string) =>
    (options.leftovers ?? [])
      .filter((l) => l.startsWith(`${kind} `))
      .map((l) => `${l}\n`)
      .join("");
  writeFileSync(join(bin, "job"), leftovers("job"));
  writeFileSync(join(bin, "secret"), leftovers("secret"));
  executable(join(bin, "kubectl"), [
    `printf '%s\\n' "$*" >>'${kubectlLog}'`,
    `[[ $1 == delete ]] && exit 0`,
    `if [[ $1 == get && ($2 == job || $2 == secret) ]]; then`,
    options.failLeftovers ? "  exit 1" : `  cat "${bin}/$2"; exit 0`,
    "fi",
    `[[ $* == "get namespaces -o name" ]] || exit 2`,
    options.namespaces
      ? `cat '${join(bin, "namespaces")}'`
      : `echo 'Error from server (Forbidden): namespaces is forbidden' >&2; exit 1`,
  ]);
  const result = spawnSync("bash", ["-c", JANITOR_SCRIPT], {
    encoding: "utf8",
    // A socket on stdin would make bash read ~/.bashrc, as if started by sshd.
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      KUBECTL: join(bin, "kubectl"),
      OWN_NAMESPACE: "preview-shared",
      NAMESPACE_PREFIX: "preview-pr-",
      DATABASE_PREFIXES: options.prefixes ?? "app shop",
      PREVIEW_LABEL: "preview-kit/preview-namespace",
      ...options.env,
    },
  });
  const calls = readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    drops: calls.filter((c) => c.includes("DROP")),
    kubectl: readFileSync(kubectlLog, "utf8").trim().split("\n").filter(Boolean),
  };
}

interface Metadata {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
}

const drop = (name: string) =>
  `-X -v ON_ERROR_STOP=1 -d postgres -c DROP DATABASE IF EXISTS "${name}" WITH (FORCE) -c DROP ROLE IF EXISTS "${name}"`;
const listed = (...names: string[]) => names.map((n) => `namespace/${n}`);
const DATABASES = [
  "postgres",
  "app_pr_7",
  "app_pr_8",
  "shop_pr_8",
  "app_pr_9x",
  "myapp_pr_7",
  "app_pr_",
  "app",
  "app_dev",
  "other_pr_3",
];

describe("database janitor sweep", () => {
  it("drops exactly the orphaned <prefix>_pr_N databases, quoted, and keeps the rest", () => {
    const result = sweep({
      databases: DATABASES,
      namespaces: listed("default", "kube-system", "preview-shared", "preview-pr-8"),
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.drops).toEqual([drop("app_pr_7")]);
    expect(result.stdout).toContain("keeping app_pr_8: namespace preview-pr-8 exists");
    expect(result.stdout).toContain("keeping shop_pr_8: namespace preview-pr-8 exists");
  });

  it("drops a closed preview's databases of every listed app", () => {
    const result = sweep({
      databases: DATABASES,
      namespaces: listed("preview-shared", "preview-pr-7"),
    });
    expect(result.drops).toEqual([drop("app_pr_8"), drop("shop_pr_8")]);
  });

  it("keeps every database when all previews are live", () => {
    const result = sweep({
      databases: DATABASES,
      namespaces: listed("preview-shared", "preview-pr-7", "preview-pr-8"),
    });
    expect(result.status).toBe(0);
    expect(result.drops).toEqual([]);
  });

  it.each([
    ["kubectl fails", undefined],
    ["the listing is empty", []],
    ["the listing lacks the janitor's own namespace", listed("default", "kube-system")],
    ["the listing has unexpected lines", ["No resources found", ...listed("preview-shared")]],
  ])("drops nothing when %s", (_, namespaces) => {
    const result = sweep({ databases: DATABASES, namespaces });
    expect(result.status).not.toBe(0);
    expect(result.drops).toEqual([]);
    expect(result.stderr).toContain("dropping nothing");
  });

  it("drops nothing when the databases cannot be listed", () => {
    const result = sweep({
      databases: DATABASES,
      namespaces: listed("preview-shared"),
      failList: true,
    });
    expect(result.status).not.toBe(0);
    expect(result.drops).toEqual([]);
  });

  it("refuses a prefix that is not a plain identifier before touching anything", () => {
    const result = sweep({
      databases: DATABASES,
      namespaces: listed("preview-shared"),
      prefixes: "app .*",
    });
    expect(result.status).not.toBe(0);
    expect(result.drops).toEqual([]);
  });

  it("carries on past a failed drop and fails the run", () => {
    const result = sweep({
      databases: DATABASES,
      namespaces: listed("preview-shared"),
      failDrop: "app_pr_7",
    });
    expect(result.status).toBe(1);
    expect(result.drops).toEqual([drop("app_pr_7"), drop("app_pr_8"), drop("shop_pr_8")]);
    expect(result.stderr).toContain("could not drop app_pr_7");
  });

  it("deletes the creating Jobs and admin Secrets of closed previews, listed before the namespaces", () => {
    const result = sweep({
      databases: ["app_pr_7", "app_pr_8"],
      namespaces: listed("preview-shared", "preview-pr-8"),
      leftovers: [
        "job create-app-pr-7 preview-pr-7",
        "job create-app-pr-8 preview-pr-8",
        "secret database-admin-1a2b preview-pr-7",
        "secret database-admin-3c4d preview-pr-8",
        // Not a preview's: kept whatever its namespace.
        "secret staging-admin staging",
      ],
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.drops).toEqual([drop("app_pr_7")]);
    const list = (kind: string) =>
      `get ${kind} -n preview-shared -l preview-kit/preview-namespace -o go-template={{range .items}}${kind} {{.metadata.name}} {{index .metadata.labels "preview-kit/preview-namespace"}}{{"\\n"}}{{end}}`;
    expect(result.kubectl).toEqual([
      list("job"),
      list("secret"),
      "get namespaces -o name",
      "delete job create-app-pr-7 -n preview-shared --ignore-not-found",
      "delete secret database-admin-1a2b -n preview-shared --ignore-not-found",
    ]);
    expect(result.stdout).toContain("deleted job create-app-pr-7: namespace preview-pr-7 is gone");
  });

  it("drops and deletes nothing when the leftovers cannot be listed", () => {
    const result = sweep({
      databases: DATABASES,
      namespaces: listed("preview-shared"),
      leftovers: ["job create-app-pr-7 preview-pr-7"],
      failLeftovers: true,
    });
    expect(result.status).not.toBe(0);
    expect(result.drops).toEqual([]);
    expect(result.kubectl.filter((c) => c.startsWith("delete"))).toEqual([]);
    expect(result.stderr).toContain("dropping nothing");
  });

  it("agrees with the app program on a preview's database and namespace names", async () => {
    const base = await runScenario("preview-base/dev");
    const app = await runScenario("app/pr-42");
    const [cronJob] = ofType(base, "kubernetes:batch/v1:CronJob");
    const env = (
      JSON.parse(JSON.stringify(cronJob?.inputs.spec)).jobTemplate.spec.template.spec.containers[0]
        .env as { name: string; value: string }[]
    ).filter((e) =>
      ["OWN_NAMESPACE", "NAMESPACE_PREFIX", "DATABASE_PREFIXES", "PREVIEW_LABEL"].includes(e.name),
    );
    // The app only asks (PreviewDatabase's request); the provisioner names the database and its
    // role from the request's prefix and the namespace's number, as previewDatabaseName does.
    const request = ofType(app, "kubernetes:core/v1:ConfigMap").find(
      (c) => (c.inputs.metadata as Metadata).labels?.[DATABASE_REQUEST_LABEL],
    );
    const prefix = (request?.inputs.metadata as Metadata).labels?.[DATABASE_REQUEST_LABEL];
    const [namespace] = ofType(app, "kubernetes:core/v1:Namespace");
    const appNamespace = String((namespace?.inputs.metadata as { name: string }).name);
    const database = `${prefix}_pr_${/^preview-pr-(\d+)$/.exec(appNamespace)?.[1]}`;
    expect(database).toBe(previewDatabaseName("app", 42));
    const settings = Object.fromEntries(env.map((e) => [e.name, e.value]));
    expect(Object.keys(settings).sort()).toEqual([
      "DATABASE_PREFIXES",
      "NAMESPACE_PREFIX",
      "OWN_NAMESPACE",
      "PREVIEW_LABEL",
    ]);
    // What the preview leaves in the janitor's namespace, as its labelled listing shows it.
    const leftovers = app.resources
      .filter((r) => ["kubernetes:batch/v1:Job", "kubernetes:core/v1:Secret"].includes(r.type))
      // An auto-named Secret has no metadata.name: the resource name stands in for it.
      .map((r) => ({ type: r.type, name: r.name, ...(r.inputs.metadata as Metadata) }))
      .filter((m) => m.namespace === settings.OWN_NAMESPACE)
      .map((m) => {
        const kind = m.type.endsWith(":Job") ? "job" : "secret";
        return `${kind} ${m.name} ${m.labels?.[settings.PREVIEW_LABEL!]}`;
      });
    // Nothing any more: the provisioner writes only into the preview's own namespace.
    expect(leftovers).toEqual([]);

    const open = sweep({
      databases: [database],
      namespaces: listed("preview-shared", appNamespace),
      env: settings,
      leftovers,
    });
    expect(open.stdout).toContain(`keeping ${database}`);
    expect(open.kubectl.filter((c) => c.startsWith("delete"))).toEqual([]);
    const closed = sweep({
      databases: [database],
      namespaces: listed("preview-shared"),
      env: settings,
      leftovers,
    });
    expect(closed.drops).toEqual([drop(database)]);
    expect(closed.kubectl.filter((c) => c.startsWith("delete"))).toEqual([]);
  });
});
