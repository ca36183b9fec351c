/** The Pulumi YAML lint: fn:: keys in config and org-less stack references, with lines. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { lintFile, lintWorkDir } from "../../../actions/verify-stack-ref/lint.js";

const lines = (...text: string[]) => text.join("\n") + "\n";

describe("stack config", () => {
  it("reports every fn:: key at its line, whatever the function", () => {
    const findings = lintFile(
      "Pulumi.dev.yaml",
      lines(
        "config:",
        "  app:a: 1",
        "  app:b:",
        "    fn::secret: x",
        "  app:c:",
        "    nested:",
        "      Fn::Join: [a, b]",
      ),
    );
    expect(findings.map((f) => f.line)).toEqual([4, 7]);
    expect(findings[0]?.message).toMatch(/^'fn::secret' in stack config is silently ignored/);
  });

  it("reports the org-less argument of fn::stackReference in both forms", () => {
    const seq = lintFile(
      "Pulumi.dev.yaml",
      lines("config:", "  app:kc:", "    fn::stackReference: [infra/dev, kubeconfig]"),
    );
    expect(seq.map((f) => f.line)).toEqual([3, 3]);
    const map = lintFile(
      "Pulumi.dev.yaml",
      lines("config:", "  app:kc:", "    fn::stackReference:", "      name: dev"),
    );
    expect(map.map((f) => [f.line, /'dev'/.test(f.message)])).toEqual([
      [3, false],
      [4, true],
    ]);
  });

  it("reports stack-name config values without an org, and accepts qualified ones", () => {
    const findings = lintFile(
      "Pulumi.prod.yaml",
      lines(
        "config:",
        "  app:infraStack: infra/prod",
        "  app:infra_stack_name: acme/infra/prod",
        "  app:stackRef: prod",
        "  app:size: large",
      ),
    );
    expect(findings.map((f) => f.line)).toEqual([2, 4]);
    expect(findings[0]?.message).toBe(
      "Stack reference 'infra/prod' in config 'app:infraStack' is not org-qualified: write ORG/PROJECT/STACK, or it resolves in whichever org the credentials default to.",
    );
  });

  it("finds nothing in a clean file (secure values, ESC environments)", () => {
    const text = lines(
      "environment:",
      "  - acme/dev",
      "config:",
      "  app:db:",
      "    secure: v1:abc",
      "  app:replicas: 3",
    );
    expect(lintFile("Pulumi.dev.yaml", text)).toEqual([]);
  });

  it("reports YAML that does not parse without quoting its content", () => {
    const [finding] = lintFile(
      "Pulumi.dev.yaml",
      lines("config:", "  app:token: s3cr3t", "  - broken: [", ""),
    );
    expect(finding?.message).toMatch(/^Not valid YAML/);
    expect(finding?.message).not.toContain("s3cr3t");
  });
});

describe("Pulumi.yaml", () => {
  it("allows fn::stackReference in a YAML program but wants the org", () => {
    const text = lines(
      "name: app",
      "runtime: yaml",
      "variables:",
      "  kc:",
      "    fn::stackReference: [acme/infra/dev, kubeconfig]",
      "  other:",
      "    fn::stackReference: [infra/dev, x]",
      "resources:",
      "  infra:",
      "    type: pulumi:pulumi:StackReference",
      "    properties:",
      "      name: dev",
    );
    expect(lintFile("Pulumi.yaml", text).map((f) => f.line)).toEqual([7, 12]);
  });

  it("treats fn:: in the project's config section like stack config", () => {
    const text = lines(
      "name: app",
      "runtime: nodejs",
      "config:",
      "  kc:",
      "    fn::stackReference: [acme/infra/dev, kc]",
    );
    expect(lintFile("Pulumi.yaml", text).map((f) => f.line)).toEqual([5]);
  });
});

describe("lintWorkDir", () => {
  it("lints only Pulumi*.yaml files, naming each finding's file", () => {
    const dir = mkdtempSync(join(tmpdir(), "lint-"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: app\nruntime: nodejs\n");
    writeFileSync(
      join(dir, "Pulumi.dev.yaml"),
      "config:\n  app:x:\n    fn::stackReference: [acme/a/b, c]\n",
    );
    writeFileSync(join(dir, "values.yaml"), "config:\n  fn::x: 1\n");
    vi.stubEnv("GITHUB_WORKSPACE", dir);
    const findings = lintWorkDir(dir, (path) => path.slice(dir.length + 1));
    expect(findings.map((f) => `${f.file}:${f.line}`)).toEqual(["Pulumi.dev.yaml:3"]);
    vi.unstubAllEnvs();
  });
});
