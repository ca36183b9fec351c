// Builds the npm package's lib/: the components and the ready-made programs compiled by tsc
// (tsconfig.lib.json), and for each program a consumer project to copy into your repository
// (lib/programs/<name>/project: Pulumi.yaml, package.json, index.js and the example stack
// files). Run by `prepack`.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const outDir = process.argv[2] ?? join(root, "lib");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** The peers each program imports (the AWS kit, the Kubernetes kit or both). */
const PROGRAMS = {
  app: ["@pulumi/kubernetes"],
  "preview-base": ["@pulumi/kubernetes", "@pulumi/aws"],
  cluster: ["@pulumi/kubernetes", "@pulumi/aws"],
  "ecs-shared": ["@pulumi/aws"],
};

const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.lib.json"), "--outDir", outDir], {
  stdio: "inherit",
});

// In this repository the programs run from TypeScript through tsx; a consumer's project runs
// the compiled program from the package, so only its runtime section differs.
const RUNTIME = /^runtime:\n(?: {2}.*\n)+main: index\.ts\n/m;

for (const [name, peers] of Object.entries(PROGRAMS)) {
  const source = readFileSync(join(root, "programs", name, "Pulumi.yaml"), "utf8");
  if (!RUNTIME.test(source))
    throw new Error(`programs/${name}/Pulumi.yaml: runtime section not found`);
  const project = join(outDir, "programs", name, "project");
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, "Pulumi.yaml"),
    source.replace(RUNTIME, "runtime: nodejs\nmain: index.js\n"),
  );
  for (const file of readdirSync(join(root, "programs", name))) {
    if (/^Pulumi\..+\.yaml$/.test(file))
      copyFileSync(join(root, "programs", name, file), join(project, file));
  }
  writeFileSync(
    join(project, "index.js"),
    `// The ${name} program of ${pkg.name}; configure it with this folder's stack files.\nexport { default } from "${pkg.name}/programs/${name}";\n`,
  );
  const dependencies = {
    [pkg.name]: `^${pkg.version}`,
    "@pulumi/pulumi": pkg.peerDependencies["@pulumi/pulumi"],
  };
  for (const peer of peers) dependencies[peer] = pkg.peerDependencies[peer];
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: `${name}-stacks`, private: true, type: "module", main: "index.js", dependencies }, null, 2)}\n`,
  );
}
