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
}

export interface ProgramRun {
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
}

export interface RunProgramOptions {
  project: string;
  stack: string;
  organization?: string;
  /** Keys without a namespace belong to the project; objects are stored as JSON, like the CLI. */
  config?: Record<string, unknown>;
  secretConfig?: Record<string, string>;
  /** Outputs of the stacks a StackReference may name, by `org/project/stack`. */
  stackOutputs?: Record<string, Record<string, unknown>>;
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

/** Secrets reach mocks wrapped in a signature object; assertions want the plain value. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
    return unwrapSecrets(record.value);
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
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
        const outputs = options.stackOutputs?.[stackName];
        if (!outputs) throw new Error(`mock: no stack '${stackName}'`);
        return { id: stackName, state: { ...inputs, outputs } };
      }
      resources.push({
        type: args.type,
        name: args.name,
        inputs: unwrapSecrets(inputs) as Record<string, unknown>,
        provider: args.provider || undefined,
        readId: args.id || undefined,
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
  let outputs: Record<string, unknown>;
  const failures = captureRegistrationFailures();
  try {
    // Await an async program first: wrapping a rejected promise in an Output leaks rejections.
    const exported = await program();
    outputs = (await settle(exported ?? {})) as Record<string, unknown>;
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
  }
  return { resources, outputs };
}

/** The resources of a package (`kubernetes`, `aws`) or of one exact type. */
export function ofType(run: ProgramRun, prefix: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === prefix || r.type.startsWith(`${prefix}:`));
}

type PodTemplate = { template?: { spec?: Record<string, unknown> } };

/** Every container and init container of the workloads (Deployments, StatefulSets, Jobs, CronJobs). */
export function podContainers(run: ProgramRun) {
  return run.resources.flatMap((r) => {
    const workload = r.inputs.spec as
      (PodTemplate & { jobTemplate?: { spec?: PodTemplate } }) | undefined;
    const spec = (workload?.jobTemplate?.spec ?? workload)?.template?.spec;
    if (!spec) return [];
    const list = (key: string) =>
      ((spec[key] as Record<string, unknown>[] | undefined) ?? []).map((c) => ({
        owner: `${r.type}::${r.name}`,
        container: c,
      }));
    return [...list("initContainers"), ...list("containers")];
  });
}

/** A digest-pinned image reference for tests. */
export function digestRef(repository: string, seed = "a"): string {
  return `${repository}@sha256:${seed.repeat(64).slice(0, 64)}`;
}
