import { afterEach, describe, expect, it, vi } from "vitest";
import { maskDeep } from "../../../actions/shared/mask.js";
import { redact, shortSecretWarnings } from "../../../actions/shared/redact.js";
import { info } from "../../../actions/shared/runner.js";

const TOKEN = "ghp_RealLookingToken0123456789abcdef";
const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("redact", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("hides every masked leaf, and leaves values under 8 characters alone (flagged instead)", () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => written.push(`${chunk}`) > 0);
    maskDeep(["hunter2-long-enough", { nested: ["hunter2-long-enough-too", 123456789] }, "ab"]);
    expect(redact("a hunter2-long-enough-too b hunter2-long-enough c 123456789 ab")).toBe(
      "a [secret] b [secret] c [secret] ab",
    );
    // The runner module says so once, as a warning, with the next line it writes.
    info("next line");
    expect(written.filter((line) => line.startsWith("::warning"))).toEqual([
      "::warning title=Secret too short to redact::a value the step masked is shorter than 8 characters: too short to be hidden from what this step writes without revealing it, so it is not redacted; replace it with a longer secret\n",
    ]);
  });

  it("hides the job's credentials from the environment, and a backend URL's password", () => {
    vi.stubEnv("PULUMI_ACCESS_TOKEN", "pul-0123456789abcdef");
    vi.stubEnv("INPUT_GITHUB-TOKEN", "ghs_abcdefabcdef");
    vi.stubEnv("PULUMI_BACKEND_URL", "https://robot:pa55word@pulumi.example.test");
    expect(redact("pul-0123456789abcdef / ghs_abcdefabcdef / pa55word / robot:pa55word")).toBe(
      "[secret] / [secret] / [secret] / [secret]",
    );
  });

  it("hides base64 at every byte offset (basic auth `:token`, `user:token`), URI, JSON and HTML escapes", () => {
    vi.stubEnv("GITHUB_TOKEN", TOKEN);
    for (const prefix of ["", ":", "x-access-token:"]) {
      const header = `Authorization: Basic ${b64(prefix + TOKEN)}`;
      expect(redact(header), prefix).not.toContain(b64(prefix + TOKEN).slice(8, -4));
      expect(redact(header)).toContain("[secret]");
    }
    const phrase = 'pass phrase/with "quotes" & <tags>';
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE", phrase);
    const escaped = [
      encodeURIComponent(phrase),
      JSON.stringify(phrase),
      "pass phrase/with &quot;quotes&quot; &amp; &lt;tags&gt;",
      Buffer.from(phrase).toString("base64url"),
    ];
    // The last base64 character also carries bits of what follows: it may stay.
    expect(redact(escaped.join(" | "))).toMatch(
      /^\[secret\] \| "\[secret\]" \| \[secret\] \| \[secret\]\w?$/,
    );
  });

  it("hides credentials in any variable whose name says so, not a credential's location", () => {
    vi.stubEnv("ARM_CLIENT_SECRET", "arm~client~secret~value");
    vi.stubEnv("NPM_TOKEN", "npm_0123456789abcdef");
    vi.stubEnv("INPUT_REGISTRY-PASSWORD", "registry-pa55word");
    vi.stubEnv("AWS_WEB_IDENTITY_TOKEN_FILE", "/tmp/runner/web-identity-token");
    vi.stubEnv("AUTHOR_NAME", "octocat-the-author");
    // A switch about a credential holds a setting, not one (pulumi-deploy's own input).
    vi.stubEnv("INPUT_ALLOW-EMPTY-PASSPHRASE", "false-and-more");
    expect(
      redact(
        "arm~client~secret~value npm_0123456789abcdef registry-pa55word /tmp/runner/web-identity-token octocat-the-author false-and-more",
      ),
    ).toBe(
      "[secret] [secret] [secret] /tmp/runner/web-identity-token octocat-the-author false-and-more",
    );
  });

  it("overlapping secrets are hidden as one: no tail of either is left", () => {
    vi.stubEnv("FIRST_TOKEN", "xxxxxxABC123");
    vi.stubEnv("SECOND_TOKEN", "ABC123yyyyyy");
    expect(redact("<xxxxxxABC123yyyyyy>")).toBe("<[secret]>");
  });

  it("a short passphrase is not redacted (every `dev` would say what it is): it is flagged by name", () => {
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE", "dev");
    expect(redact("stack dev in devops")).toBe("stack dev in devops");
    expect(shortSecretWarnings()).toEqual([
      "PULUMI_CONFIG_PASSPHRASE is shorter than 8 characters: too short to be hidden from what this step writes without revealing it, so it is not redacted; replace it with a longer secret",
    ]);
    expect(shortSecretWarnings()).toEqual([]);
  });
});

describe("redact: the web identity token aws-credentials keeps fresh", () => {
  it("hides what AWS_WEB_IDENTITY_TOKEN_FILE holds now, which the runner never masked", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const file = join(mkdtempSync(join(tmpdir(), "token-")), "aws-web-identity-token");
    writeFileSync(file, "eyJhbGciOi.refreshed-token-payload.signature");
    vi.stubEnv("AWS_WEB_IDENTITY_TOKEN_FILE", file);
    expect(redact("token eyJhbGciOi.refreshed-token-payload.signature")).toBe("token [secret]");
    vi.unstubAllEnvs();
  });
});
