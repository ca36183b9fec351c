/**
 * The runner protocol goes through @actions/core (runner.ts); these tests guard what our
 * layer adds on it (redaction, inert log lines, masks line by line, no stdout fallback, a
 * summary written once) and that it otherwise writes what core writes. The input parsing,
 * event context and tool-cache layout stay ours (action-docs/toolkit.md says why): the
 * same cases go through them and through GitHub's toolkit (@actions/core, @actions/github's
 * Context, @actions/tool-cache) and must answer alike. Where ours differs on purpose, the
 * test says so.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import { context as toolkitContext } from "@actions/github";
import * as tc from "@actions/tool-cache";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as ours from "../../../actions/shared/runner.js";
import { ActionError } from "../../../actions/shared/errors.js";
import { input, parseInputs, splitLines } from "../../../actions/shared/inputs.js";
import * as context from "../../../actions/shared/context.js";
import { cachedToolDir, isCached, storeInCache } from "../../../actions/pulumi-deploy/install.js";
import { clearInputs, setInputs } from "../../support/inputs.js";

const saved = { ...process.env };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parity-"));
});
afterEach(() => {
  // core.summary keeps the first GITHUB_STEP_SUMMARY it saw (one per step on a runner);
  // each test here has its own file.
  (core.summary as unknown as { _filePath?: string })._filePath = undefined;
  core.summary.emptyBuffer();
  clearInputs();
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  vi.restoreAllMocks();
});

/** What `run` printed to stdout. */
function stdoutOf(run: () => void): string {
  const written: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    vi.restoreAllMocks();
  }
  return written.join("");
}

/** A file command file (GITHUB_OUTPUT, GITHUB_ENV) with its random delimiters made equal. */
function fileCommands(path: string): string {
  return readFileSync(path, "utf8").replace(/ghadelimiter_[0-9a-f-]{36}/g, "ghadelimiter_X");
}

const TEXTS = [
  "plain",
  "  padded  ",
  "\n leading and trailing lines \n",
  "100% done, a: b",
  "line one\nline two\r\nline three",
  "",
];

describe("inputs, as @actions/core reads them", () => {
  it.each(["token", "pulumi-version", "my input", "Mixed-Case"])(
    "reads and trims input %j like getInput",
    (name) => {
      for (const value of TEXTS) {
        setInputs({ [name]: value });
        expect(ours.readInput(name)).toBe(core.getInput(name));
      }
    },
  );

  it("accepts and refuses the same booleans as getBooleanInput", () => {
    const shape = { flag: input.boolean(false) };
    for (const value of ["true", "True", "TRUE", "false", "False", "FALSE", "yes", "1", "on"]) {
      setInputs({ flag: value });
      let theirs: boolean | "refused";
      try {
        theirs = core.getBooleanInput("flag");
      } catch {
        theirs = "refused";
      }
      let mine: boolean | "refused";
      try {
        mine = parseInputs(shape).flag;
      } catch {
        mine = "refused";
      }
      expect(mine, value).toBe(theirs);
    }
  });

  it("splits multi-line inputs like getMultilineInput, and also drops # comments", () => {
    for (const value of ["a\nb\n\n c \n", "one", "x=1\r\ny=2", "\n\n"]) {
      setInputs({ list: value });
      // getMultilineInput keeps a "\r" before the trim; both trim it away.
      expect(splitLines(value)).toEqual(core.getMultilineInput("list").filter((l) => l !== ""));
    }
    // On purpose: a `#` line is a comment in ours (e.g. a commented-out build arg).
    setInputs({ list: "a\n# b\nc" });
    expect(core.getMultilineInput("list")).toEqual(["a", "# b", "c"]);
    expect(splitLines("a\n# b\nc")).toEqual(["a", "c"]);
  });
});

describe("outputs and environment files, as @actions/core writes them", () => {
  it.each([
    ["GITHUB_OUTPUT", ours.setOutput, core.setOutput],
    ["GITHUB_ENV", ours.exportVariable, core.exportVariable],
  ] as const)("%s: the same file content for the same values", (variable, mine, theirs) => {
    const values = { simple: "1", "comment-url": "https://x/y#z", multi: "a\nb\n", empty: "" };
    for (const [who, write] of [
      ["ours", mine],
      ["theirs", theirs],
    ] as const) {
      process.env[variable] = join(dir, `${who}-${variable}`);
      writeFileSync(process.env[variable], "");
      for (const [name, value] of Object.entries(values)) write(name, value);
    }
    expect(fileCommands(join(dir, `ours-${variable}`))).toContain("multi<<ghadelimiter_X\na\nb\n");
    expect(fileCommands(join(dir, `ours-${variable}`))).toBe(
      fileCommands(join(dir, `theirs-${variable}`)),
    );
  });

  it("redacts a known secret from an output unless it is handed on on purpose", () => {
    process.env.GITHUB_OUTPUT = join(dir, "output");
    writeFileSync(process.env.GITHUB_OUTPUT, "");
    process.env.PULUMI_ACCESS_TOKEN = "pul-0123456789abcdef";
    ours.setOutput("echo", "token pul-0123456789abcdef in a value");
    ours.setOutput("handed-on", "pul-0123456789abcdef", { revealed: true });
    const written = fileCommands(process.env.GITHUB_OUTPUT);
    expect(written).toContain("echo<<ghadelimiter_X\ntoken [secret] in a value\n");
    expect(written).toContain("handed-on<<ghadelimiter_X\npul-0123456789abcdef\n");
  });

  it("refuses to write without the runner's files, where core falls back to stdout commands", () => {
    delete process.env.GITHUB_OUTPUT;
    delete process.env.GITHUB_ENV;
    // On purpose: the runner no longer runs `::set-output::`; a value would be lost silently.
    expect(stdoutOf(() => core.setOutput("x", "1"))).toContain("::set-output name=x::1");
    expect(() => stdoutOf(() => ours.setOutput("x", "1"))).toThrow(ActionError);
    expect(() => stdoutOf(() => ours.exportVariable("X", "1"))).toThrow(ActionError);
  });
});

