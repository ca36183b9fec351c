/**
 * The API resources the emulator serves, and the discovery documents (`/api`, `/apis`,
 * `/api/v1`, `/apis/{group}/{version}`) a client reads to find them, shaped like a real
 * API server's answers.
 */

export interface ResourceType {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Plural name used in URLs, e.g. `pods`. */
  plural: string;
  namespaced: boolean;
}

const LIST_VERBS = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

const BUILT_IN: ResourceType[] = [
  { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false },
  { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true },
  { group: "", version: "v1", kind: "Service", plural: "services", namespaced: true },
  { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true },
  { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true },
  { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true },
  {
    group: "",
    version: "v1",
    kind: "PersistentVolumeClaim",
    plural: "persistentvolumeclaims",
    namespaced: true,
  },
  { group: "", version: "v1", kind: "Event", plural: "events", namespaced: true },
  { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true },
  { group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true },
  { group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", namespaced: true },
  { group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true },
  {
    group: "networking.k8s.io",
    version: "v1",
    kind: "NetworkPolicy",
    plural: "networkpolicies",
    namespaced: true,
  },
];

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOf(type: Pick<ResourceType, "group" | "version">): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export class ResourceRegistry {
  private readonly types: ResourceType[] = [...BUILT_IN];

  all(): readonly ResourceType[] {
    return this.types;
  }

  /** Registers a custom resource (as installing its CRD would); idempotent. */
  register(type: ResourceType): ResourceType {
    const existing = this.byKind(apiVersionOf(type), type.kind);
    if (existing) return existing;
    this.types.push(type);
    return type;
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find(
      (t) => t.group === group && t.version === version && t.plural === plural,
    );
  }

  /** A kind seen for the first time is registered as a custom resource with a naive plural. */
  resolve(apiVersion: string, kind: string): ResourceType {
    const known = this.byKind(apiVersion, kind);
    if (known) return known;
    const { group, version } = splitApiVersion(apiVersion);
    return this.register({
      group,
      version,
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: true,
    });
  }

  groups(): { name: string; versions: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const type of this.types) {
      if (!type.group) continue;
      const versions = groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      groups.set(type.group, versions);
    }
    return [...groups].map(([name, versions]) => ({ name, versions }));
  }

  /** `GET /api`: the core group's versions. */
  apiVersions(serverAddress: string): object {
    return {
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
    };
  }

  /** `GET /apis`: every named group with its preferred version. */
  apiGroupList(): object {
    return {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: this.groups().map(({ name, versions }) => ({
        name,
        versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }

  /** `GET /api/v1` or `/apis/{group}/{version}`; undefined for an unknown group version. */
  apiResourceList(group: string, version: string): object | undefined {
    const types = this.types.filter((t) => t.group === group && t.version === version);
    if (types.length === 0) return undefined;
    const resources: object[] = [];
    for (const type of types) {
      resources.push({
        name: type.plural,
        singularName: type.kind.toLowerCase(),
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: LIST_VERBS,
      });
      if (type.kind === "Namespace") {
        resources.push(
          {
            name: "namespaces/finalize",
            singularName: "",
            namespaced: false,
            kind: "Namespace",
            verbs: ["update"],
          },
          {
            name: "namespaces/status",
            singularName: "",
            namespaced: false,
            kind: "Namespace",
            verbs: ["get", "patch", "update"],
          },
        );
      }
    }
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: apiVersionOf({ group, version }),
      resources,
    };
  }
}
