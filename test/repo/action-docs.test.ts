import { describe, expect, it } from "vitest";
import { renderActionDoc } from "../../scripts/lib/action-docs.mjs";

const yaml = `name: Example
description: Pins images as <repo>@sha256:<64 hex>, written \`name=<ref>\`.
inputs:
  images:
    description: >
      One a line, NAME=REGISTRY/REPO@sha256:<64 hex>;
      a | pipe stays in its cell.
    required: true
  retries:
    description: Retries.
    default: 3
outputs:
  digest:
    description: The digest.
runs:
  using: node24
  main: ../../dist/example/index.js
`;

describe("renderActionDoc", () => {
  const doc = renderActionDoc("example", yaml);

  it("shows <placeholders> as text, except inside code spans, which show them as they are", () => {
    expect(doc).toContain(
      "Pins images as &lt;repo&gt;@sha256:&lt;64 hex&gt;, written `name=<ref>`.",
    );
  });

  it("keeps each input on one table row, without a trailing break", () => {
    expect(doc).toContain(
      "| `images` | One a line, NAME=REGISTRY/REPO@sha256:&lt;64 hex&gt;; a \\| pipe stays in its cell. | yes |  |",
    );
    expect(doc).toContain("| `retries` | Retries. | no | `3` |");
  });

  it("shows the required inputs in the usage example", () => {
    expect(doc).toContain("- uses: OWNER/REPO/actions/example@v1\n  with:\n    images: ...\n");
  });
});
