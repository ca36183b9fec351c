import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One resource as the engine would have seen it. */
export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** `urn::id` of the explicit provider, or undefined when the default one would be used. */
  provider?: string;
  /** Set for `.get()` reads: the id of the existing object. */
  readId?: string;
  /** The URN; it encodes the parent's type (`parent$child`). */
  urn?: string;
  /** Dotted paths of the inputs that reached the engine as secrets (e.g. `stringData.PGPASSWORD`). */
  secretInputs: string[];
  /** The `protect` option as the engine received it. */
  protect: boolean;
  /** URNs this resource waits for: `dependsOn` and the resources behind its input Outputs. */
  dependencies: string[];
}

/** A stack's exports as the engine keeps them: values, and which of them are secret. */
export interface StackExports {
  outputs: Record<string, unknown>;
  /** Exports whose value is secret; a StackReference reports them in `secretOutputNames`. */
  secretOutputs: string[];
}

export interface ProgramRun extends StackExports {
  resources: RecordedResource[];
}

export interface RunProgramOptions {
  project: string;
  stack: string;
  organization?: string;
  /** Keys without a namespace belong to the project; objects are stored as JSON, like the CLI. */
  config?: Record<string, unknown>;
  secretConfig?: Record<string, string>;
  /** Exports of the stacks a StackReference may name, by `org/project/stack`. */
  stackOutputs?: Record<string, StackExports>;
}

const ACCOUNT = "123456789012";
const REGION = "us-east-1";