describe("workflow commands on stdout, as @actions/core prints them", () => {
  const messages = ["simple", "100%", "two\nlines\r\nand a CR", "a: b, c", "::stop-commands::x"];

  it.each(["error", "warning", "notice"] as const)(
    "%s annotations with their escaping",
    (level) => {
      for (const message of messages) {
        for (const props of [{}, { title: "T: 1, 2%" }, { title: "t", file: "a,b.ts", line: 3 }]) {
          const mine = stdoutOf(() => ours.annotate(level, message, props));
          const theirs = stdoutOf(() =>
            core[level](message, {
              ...("title" in props ? { title: props.title } : {}),
              ...("file" in props ? { file: props.file, startLine: props.line } : {}),
            }),
          );
          expect(mine).toMatch(new RegExp(`^::${level}`));
          expect(mine, `${message} ${JSON.stringify(props)}`).toBe(theirs);
        }
      }
    },
  );

  it("annotations, debug lines and group titles are redacted before core prints them", () => {
    process.env.GITHUB_TOKEN = "ghs_0123456789abcdefghij";
    const secret = process.env.GITHUB_TOKEN;
    const printed = [
      stdoutOf(() => ours.annotate("error", `failed with ${secret}`, { title: `t ${secret}` })),
      stdoutOf(() => ours.debug(`sent ${secret}`)),
      stdoutOf(() => ours.startGroup(`group ${secret}`)),
      stdoutOf(() => ours.info(`said ${secret}`)),
    ].join("");
    expect(printed).not.toContain(secret);
    expect(printed).toContain("::error title=t [secret]::failed with [secret]");
  });

  it("debug, groups and plain lines", () => {
    for (const message of messages) {
      expect(stdoutOf(() => ours.debug(message))).toBe(stdoutOf(() => core.debug(message)));
      // On purpose: our plain lines cannot start a workflow command (a resource name echoed
      // from the CLI could say `::stop-commands::`); core.info prints them as they are.
      expect(stdoutOf(() => ours.info(message))).toBe(
        stdoutOf(() => core.info(ours.escapeCommands(message))),
      );
      expect(stdoutOf(() => ours.startGroup(message))).toBe(
        stdoutOf(() => core.startGroup(message)),
      );
    }
    expect(stdoutOf(() => ours.endGroup())).toBe(stdoutOf(() => core.endGroup()));
  });

  it("masks: the same command for one line; every line of a multi-line secret besides", () => {
    for (const secret of ["s3cr3t", "with%percent", "  spaced  "]) {
      expect(stdoutOf(() => ours.addMask(secret))).toBe(stdoutOf(() => core.setSecret(secret)));
    }
    // On purpose: the runner matches masks per line, so each line is registered on its own.
    const multi = "line-one\nline-two";
    expect(stdoutOf(() => core.setSecret(multi))).toBe("::add-mask::line-one%0Aline-two\n");
    expect(stdoutOf(() => ours.addMask(multi))).toBe(
      "::add-mask::line-one\n::add-mask::line-two\n",
    );
  });
});

