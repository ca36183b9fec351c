/**
 * A PostgreSQL 15 image for the test node, `FROM scratch` out of Debian's `postgresql-15`
 * (installed by .ci/run): the server, initdb, pg_isready and psql with the shared libraries
 * `ldd` names, the extension libraries and share files, dash as `/bin/sh` (the kit's database
 * Job runs `sh -c` with psql), bash (the kit's database janitor and provisioner run their
 * scripts with it) and sleep (the provisioner's pause), a UTC zone file and an /etc/passwd naming the non-root user.
 * Its entrypoint does what the kit's SharedPostgres expects of the official image: initialise
 * PGDATA on first start with POSTGRES_USER/POSTGRES_PASSWORD, then serve on every address.
 */
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { POSTGRES_IMAGE_USER } from "../../components/kubernetes/postgres.js";
import { type ImageSpec, sharedLibraries } from "./node-images.js";

const VERSION = "15";
const BIN = `/usr/lib/postgresql/${VERSION}/bin`;
const LIB = `/usr/lib/postgresql/${VERSION}/lib`;
const SHARE = `/usr/share/postgresql/${VERSION}`;
const PROGRAMS = ["postgres", "initdb", "pg_isready", "psql"];

/** True where Debian's postgresql-15 is installed, which the image is made of. */
export function postgresInstalled(): boolean {
  return existsSync(join(BIN, "postgres")) && existsSync(join(BIN, "psql"));
}

/**
 * First start: initdb with the superuser's password (host connections need it, scram), the
 * socket in the pod trusted as the official image does; then the server in the foreground.
 */
const ENTRYPOINT = `set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\\n' "$POSTGRES_PASSWORD" | initdb -D "$PGDATA" -U "$POSTGRES_USER" \\
    --pwfile=/dev/stdin --auth-local=trust --auth-host=scram-sha-256 \\
    --encoding=UTF8 --locale=C --no-sync
  printf 'host all all 0.0.0.0/0 scram-sha-256\\n' >>"$PGDATA/pg_hba.conf"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c jit=off
`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

export function postgresImageSpec(): ImageSpec {
  const programs = PROGRAMS.map((name) => join(BIN, name));
  // The JIT provider would pull in LLVM (the entrypoint turns JIT off); bitcode is its input.
  const modules = filesUnder(LIB).filter(
    (file) => file.endsWith(".so") && !file.includes("/llvmjit"),
  );
  const files: Record<string, string> = {
    "/bin/sh": realpathSync("/bin/dash"),
    "/bin/bash": realpathSync("/bin/bash"),
    // The database provisioner waits between sweeps with it, as in the official image.
    "/bin/sleep": realpathSync("/bin/sleep"),
  };
  for (const file of [...programs, ...modules, ...filesUnder(SHARE)]) files[file] = file;
  for (const lib of sharedLibraries([
    ...programs,
    ...modules,
    "/bin/dash",
    "/bin/bash",
    "/bin/sleep",
  ]))
    files[lib] = lib;
  for (const zone of ["/usr/share/zoneinfo/UTC", "/usr/share/zoneinfo/Etc/UTC"]) files[zone] = zone;
  const { runAsUser: uid, runAsGroup: gid } = POSTGRES_IMAGE_USER;
  return {
    repository: "preview-kit/postgres",
    files,
    texts: {
      "/etc/passwd": `root:x:0:0:root:/:/bin/sh\npostgres:x:${uid}:${gid}:PostgreSQL:/var/lib/postgresql:/bin/sh\n`,
      "/etc/group": `root:x:0:\npostgres:x:${gid}:\n`,
      "/usr/local/bin/entrypoint.sh": ENTRYPOINT,
    },
    // The server's socket directory (Debian's default, where pg_isready looks) and a /tmp.
    directories: ["/var/run/postgresql", "/tmp"],
    entrypoint: ["/bin/sh", "/usr/local/bin/entrypoint.sh"],
    env: [`PATH=${BIN}:/bin`, "TZ=UTC", "PGDATA=/var/lib/postgresql/data"],
    user: String(uid),
    port: 5432,
  };
}

/**
 * The janitor's kubectl image: the engines' kubectl with `sh` and `cp` (its init container
 * copies kubectl into the sweep's pod), and their libraries.
 */
export function kubectlImageSpec(kubectl: string): ImageSpec {
  const programs = { "/bin/sh": realpathSync("/bin/dash"), "/bin/cp": realpathSync("/bin/cp") };
  const files: Record<string, string> = { ...programs, "/usr/local/bin/kubectl": kubectl };
  for (const lib of sharedLibraries([...Object.values(programs), kubectl])) files[lib] = lib;
  return {
    repository: "preview-kit/kubectl",
    files,
    entrypoint: ["/usr/local/bin/kubectl"],
    env: ["PATH=/usr/local/bin:/bin"],
    user: "65532",
  };
}