/** Provider-computed attributes the programs read, with plausible values. */
function computedState(type: string, name: string, inputs: Record<string, unknown>) {
  const state: Record<string, unknown> = {};
  if (type.startsWith("aws:")) {
    state.arn = `arn:aws:${type.split(":")[1]?.split("/")[0]}:${REGION}:${ACCOUNT}:${name}`;
  }
  if (type.startsWith("kubernetes:")) {
    const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
    state.metadata = { ...metadata, name: metadata.name ?? `${name}-abc123` };
  }
  switch (type) {
    case "aws:lb/loadBalancer:LoadBalancer":
      return {
        ...state,
        dnsName: `${name}-1234.${REGION}.elb.amazonaws.com`,
        zoneId: "Z35SXDOTRQ7X7K",
      };
    case "aws:acm/certificate:Certificate": {
      const names = [inputs.domainName, ...((inputs.subjectAlternativeNames as unknown[]) ?? [])];
      return {
        ...state,
        domainValidationOptions: names.map((domainName) => ({
          domainName,
          resourceRecordName: `_abc.${String(domainName).replace("*.", "")}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: "_def.acm-validations.aws.",
        })),
      };
    }
    case "aws:acm/certificateValidation:CertificateValidation":
      return { ...state, certificateArn: inputs.certificateArn };
    case "aws:route53/record:Record":
      return { ...state, fqdn: inputs.name };
    case "aws:eks/cluster:Cluster":
      return {
        ...state,
        name: inputs.name ?? name,
        endpoint: "https://EXAMPLE.gr7.us-east-1.eks.amazonaws.com",
        certificateAuthority: { data: "LS0tLS1CRUdJTi0tLS0t" },
        identities: [
          { oidcs: [{ issuer: "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE" }] },
        ],
      };
    // What a gateway controller and the load balancer controller would report (stand-ins:
    // under mocks nothing reconciles).
    case "kubernetes:gateway.networking.k8s.io/v1:Gateway":
      return {
        ...state,
        status: { addresses: [{ value: "gw-1234.elb.us-east-1.amazonaws.com" }] },
      };
    case "kubernetes:networking.k8s.io/v1:Ingress":
      return {
        ...state,
        status: {
          loadBalancer: {
            ingress: [{ hostname: "k8s-previews-1234.us-east-1.elb.amazonaws.com" }],
          },
        },
      };
    case "aws:iam/role:Role":
    case "aws:cloudwatch/logGroup:LogGroup":
    case "aws:ecs/service:Service":
    case "aws:ecs/cluster:Cluster":
      return { ...state, name: inputs.name ?? `${name}-abc123` };
    default:
      return state;
  }
}

const CALLS: Record<string, Record<string, unknown>> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": {
    names: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
    zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
  },
  "aws:index/getRegion:getRegion": { region: REGION, name: REGION },
  "aws:index/getCallerIdentity:getCallerIdentity": {
    accountId: ACCOUNT,
    arn: `arn:aws:iam::${ACCOUNT}:user/ci`,
    userId: "AIDEXAMPLE",
  },
  "aws:ec2/getSubnets:getSubnets": { ids: ["subnet-looked-up-1", "subnet-looked-up-2"] },
};

function isSecretValue(value: unknown): value is { value: unknown } {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] ===
      pulumi.runtime.specialSecretSig
  );
}

/** Secrets reach mocks wrapped in a signature object; assertions want the plain value. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  if (isSecretValue(value)) return unwrapSecrets(value.value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** The dotted paths of the secret-wrapped values inside `value`. */
function secretPaths(value: unknown, path: string[] = []): string[] {
  if (isSecretValue(value)) return [path.join(".")];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => secretPaths(v, [...path, k]));
}

/**
 * What the engine learns from a registration beyond its inputs: the mocks API passes neither
 * `protect` nor dependencies to `newResource`, so they are read off the monitor's requests.
 */
interface Registration {
  protect: boolean;
  dependencies: string[];
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(callback: (deps: { getUrnsList(): string[] }) => void): void;
  };
}

function recordRegistrations(monitor: unknown): Map<string, Registration> {
  const seen = new Map<string, Registration>();
  const target = monitor as { registerResource(req: RegisterRequest, callback: unknown): unknown };
  const register = target.registerResource.bind(target);
  target.registerResource = (req, callback) => {
    const dependencies = new Set(req.getDependenciesList());
    req.getPropertydependenciesMap().forEach((deps) => {
      for (const urn of deps.getUrnsList()) dependencies.add(urn);
    });
    seen.set(`${req.getType()}::${req.getName()}`, {
      protect: req.getProtect(),
      dependencies: [...dependencies],
    });
    return register(req, callback);
  };
  return seen;
}

/** The exports of a program: resolved values, and the keys whose value is secret. */
async function settleExports(exported: unknown): Promise<StackExports> {
  const record = (exported ?? {}) as Record<string, unknown>;
  const secretOutputs: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (await pulumi.isSecret(pulumi.output(value))) secretOutputs.push(key);
  }
  return { outputs: (await settle(record)) as Record<string, unknown>, secretOutputs };
}

function configEntries(options: RunProgramOptions, values: Record<string, unknown>) {
  return Object.entries(values).map(([key, value]) => [
    key.includes(":") ? key : `${options.project}:${key}`,
    typeof value === "string" ? value : JSON.stringify(value),
  ]);
}

/** Resolves an Output, including a failure inside one, which `apply` would swallow. */
function settle(value: unknown): Promise<unknown> {
  const out = pulumi.output(value) as unknown as { promise(): Promise<unknown> };
  return out.promise();
}

/**
 * A resource input that fails when it resolves (e.g. a component's check of an Output) rejects
 * outside the program's promise, where only the process sees it. `pulumi up` fails the
 * deployment with it; so does a run here, instead of the test runner reporting it unhandled.
 */
function captureRegistrationFailures(): { errors: unknown[]; stop(): Promise<void> } {
  const errors: unknown[] = [];
  const others = process.listeners("unhandledRejection");
  const collect = (reason: unknown) => errors.push(reason);
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", collect);
  return {
    errors,
    async stop() {
      // Unhandled rejections are reported a turn after the promise settles.
      await new Promise((resolve) => setImmediate(resolve));
      process.off("unhandledRejection", collect);
      for (const listener of others) process.on("unhandledRejection", listener);
    },
  };
}

/**
 * Runs `program` as stack `options.stack` of `options.project` against mocks and returns every
 * registered resource and the resolved exports. The runtime is global: one run at a time.
 */
export async function runProgram(
  program: () => unknown,
  options: RunProgramOptions,
): Promise<ProgramRun> {
  const resources: RecordedResource[] = [];
  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      const inputs = args.inputs as Record<string, unknown>;
      if (args.type === "pulumi:pulumi:StackReference") {
        const stackName = String(inputs.name);
        const exports = options.stackOutputs?.[stackName];
        if (!exports) throw new Error(`mock: no stack '${stackName}'`);
        // As the engine returns them: secret values stay secret and are named, so that
        // getOutputValue refuses them as it does against a real backend.
        const outputs = Object.fromEntries(
          Object.entries(exports.outputs).map(([key, value]) => [
            key,
            exports.secretOutputs.includes(key) ? pulumi.secret(value) : value,
          ]),
        );
        return {
          id: stackName,
          state: { ...inputs, outputs, secretOutputNames: exports.secretOutputs },
        };
      }
      resources.push({
        type: args.type,
        name: args.name,
        inputs: unwrapSecrets(inputs) as Record<string, unknown>,
        provider: args.provider || undefined,
        readId: args.id || undefined,
        secretInputs: secretPaths(inputs),
        protect: false,
        dependencies: [],
      });
      return {
        id: args.id || `${args.name}-id`,
        state: { ...inputs, ...computedState(args.type, args.name, inputs) },
      };
    },
    call(args) {
      return CALLS[args.token] ?? {};
    },
  };
  await pulumi.runtime.setMocks(
    mocks,
    options.project,
    options.stack,
    false,
    options.organization ?? "acme",
  );
  const secret = configEntries(options, options.secretConfig ?? {});
  pulumi.runtime.setAllConfig(
    Object.fromEntries([...configEntries(options, options.config ?? {}), ...secret]),
    secret.map(([key]) => key as string),
  );

  const monitor = pulumi.runtime.getMonitor() as unknown as
    { getRegisteredResources(): Map<string, { urn: string }> } | undefined;
  const registrations = recordRegistrations(monitor);
  let exports: StackExports;
  const failures = captureRegistrationFailures();
  try {
    // Await an async program first: wrapping a rejected promise in an Output leaks rejections.
    exports = await settleExports(await program());
  } finally {
    // Waits for every pending registration: the record is complete, and nothing from this run
    // reaches the next run's monitor.
    await pulumi.runtime.disconnect();
    await failures.stop();
  }
  if (failures.errors.length > 0) throw failures.errors[0];

  const urns = [...(monitor?.getRegisteredResources().keys() ?? [])];
  for (const resource of resources) {
    resource.urn = urns.find((urn) => urn.endsWith(`${resource.type}::${resource.name}`));
    const registration = registrations.get(`${resource.type}::${resource.name}`);
    resource.protect = registration?.protect ?? false;
    resource.dependencies = registration?.dependencies ?? [];
  }
  return { resources, ...exports };
}

/** The one resource of `type` named `name`, or a failure naming what is there instead. */
export function resourceNamed(run: ProgramRun, type: string, name: string): RecordedResource {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) {
    const names = ofType(run, type).map((r) => r.name);
    throw new Error(`no ${type} named ${name}; there are: ${names.join(", ") || "none"}`);
  }
  return found;
}

/** Whether `resource` waits for `other`, directly or through the resources it waits for. */
export function waitsFor(run: ProgramRun, resource: RecordedResource, other: RecordedResource) {
  const seen = new Set<string>();
  const pending = [...resource.dependencies];
  while (pending.length > 0) {
    const urn = pending.pop()!;
    if (urn === other.urn) return true;
    if (seen.has(urn)) continue;
    seen.add(urn);
    const next = run.resources.find((r) => r.urn === urn);
    pending.push(...(next?.dependencies ?? []));
  }
  return false;
}

/** The resources of a package (`kubernetes`, `aws`) or of one exact type. */
export function ofType(run: ProgramRun, prefix: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === prefix || r.type.startsWith(`${prefix}:`));
}

type PodTemplate = { template?: { spec?: Record<string, unknown> } };

/** The pod template spec of each workload (Deployment, StatefulSet, Job, CronJob). */
export function podSpecs(run: ProgramRun): { owner: string; spec: Record<string, unknown> }[] {
  return run.resources.flatMap((r) => {
    const workload = r.inputs.spec as
      (PodTemplate & { jobTemplate?: { spec?: PodTemplate } }) | undefined;
    const spec = (workload?.jobTemplate?.spec ?? workload)?.template?.spec;
    return spec ? [{ owner: `${r.type}::${r.name}`, spec }] : [];
  });
}

/** Every container and init container of the workloads (Deployments, StatefulSets, Jobs, CronJobs). */
export function podContainers(run: ProgramRun) {
  return podSpecs(run).flatMap(({ owner, spec }) => {
    const list = (key: string) =>
      ((spec[key] as Record<string, unknown>[] | undefined) ?? []).map((c) => ({
        owner,
        container: c,
      }));
    return [...list("initContainers"), ...list("containers")];
  });
}

/** A digest-pinned image reference for tests. */
export function digestRef(repository: string, seed = "a"): string {
  return `${repository}@sha256:${seed.repeat(64).slice(0, 64)}`;
}

/**
 * Whether the AWS provider's schema gives `type` a `tags` input, read off the SDK's generated
 * class (`aws:ec2/vpc:Vpc` is `aws.ec2.Vpc`): tag tests then check every taggable resource,
 * untagged ones included, not only those that happen to carry tags.
 */
export function awsTaggable(type: string): boolean {
  const match = /^aws:([a-zA-Z0-9]+)\/[a-zA-Z0-9]+:([A-Za-z0-9]+)$/.exec(type);
  if (!match) return false;
  const [, module = "", name = ""] = match;
  const namespace = (
    module === "index" ? aws : (aws as unknown as Record<string, unknown>)[module]
  ) as Record<string, unknown> | undefined;
  const resourceClass = namespace?.[name];
  if (typeof resourceClass !== "function") throw new Error(`no SDK class for ${type}`);
  return String(resourceClass).includes('resourceInputs["tags"] = args?.tags');
}