describe("the job summary, through @actions/core's summary", () => {
  type SummaryClass = new () => typeof core.summary;
  const theirs = () => new (core.summary.constructor as SummaryClass)();

  it("buffers the parts and writes the same bytes as core once the step is done", async () => {
    const parts = ["# Title\n", "| a | b |\n|---|---|\n| 1 | 2 |", "tail without newline"];
    for (const who of ["ours", "theirs"]) {
      process.env.GITHUB_STEP_SUMMARY = join(dir, `${who}-summary.md`);
      writeFileSync(process.env.GITHUB_STEP_SUMMARY, "");
      for (const part of parts) {
        if (who === "ours") ours.appendSummary(part);
        // Ours ends each part with a newline, as addRaw(text, true) does.
        else await theirs().addRaw(part, !part.endsWith("\n")).write();
      }
      if (who === "ours") {
        // Nothing reaches the file before runAction's writeSummary.
        expect(readFileSync(process.env.GITHUB_STEP_SUMMARY, "utf8")).toBe("");
        await ours.writeSummary();
        await ours.writeSummary();
      }
    }
    expect(readFileSync(join(dir, "ours-summary.md"), "utf8")).toContain("| 1 | 2 |\ntail");
    expect(readFileSync(join(dir, "ours-summary.md"), "utf8")).toBe(
      readFileSync(join(dir, "theirs-summary.md"), "utf8"),
    );
  });

  it("redacts the summary, which the runner never masks", async () => {
    process.env.GITHUB_STEP_SUMMARY = join(dir, "summary.md");
    writeFileSync(process.env.GITHUB_STEP_SUMMARY, "");
    process.env.PULUMI_CONFIG_PASSPHRASE = "correct-horse-battery";
    ours.appendSummary("passphrase: correct-horse-battery");
    await ours.writeSummary();
    expect(readFileSync(process.env.GITHUB_STEP_SUMMARY, "utf8")).toBe("passphrase: [secret]\n");
  });

  it("is a no-op outside a runner, where core's summary throws", async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    ours.appendSummary("lost on purpose");
    await expect(ours.writeSummary()).resolves.toBeUndefined();
    await expect(theirs().addRaw("x").write()).rejects.toThrow(/GITHUB_STEP_SUMMARY/);
  });
});

describe("the event context, as @actions/github's Context reads it", () => {
  type ContextClass = new () => typeof toolkitContext;
  const Context = toolkitContext.constructor as ContextClass;

  const events = {
    pull_request: {
      action: "synchronize",
      number: 42,
      pull_request: {
        number: 42,
        head: { sha: "a".repeat(40), repo: { full_name: "fork/octo-repo" } },
        base: { repo: { full_name: "octo-org/octo-repo" } },
      },
    },
    issue_comment: { issue: { number: 7, pull_request: { url: "x" } }, comment: { id: 1 } },
    push: { ref: "refs/heads/main", after: "b".repeat(40) },
  };

  it.each(Object.keys(events) as (keyof typeof events)[])("%s", (name) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(events[name]));
    Object.assign(process.env, {
      GITHUB_EVENT_PATH: path,
      GITHUB_EVENT_NAME: name,
      GITHUB_REPOSITORY: "octo-org/octo-repo",
      GITHUB_SHA: "c".repeat(40),
      GITHUB_RUN_ID: "4242",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_SERVER_URL: "https://github.example.com",
      GITHUB_API_URL: "https://github.example.com/api/v3",
    });
    const theirs = new Context();
    expect(context.eventPayload()).toEqual(theirs.payload);
    expect(context.repository()).toEqual(theirs.repo);
    expect(Number(context.runId())).toBe(theirs.runId);
    expect(Number(context.runAttempt())).toBe(theirs.runAttempt);
    expect(context.serverUrl()).toBe(theirs.serverUrl);
    expect(context.apiUrl()).toBe(theirs.apiUrl);
    if (name === "push") {
      expect(context.pullRequest()).toBeUndefined();
      expect(context.commitSha()).toBe(theirs.sha);
    } else {
      // Context.issue falls back to the payload's number for a pull request or an issue.
      expect(context.pullRequest()?.number).toBe(theirs.issue.number);
    }
    if (name === "pull_request") {
      // On purpose: the commit is the PR head, where Context.sha is GitHub's merge commit.
      expect(context.commitSha()).toBe(theirs.payload.pull_request?.head.sha);
      expect(context.isForkPullRequest()).toBe(true);
    }
  });
});

describe("the tool cache, as @actions/tool-cache lays it out", () => {
  beforeEach(() => {
    process.env.RUNNER_TOOL_CACHE = join(dir, "cache");
    process.env.RUNNER_TEMP = join(dir, "temp");
  });

  function fakeCli(): string {
    const bin = join(dir, `bin-${Math.random().toString(36).slice(2)}`);
    mkdirSync(bin);
    writeFileSync(join(bin, "pulumi"), "#!/bin/sh\necho v3.140.0\n");
    return bin;
  }

  it("finds what tool-cache's cacheDir stored, in the same folder", async () => {
    const stored = await tc.cacheDir(fakeCli(), "pulumi", "v3.140.0");
    expect(cachedToolDir("3.140.0")).toBe(stored);
    expect(cachedToolDir("v3.140.0")).toBe(stored);
    expect(isCached("3.140.0")).toBe(true);
    expect(isCached("3.141.0")).toBe(false);
  });

  it("stores what tool-cache's find and findAllVersions then find", () => {
    const stored = storeInCache(fakeCli(), "3.140.0");
    expect(tc.find("pulumi", "3.140.0")).toBe(stored);
    expect(tc.find("pulumi", "3.x")).toBe(stored);
    expect(tc.findAllVersions("pulumi")).toEqual(["3.140.0"]);
    expect(readFileSync(join(stored, "pulumi"), "utf8")).toContain("v3.140.0");
    // An interrupted copy (folder, no marker) is found by neither.
    mkdirSync(cachedToolDir("3.142.0"), { recursive: true });
    expect(tc.find("pulumi", "3.142.0")).toBe("");
    expect(isCached("3.142.0")).toBe(false);
  });
});
