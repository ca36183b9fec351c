import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emptyPassphraseProblem } from "../../../actions/pulumi-deploy/passphrase.js";

const diy = { backend: "file:///state", secretsProvider: undefined, allowEmpty: false };
const file = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "phrase-")), "phrase");
  writeFileSync(path, content);
  return path;
};

// Issue #22 item 3: a misspelled `${{ secrets.X }}` sets the variable to "".
describe("emptyPassphraseProblem", () => {
  it("refuses a set but empty PULUMI_CONFIG_PASSPHRASE on a passphrase backend", () => {
    expect(emptyPassphraseProblem(diy, { PULUMI_CONFIG_PASSPHRASE: "" })).toMatch(
      /^PULUMI_CONFIG_PASSPHRASE is set but empty .*'allow-empty-passphrase'/,
    );
    // Set wins over the file in the CLI: an empty variable hides a good file.
    expect(
      emptyPassphraseProblem(diy, {
        PULUMI_CONFIG_PASSPHRASE: "",
        PULUMI_CONFIG_PASSPHRASE_FILE: file("real"),
      }),
    ).toBeDefined();
  });

  it("refuses a PULUMI_CONFIG_PASSPHRASE_FILE that is empty, when the variable is unset", () => {
    expect(emptyPassphraseProblem(diy, { PULUMI_CONFIG_PASSPHRASE_FILE: file("") })).toMatch(
      /^PULUMI_CONFIG_PASSPHRASE_FILE names an empty file/,
    );
    // The CLI trims the file: a newline alone is an empty passphrase too.
    expect(
      emptyPassphraseProblem(diy, { PULUMI_CONFIG_PASSPHRASE_FILE: file(" \n") }),
    ).toBeDefined();
    expect(emptyPassphraseProblem(diy, { PULUMI_CONFIG_PASSPHRASE_FILE: file("pw") })).toBe(
      undefined,
    );
  });

  it("leaves unset, a real passphrase, an explicit allowance and Cloud's own secrets alone", () => {
    expect(emptyPassphraseProblem(diy, {})).toBe(undefined);
    expect(emptyPassphraseProblem(diy, { PULUMI_CONFIG_PASSPHRASE: "pw" })).toBe(undefined);
    expect(
      emptyPassphraseProblem({ ...diy, allowEmpty: true }, { PULUMI_CONFIG_PASSPHRASE: "" }),
    ).toBe(undefined);
    const cloud = { ...diy, backend: undefined };
    expect(emptyPassphraseProblem(cloud, { PULUMI_CONFIG_PASSPHRASE: "" })).toBe(undefined);
    expect(
      emptyPassphraseProblem(
        { ...cloud, secretsProvider: "passphrase" },
        { PULUMI_CONFIG_PASSPHRASE: "" },
      ),
    ).toBeDefined();
    expect(
      emptyPassphraseProblem(
        { ...diy, secretsProvider: "awskms://alias/x" },
        { PULUMI_CONFIG_PASSPHRASE: "" },
      ),
    ).toBe(undefined);
  });
});
