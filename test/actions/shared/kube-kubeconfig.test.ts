/** The shared kubeconfig loader: sources, merging, context choice, masking, problems. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { GIVEN, KubeconfigError, loadKubeconfig } from "../../../actions/shared/kube/kubeconfig.js";
import { thrownBy } from "../../support/errors.js";
import { twoContexts } from "../../support/kubeconfig.js";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** The `::add-mask::` lines written while `load` runs. */
function masksOf(load: () => unknown): string[] {
  const written: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation(
    (chunk) => (written.push(String(chunk)), true),
  );
  load();
  return written.join("").match(/^::add-mask::.*$/gm) ?? [];
}

const problemOf = (load: () => unknown) => thrownBy(KubeconfigError, load);

describe("loadKubeconfig", () => {
  const config = (token: string, context: string) =>
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "  - name: c",
      "    cluster: { server: https://127.0.0.1:6443, certificate-authority: ca.pem }",
      "users:",
      `  - name: ${context}-user`,
      `    user: { token: ${token} }`,
      "contexts:",
      `  - name: ${context}`,
      `    context: { cluster: c, user: ${context}-user }`,
      `current-context: ${context}`,
    ].join("\n");

  it("merges the KUBECONFIG files, first definition and first current-context winning, and masks every token and the server", () => {
    const dir = mkdtempSync(join(tmpdir(), "kc-"));
    writeFileSync(join(dir, "a"), config("token-a-000000", "a"));
    writeFileSync(join(dir, "b"), config("token-b-000000", "b"));
    vi.stubEnv("KUBECONFIG", `${join(dir, "a")}:${join(dir, "b")}`);
    const written = vi.spyOn(process.stdout, "write").mockImplementation(() => true);

    const target = loadKubeconfig(undefined, undefined);
    expect(target.contextName).toBe("a");
    expect(target.user.token).toBe("token-a-000000");
    expect(target.cluster.caFile).toBe("ca.pem");
    expect(target.baseDir).toBe(dir);
    // The server once, though both files name it; then each file's token.
    expect(written.mock.calls.map(([line]) => String(line).trim())).toEqual([
      "::add-mask::https://127.0.0.1:6443",
      "::add-mask::token-a-000000",
      "::add-mask::token-b-000000",
    ]);
    expect(loadKubeconfig(undefined, "b").user.token).toBe("token-b-000000");
  });

  const two = twoContexts();

  it("uses the current context's cluster and user, from YAML or JSON content", () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    for (const content of [JSON.stringify(two), stringify(two)]) {
      expect(loadKubeconfig(content, undefined)).toMatchObject({
        contextName: "b",
        cluster: { server: "https://b.example.com", skipTLSVerify: false, caData: "Y2EtZGF0YQ==" },
        user: { token: "token-bbbbbb" },
      });
    }
  });

  it("masks credentials and the server, but not short names", () => {
    const masks = masksOf(() => loadKubeconfig(JSON.stringify(two), undefined));
    expect(masks).toEqual(
      expect.arrayContaining(["::add-mask::token-bbbbbb", "::add-mask::https://b.example.com"]),
    );
    expect(masks).not.toContain("::add-mask::cb");
  });

  it("masks before it refuses: an unknown context still hides every token", () => {
    const masks = masksOf(() => problemOf(() => loadKubeconfig(JSON.stringify(two), "nowhere")));
    expect(masks).toEqual(
      expect.arrayContaining(["::add-mask::token-aaaaaa", "::add-mask::token-bbbbbb"]),
    );
  });

  it("names each problem by kind, never quoting a value of the file", () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const secret = "abcdefgh-secret";
    const cases: [string | undefined, string | undefined, string, string][] = [
      [
        `apiVersion: v1\nclusters: [\n  token: ${secret}`,
        undefined,
        "not-yaml",
        "YAML does not parse",
      ],
      [JSON.stringify(42), undefined, "not-mapping", "expected a YAML mapping"],
      [
        JSON.stringify({ clusters: [{ name: "c", cluster: {} }] }),
        undefined,
        "invalid",
        "clusters[0].cluster.server is missing",
      ],
      [JSON.stringify({ clusters: [] }), undefined, "no-cluster", "it defines no cluster"],
      [
        JSON.stringify({ ...two, "current-context": undefined }),
        undefined,
        "no-context",
        "choose one of its contexts: a, b",
      ],
      [
        JSON.stringify(two),
        "nowhere",
        "unknown-context",
        "names no context of the kubeconfig, got 'nowhere'; it has: a, b",
      ],
      [
        JSON.stringify({ ...two, clusters: two.clusters.slice(0, 1) }),
        undefined,
        "unknown-cluster",
        "context 'b' names cluster 'cb', which the kubeconfig does not define",
      ],
    ];
    for (const [content, context, problem, detail] of cases) {
      const error = problemOf(() => loadKubeconfig(content, context));
      expect(error).toMatchObject({ problem, origin: GIVEN });
      expect(error.detail).toContain(detail);
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain("example.com");
    }
  });

  it("without content, KUBECONFIG or ~/.kube/config: not-found, titled No kubeconfig", () => {
    vi.stubEnv("KUBECONFIG", join(tmpdir(), "no-such-kubeconfig"));
    const error = problemOf(() => loadKubeconfig(undefined, undefined));
    expect(error.problem).toBe("not-found");
    expect(error.title).toBe("No kubeconfig");
  });
});
