// The package as Pulumi users get it: `npm pack`, then installed from the tarball into fresh
// projects outside this repository, with only @pulumi/pulumi and @pulumi/kubernetes beside it
// (from the npm registry, served from the local cache when it can be). The tarball and the
// installed node_modules are built once for this suite and package-deploy.test.ts
// (test/support/packed-package.ts).
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../harness/paths.js";
import {
  type PackedPackage,
  consumerEnv,
  packedPackage,
  TEMPLATE_COMPILER_OPTIONS,
} from "../support/packed-package.js";

const MINUTE = 60_000;

const work = mkdtempSync(join(tmpdir(), "preview-kit-consumers-"));
const env = consumerEnv(work);
let packed: PackedPackage;
let tarball = "";

function run(command: string, args: string[], cwd: string, timeout = 4 * MINUTE): string {
  return execFileSync(command, args, { cwd, env, encoding: "utf8", timeout });
}

/**
 * A fresh project: `files` written, then the tarball installed with npm beside @pulumi/pulumi,
 * @pulumi/kubernetes, and TypeScript with Node's types to compile it, as `pulumi new` projects
 * have them.
 */
function project(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  packed.install(dir, env);
  return dir;
}

function tsc(dir: string): void {
  run(process.execPath, [join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", dir], dir);
}

/** Uses the components as a Kubernetes-only program would, args typed by the published interfaces. */
const USAGE = `
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppNamespace, ImagePullSecret, WebService, type WebServiceArgs } from "pulumi-preview-kit/components/kubernetes";
import { imageRef, standardTags } from "pulumi-preview-kit/components";

/** Inputs from other resources (Outputs, Promises) are accepted where users pass them. */
export function declare(provider: k8s.Provider, image: pulumi.Output<string>) {
  const namespace = new AppNamespace("ns", { provider, name: "shop" });
  const args: WebServiceArgs = {
    provider,
    namespace,
    container: { name: "web", image, env: { API_URL: namespace.name } },
    port: 8080,
  };
  new WebService("web", args);
  new ImagePullSecret("pull", {
    provider,
    namespace: Promise.resolve("shop"),
    secretName: "registry",
    credentials: { dockerConfigJson: pulumi.secret("{}") },
  });
}

console.log(JSON.stringify({
  AppNamespace: typeof AppNamespace,
  WebService: typeof WebService,
  imageRef: typeof imageRef.parse,
  pullRequest: standardTags({ project: "shop", stack: "pr-7" }).PullRequest,
}));
`;

const LOADED = {
  AppNamespace: "function",
  WebService: "function",
  imageRef: "function",
  pullRequest: "7",
};

// Waits while package-deploy.test.ts builds the shared setup, if it came first.
beforeAll(() => {
  packed = packedPackage();
  tarball = packed.tarball;
}, 12 * MINUTE);

// Two projects of node_modules: removing them takes a while on a busy machine.
afterAll(() => rmSync(work, { recursive: true, force: true }), 5 * MINUTE);

describe("the packed package", () => {
  it("holds what users need (README, the components' and programs' docs, changelog, each program's project) and nothing of the repository's own", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
      version: string;
      exports: Record<string, { types: string; default: string }>;
    };
    const files = run("tar", ["-tzf", tarball], work)
      .trim()
      .split("\n")
      .map((path) => path.replace(/^package\//, ""));
    const has = (path: string) => files.includes(path);
    for (const doc of ["README.md", "LICENSE", "CHANGELOG.md", "package.json"])
      expect(has(doc), doc).toBe(true);
    for (const doc of ["components/README.md", "programs/README.md"])
      expect(has(doc), doc).toBe(true);
    // The README's links to them work on the registry's page and in node_modules.
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    for (const doc of ["components/README.md", "programs/README.md"])
      expect(readme).toContain(`](${doc})`);
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath.includes("*")) continue;
      for (const file of [target.default, target.types])
        expect(has(file.replace(/^\.\//, "")), `${subpath}: ${file}`).toBe(true);
    }
    // Only the package: no tests, scripts, bundles, actions, workflows or local state.
    const outside = files.filter(
      (path) =>
        !/^(lib|components|programs)\//.test(path) &&
        !["README.md", "LICENSE", "CHANGELOG.md", "package.json"].includes(path),
    );
    expect(outside).toEqual([]);
    expect(files.filter((path) => /(^|\/)(test|node_modules|\.tmp)\//.test(path))).toEqual([]);
    // Source maps and declaration maps point at sources that are in the tarball.
    const unpacked = mkdtempSync(join(work, "contents-"));
    run("tar", ["-xzf", tarball, "-C", unpacked], work);
    const root = join(unpacked, "package");
    const missing: string[] = [];
    for (const map of files.filter((path) => path.endsWith(".map"))) {
      const { sources } = JSON.parse(readFileSync(join(root, map), "utf8")) as {
        sources: string[];
      };
      for (const source of sources) {
        const path = normalize(join(dirname(map), source));
        if (!has(path)) missing.push(`${map} -> ${path}`);
      }
    }
    expect(missing).toEqual([]);
    // Each ready-made program as a project to copy: its Pulumi.yaml (the program's name and
    // config, run from the compiled package), example stacks, and the package at this version.
    for (const name of readdirSync(join(repoRoot, "programs")).filter((n) =>
      existsSync(join(repoRoot, "programs", n, "Pulumi.yaml")),
    )) {
      const project = join(root, "lib", "programs", name, "project");
      const source = parse(
        readFileSync(join(repoRoot, "programs", name, "Pulumi.yaml"), "utf8"),
      ) as {
        name: string;
        config?: unknown;
      };
      const shipped = parse(readFileSync(join(project, "Pulumi.yaml"), "utf8")) as {
        name: string;
        runtime: unknown;
        main: string;
        config?: unknown;
      };
      expect(shipped, name).toMatchObject({
        name: source.name,
        runtime: "nodejs",
        main: "index.js",
      });
      expect(shipped.config, name).toEqual(source.config);
      for (const stack of readdirSync(join(repoRoot, "programs", name)).filter((f) =>
        /^Pulumi\..+\.yaml$/.test(f),
      ))
        expect(existsSync(join(project, stack)), `${name}/${stack}`).toBe(true);
      const dependencies = (
        JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as {
          dependencies: Record<string, string>;
        }
      ).dependencies;
      // What the release publishes: the version the release commit's package.json says.
      expect(dependencies["pulumi-preview-kit"], name).toBe(`^${pkg.version}`);
    }
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version).toBe(pkg.version);
  });

  it(
    "compiles and loads in a project as `pulumi new kubernetes-typescript` makes it (CommonJS, moduleResolution node)",
    () => {
      const dir = project("commonjs", {
        "package.json": JSON.stringify({
          name: "commonjs-consumer",
          private: true,
          main: "bin/index.js",
        }),
        // The template's compiler options as they come, without skipLibCheck: our published
        // declarations import nothing from zod, whose own CommonJS declarations
        // (zod/v4/locales/index.d.cts) fail without esModuleInterop (package-exports.test.ts).
        "tsconfig.json": JSON.stringify({
          compilerOptions: TEMPLATE_COMPILER_OPTIONS,
          files: ["index.ts"],
        }),
        "index.ts": USAGE,
      });
      expect(existsSync(join(dir, "node_modules", "@pulumi", "aws"))).toBe(false);
      tsc(dir);
      expect(JSON.parse(run(process.execPath, ["bin/index.js"], dir))).toEqual(LOADED);
    },
    8 * MINUTE,
  );

  it(
    "ships the app program as a project a consumer repository deploys: ESM, nodenext, run under mocks there",
    () => {
      // The layout the README gives: copy the program's project out of the package.
      const unpacked = join(work, "unpacked");
      mkdirSync(unpacked);
      run("tar", ["-xzf", tarball, "-C", unpacked], work);
      const dir = join(work, "infra", "app");
      cpSync(join(unpacked, "package", "lib", "programs", "app", "project"), dir, {
        recursive: true,
      });
      expect(
        JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).dependencies,
      ).toMatchObject({
        "pulumi-preview-kit": expect.any(String),
      });
      project(join("infra", "app"), {
        "tsconfig.json": JSON.stringify({
          compilerOptions: {
            strict: true,
            module: "nodenext",
            moduleResolution: "nodenext",
            target: "es2022",
            outDir: "bin",
            types: ["node"],
          },
          files: ["usage.ts", "typed-program.ts"],
        }),
        "usage.ts": USAGE,
        "typed-program.ts": `import program from "pulumi-preview-kit/programs/app";\nexport const entry: () => Promise<unknown> = program;\n`,
        "run-under-mocks.mjs": MOCK_RUN,
      });
      // The workflows run `npm ci` where a lockfile is: there is one now.
      const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8"));
      expect(Object.keys(lock.packages)).toContain("node_modules/pulumi-preview-kit");
      expect(existsSync(join(dir, "node_modules", "@pulumi", "aws"))).toBe(false);
      tsc(dir);
      expect(JSON.parse(run(process.execPath, ["bin/usage.js"], dir))).toEqual(LOADED);

      const result = JSON.parse(run(process.execPath, ["run-under-mocks.mjs"], dir)) as {
        resources: string[];
        outputs: Record<string, unknown>;
      };
      expect(result.outputs).toMatchObject({
        webUrl: "https://42.pr.localtest.me",
        apiUrl: "https://42.pr-api.localtest.me",
        namespace: "preview-pr-42",
      });
      expect(result.resources).toEqual(
        expect.arrayContaining([
          "kubernetes:core/v1:Namespace namespace",
          "kubernetes:apps/v1:Deployment web",
          "kubernetes:apps/v1:Deployment api",
          "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding namespace-deployer",
          "kubernetes:core/v1:ConfigMap database",
        ]),
      );
    },
    8 * MINUTE,
  );
});

/**
 * Runs the consumer's index.js (the package's app program) as stack pr-42 under Pulumi's
 * mocks, its base stack's outputs given as the engine returns them (secrets marked).
 */
const MOCK_RUN = `
import * as pulumi from "@pulumi/pulumi";

const digest = (c) => "sha256:" + c.repeat(64);
const base = {
  domain: "localtest.me",
  routing: "gateway",
  gatewayName: "previews",
  gatewayNamespace: "gateway",
  gatewayListener: "http",
  databaseHost: "db.preview-shared.svc.cluster.local",
  databasePort: 5432,
  databaseNamespace: "preview-shared",
  previewKubeconfig: "{}",
  previewDeployerRole: "preview-deployer-namespaced",
  previewDeployerAccount: { namespace: "preview-shared", name: "preview-deployer" },
  skipAwait: true,
};
const secret = ["previewKubeconfig"];
const resources = [];
await pulumi.runtime.setMocks(
  {
    newResource(args) {
      if (args.type === "pulumi:pulumi:StackReference") {
        const outputs = Object.fromEntries(
          Object.entries(base).map(([k, v]) => [k, secret.includes(k) ? pulumi.secret(v) : v]),
        );
        return { id: args.inputs.name, state: { ...args.inputs, outputs, secretOutputNames: secret } };
      }
      resources.push(args.type + " " + args.name);
      const metadata = args.inputs.metadata;
      return {
        id: args.name + "-id",
        state: metadata ? { ...args.inputs, metadata: { name: args.name + "-x", ...metadata } } : args.inputs,
      };
    },
    call: () => ({}),
  },
  "app",
  "pr-42",
  false,
  "acme",
);
pulumi.runtime.setAllConfig({
  "app:images": JSON.stringify({ web: "ghcr.io/acme/web@" + digest("1"), api: "ghcr.io/acme/api@" + digest("2") }),
  "app:prNumber": "42",
  "app:baseStack": "acme/preview-base/local",
});
const program = (await import("./index.js")).default;
const exported = await program();
const outputs = await new Promise((resolve) => pulumi.output(exported).apply(resolve));
await pulumi.runtime.disconnect();
console.log(JSON.stringify({ resources, outputs }));
`;
