import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { z } from "zod";
import { parseStackName } from "../../components/stack.js";
import { appConfig } from "../../programs/app/config.js";
import { clusterConfig } from "../../programs/cluster/program.js";
import { ecsSharedConfig } from "../../programs/ecs-shared/program.js";
import { previewBaseConfig } from "../../programs/preview-base/program.js";

const PROGRAMS: Record<string, z.ZodObject> = {
  cluster: clusterConfig,
  "preview-base": previewBaseConfig,
  app: appConfig,
  "ecs-shared": ecsSharedConfig,
};

/** The stack kinds each program runs as (see `currentStack` in each program). */
const KINDS: Record<string, string[]> = {
  cluster: ["dev", "production"],
  "preview-base": ["local", "dev", "production"],
  app: ["local", "dev", "preview", "production"],
  "ecs-shared": ["dev", "preview", "production"],
};

const root = join(import.meta.dirname, "../../programs");

describe.each(Object.entries(PROGRAMS))("programs/%s", (name, schema) => {
  const project = parse(readFileSync(join(root, name, "Pulumi.yaml"), "utf8"));

  it("is a described Node.js project named after its folder, entered through index.ts", () => {
    expect(project.name).toBe(name);
    expect(project.description).toEqual(expect.any(String));
    expect(project.runtime.name).toBe("nodejs");
    expect(project.main).toBe("index.ts");
  });

  it("declares only config keys the program reads, each typed and described", () => {
    for (const [key, declaration] of Object.entries(project.config ?? {})) {
      expect(Object.keys(schema.shape), key).toContain(key);
      expect(declaration).toMatchObject({
        type: expect.any(String),
        description: expect.any(String),
      });
    }
  });

  it("ships example stack files named as stacks it runs as, which its config schema accepts", () => {
    const stacks = readdirSync(join(root, name)).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
    expect(stacks.length).toBeGreaterThan(0);
    for (const file of stacks) {
      const stack = file.replace(/^Pulumi\.|\.yaml$/g, "");
      expect(KINDS[name], file).toContain(parseStackName(stack).kind);
      const config = parse(readFileSync(join(root, name, file), "utf8")).config ?? {};
      const values = Object.fromEntries(
        Object.entries(config).map(([key, value]) => [key.replace(`${name}:`, ""), value]),
      );
      const defaults = Object.fromEntries(
        Object.entries(project.config ?? {}).map(([key, d]) => [
          key,
          (d as { default?: unknown }).default,
        ]),
      );
      const result = schema.safeParse({ ...defaults, ...values });
      expect(result.error?.issues ?? [], file).toEqual([]);
    }
  });
});
