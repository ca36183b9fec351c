/**
 * The emulated cluster's state and the namespace lifecycle of kube-apiserver plus the
 * namespace controller (pkg/controller/namespace/deletion), without the HTTP layer:
 *
 * - a namespace is created with `spec.finalizers: ["kubernetes"]`;
 * - DELETE marks it `Terminating` (deletionTimestamp); a second DELETE answers it again (200);
 * - its content is deleted; objects go after their own delay, objects carrying
 *   `metadata.finalizers` never go (nobody in the emulator removes them);
 * - while content remains, `status.conditions` carry the controller's five conditions
 *   with its exact messages;
 * - once content is gone (and discovery works), the controller finalizes: the namespace
 *   disappears; `PUT .../finalize` with empty `spec.finalizers` does that at once, and
 *   leftover content is orphaned (kept in `orphans`, as a garbage collector would see it).
 *
 * Time is read lazily: every read reconciles against the clock, so there are no timers.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { ResourceRegistry, apiVersionOf, type ResourceType } from "./resources.js";

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface NamespaceCondition {
  type: string;
  status: "True" | "False";
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** A namespaced object seeded by a test. */
export interface SeedObject {
  apiVersion: string;
  kind: string;
  name: string;
  labels?: Record<string, string>;
  /** `metadata.finalizers`: the object then never goes away by itself. */
  finalizers?: string[];
  /** How long after its namespace's deletion the object is gone; default 0, Infinity = never. */
  removeAfterMs?: number;
}

export interface NamespaceSeed {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** `metadata.finalizers` of the namespace itself (e.g. a platform controller's). */
  finalizers?: string[];
  content?: SeedObject[];
  /** How long the controller takes to finalize once the content is gone; default 0. */
  finalizeAfterMs?: number;
}

/** One RBAC denial: `verb` on `resource` (`namespaces/finalize`, `pods`) in `group`. */
export interface Permission {
  verb: string;
  resource: string;
  group?: string;
}

export interface User {
  name: string;
  token: string;
  forbidden: Permission[];
}

interface StoredObject {
  type: ResourceType;
  body: KubeObject;
  removeAfterMs: number;
}

interface StoredNamespace {
  body: KubeObject & {
    spec: { finalizers?: string[] };
    status: { phase: string; conditions?: NamespaceCondition[] };
  };
  deletedAt?: number;
  finalizeAfterMs: number;
}

/** The result of an operation: an HTTP status and the body to send. */
export type Outcome<T = object> =
  | { ok: true; code: number; body: T }
  | {
      ok: false;
      code: number;
      reason: "NotFound" | "AlreadyExists" | "Conflict" | "Terminating" | "Invalid";
      why?: string;
    };

const CONDITION_TYPES = [
  "NamespaceDeletionDiscoveryFailure",
  "NamespaceDeletionGroupVersionParsingFailure",
  "NamespaceDeletionContentFailure",
  "NamespaceContentRemaining",
  "NamespaceFinalizersRemaining",
] as const;

const OK_CONDITIONS: Record<(typeof CONDITION_TYPES)[number], { reason: string; message: string }> =
  {
    NamespaceDeletionDiscoveryFailure: {
      reason: "ResourcesDiscovered",
      message: "All resources successfully discovered",
    },
    NamespaceDeletionGroupVersionParsingFailure: {
      reason: "ParsedGroupVersions",
      message: "All legacy kube types successfully parsed",
    },
    NamespaceDeletionContentFailure: {
      reason: "ContentDeleted",
      message: "All content successfully deleted, may be waiting on finalization",
    },
    NamespaceContentRemaining: {
      reason: "ContentRemoved",
      message: "All content successfully removed",
    },
    NamespaceFinalizersRemaining: {
      reason: "ContentHasNoFinalizers",
      message: "All content-preserving finalizers finished",
    },
  };

const clone = <T>(value: T): T => structuredClone(value);
const timestamp = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

export class Cluster {
  readonly resources = new ResourceRegistry();
  /** Content whose namespace was finalized away before it was deleted. */
  readonly orphans: KubeObject[] = [];
  private readonly namespaces = new Map<string, StoredNamespace>();
  private objects: StoredObject[] = [];
  private readonly users = new Map<string, User>();
  private readonly brokenGroupVersions = new Set<string>();
  private resourceVersion = 1000;

  constructor(private readonly clock: () => number = Date.now) {}

  // --- set-up, for tests -------------------------------------------------------------

  /** Adds a user with a bearer token (random when not given); returns the token. */
  addUser(name: string, token = randomBytes(24).toString("base64url")): string {
    this.users.set(token, { name, token, forbidden: [] });
    return token;
  }

  /** Denies `permission` to the user owning `token` (RBAC without the rule). */
  forbid(token: string, permission: Permission): void {
    const user = this.users.get(token);
    if (!user) throw new Error("forbid: unknown token");
    user.forbidden.push(permission);
  }

  userFor(token: string | undefined): User | undefined {
    return token === undefined ? undefined : this.users.get(token);
  }

  isForbidden(user: User, verb: string, resource: string, group: string): boolean {
    return user.forbidden.some(
      (p) => p.verb === verb && p.resource === resource && (p.group ?? "") === group,
    );
  }

  /** Makes an aggregated API unavailable, as a dead metrics-server does: discovery of it fails. */
  breakGroupVersion(groupVersion: string): void {
    this.brokenGroupVersions.add(groupVersion);
  }

  isBroken(groupVersion: string): boolean {
    return this.brokenGroupVersions.has(groupVersion);
  }

  addNamespace(name: string, seed: NamespaceSeed = {}): void {
    const created = this.createNamespace({
      metadata: {
        name,
        labels: seed.labels,
        annotations: seed.annotations,
        finalizers: seed.finalizers,
      },
    });
    if (!created.ok) throw new Error(`addNamespace ${name}: ${created.reason}`);
    const stored = this.namespaces.get(name) as StoredNamespace;
    stored.finalizeAfterMs = seed.finalizeAfterMs ?? 0;
    for (const object of seed.content ?? []) this.addObject(name, object);
  }

  addObject(namespace: string, seed: SeedObject): void {
    const type = this.resources.resolve(seed.apiVersion, seed.kind);
    this.objects.push({
      type,
      removeAfterMs: seed.removeAfterMs ?? 0,
      body: {
        apiVersion: seed.apiVersion,
        kind: seed.kind,
        metadata: {
          name: seed.name,
          namespace,
          uid: randomUUID(),
          resourceVersion: this.bump(),
          creationTimestamp: timestamp(this.clock()),
          ...(seed.labels ? { labels: seed.labels } : {}),
          ...(seed.finalizers?.length ? { finalizers: [...seed.finalizers] } : {}),
        },
      },
    });
  }

  // --- reads ---------------------------------------------------------------------------

  /** The namespace as `GET` returns it, or undefined when it does not exist. */
  namespace(name: string): StoredNamespace["body"] | undefined {
    this.reconcile();
    const stored = this.namespaces.get(name);
    return stored && clone(stored.body);
  }

  namespaceNames(): string[] {
    this.reconcile();
    return [...this.namespaces.keys()];
  }

  listNamespaces(): object {
    this.reconcile();
    return {
      kind: "NamespaceList",
      apiVersion: "v1",
      metadata: { resourceVersion: String(this.resourceVersion) },
      items: [...this.namespaces.values()].map((ns) => {
        const { kind: _kind, apiVersion: _apiVersion, ...item } = clone(ns.body);
        return item;
      }),
    };
  }

  /** Objects still present in a namespace (all namespaces when undefined). */
  content(namespace?: string): KubeObject[] {
    this.reconcile();
    return this.objects
      .filter((o) => namespace === undefined || o.body.metadata.namespace === namespace)
      .map((o) => clone(o.body));
  }

  listObjects(type: ResourceType, namespace: string | undefined): object {
    this.reconcile();
    const builtIn = !type.group || !type.group.includes(".");
    const items = this.objects
      .filter(
        (o) =>
          o.type === type && (namespace === undefined || o.body.metadata.namespace === namespace),
      )
      .map((o) => {
        // Typed (built-in) lists omit each item's kind and apiVersion; custom resources keep them.
        const body = clone(o.body);
        if (builtIn) {
          delete body.kind;
          delete body.apiVersion;
        }
        return body;
      });
    return {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(this.resourceVersion) },
      items,
    };
  }

  getObject(type: ResourceType, namespace: string, name: string): Outcome {
    this.reconcile();
    const found = this.find(type, namespace, name);
    return found
      ? { ok: true, code: 200, body: clone(found.body) }
      : { ok: false, code: 404, reason: "NotFound" };
  }

  // --- writes --------------------------------------------------------------------------

  createNamespace(body: { metadata?: Partial<KubeObject["metadata"]> }): Outcome {
    this.reconcile();
    const name = body.metadata?.name;
    if (!name)
      return {
        ok: false,
        code: 422,
        reason: "Invalid",
        why: "metadata.name: Required value: name or generateName is required",
      };
    if (this.namespaces.has(name)) return { ok: false, code: 409, reason: "AlreadyExists" };
    const stored: StoredNamespace = {
      finalizeAfterMs: 0,
      body: {
        kind: "Namespace",
        apiVersion: "v1",
        metadata: {
          name,
          uid: randomUUID(),
          resourceVersion: this.bump(),
          creationTimestamp: timestamp(this.clock()),
          labels: { ...body.metadata?.labels, "kubernetes.io/metadata.name": name },
          ...(body.metadata?.annotations ? { annotations: { ...body.metadata.annotations } } : {}),
          ...(body.metadata?.finalizers?.length
            ? { finalizers: [...body.metadata.finalizers] }
            : {}),
        },
        spec: { finalizers: ["kubernetes"] },
        status: { phase: "Active" },
      },
    };
    this.namespaces.set(name, stored);
    return { ok: true, code: 201, body: clone(stored.body) };
  }

  /** First DELETE: 200 with the Terminating namespace; later ones: 409 while it terminates. */
  deleteNamespace(name: string): Outcome {
    this.reconcile();
    const stored = this.namespaces.get(name);
    if (!stored) return { ok: false, code: 404, reason: "NotFound" };
    // A second DELETE answers 200 with the Terminating namespace, as kube-apiserver v1.37 does.
    if (stored.deletedAt !== undefined) return { ok: true, code: 200, body: clone(stored.body) };
    const now = this.clock();
    stored.deletedAt = now;
    stored.body.metadata.deletionTimestamp = timestamp(now);
    stored.body.status.phase = "Terminating";
    stored.body.metadata.resourceVersion = this.bump();
    for (const object of this.objects) {
      if (object.body.metadata.namespace !== name) continue;
      object.body.metadata.deletionTimestamp = timestamp(now);
      object.body.metadata.deletionGracePeriodSeconds = 0;
    }
    const response = clone(stored.body);
    this.reconcile();
    return { ok: true, code: 200, body: response };
  }

  /**
   * `PUT /api/v1/namespaces/{name}/finalize`: sets `spec.finalizers` from the body. A
   * Terminating namespace left without finalizers is removed at once (the response still
   * shows it, as the real one does); its remaining content becomes orphaned.
   */
  finalizeNamespace(
    name: string,
    body: { metadata?: { resourceVersion?: string }; spec?: { finalizers?: string[] } },
  ): Outcome {
    this.reconcile();
    const stored = this.namespaces.get(name);
    if (!stored) return { ok: false, code: 404, reason: "NotFound" };
    const expected = body.metadata?.resourceVersion;
    if (expected && expected !== stored.body.metadata.resourceVersion) {
      return { ok: false, code: 409, reason: "Conflict" };
    }
    const finalizers = body.spec?.finalizers ?? [];
    stored.body.spec = finalizers.length > 0 ? { finalizers: [...finalizers] } : {};
    stored.body.metadata.resourceVersion = this.bump();
    const response = clone(stored.body);
    this.removeIfFinalized(stored);
    return { ok: true, code: 200, body: response };
  }

  createObject(type: ResourceType, namespace: string, body: KubeObject): Outcome {
    this.reconcile();
    const ns = this.namespaces.get(namespace);
    if (!ns) return { ok: false, code: 404, reason: "NotFound", why: "namespace" };
    if (ns.deletedAt !== undefined) return { ok: false, code: 403, reason: "Terminating" };
    if (this.find(type, namespace, body.metadata?.name))
      return { ok: false, code: 409, reason: "AlreadyExists" };
    this.addObject(namespace, {
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      name: body.metadata.name,
      labels: body.metadata.labels,
      finalizers: body.metadata.finalizers,
    });
    const created = this.getObject(type, namespace, body.metadata.name);
    return created.ok ? { ...created, code: 201 } : created;
  }

  deleteObject(type: ResourceType, namespace: string, name: string): Outcome {
    this.reconcile();
    const found = this.find(type, namespace, name);
    if (!found) return { ok: false, code: 404, reason: "NotFound" };
    if (found.body.metadata.finalizers?.length) {
      found.body.metadata.deletionTimestamp ??= timestamp(this.clock());
      return { ok: true, code: 200, body: clone(found.body) };
    }
    this.objects = this.objects.filter((o) => o !== found);
    return { ok: true, code: 200, body: clone(found.body) };
  }

  // --- the namespace controller ------------------------------------------------------------

  private find(
    type: ResourceType,
    namespace: string,
    name: string | undefined,
  ): StoredObject | undefined {
    return this.objects.find(
      (o) =>
        o.type === type && o.body.metadata.namespace === namespace && o.body.metadata.name === name,
    );
  }

  private bump(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  private reconcile(): void {
    const now = this.clock();
    for (const stored of [...this.namespaces.values()]) {
      if (stored.deletedAt === undefined) continue;
      const deletedAt = stored.deletedAt;
      const name = stored.body.metadata.name;
      this.objects = this.objects.filter(
        (o) =>
          o.body.metadata.namespace !== name ||
          (o.body.metadata.finalizers?.length ?? 0) > 0 ||
          now < deletedAt + o.removeAfterMs,
      );
      const remaining = this.objects.filter((o) => o.body.metadata.namespace === name);
      const discoveryBroken = this.brokenGroupVersions.size > 0;
      this.updateConditions(stored, remaining, now);
      const contentGone = remaining.length === 0 && !discoveryBroken;
      if (contentGone && now >= deletedAt + stored.finalizeAfterMs) {
        stored.body.spec = {};
        this.removeIfFinalized(stored);
      }
    }
  }

  private removeIfFinalized(stored: StoredNamespace): void {
    const name = stored.body.metadata.name;
    if (stored.deletedAt === undefined) return;
    if ((stored.body.spec.finalizers?.length ?? 0) > 0) return;
    if ((stored.body.metadata.finalizers?.length ?? 0) > 0) return;
    this.namespaces.delete(name);
    for (const orphan of this.objects.filter((o) => o.body.metadata.namespace === name)) {
      this.orphans.push(clone(orphan.body));
    }
    this.objects = this.objects.filter((o) => o.body.metadata.namespace !== name);
  }

  /** The conditions pkg/controller/namespace/deletion/status_condition_utils.go writes. */
  private updateConditions(stored: StoredNamespace, remaining: StoredObject[], now: number): void {
    const name = stored.body.metadata.name;
    const failing = new Map<string, { status: "True"; reason: string; message: string }>();

    if (this.brokenGroupVersions.size > 0) {
      const groups = [...this.brokenGroupVersions].sort();
      failing.set("NamespaceDeletionDiscoveryFailure", {
        status: "True",
        reason: "DiscoveryFailed",
        message:
          `Discovery failed for some groups, ${groups.length} failing: unable to retrieve the complete list of server APIs: ` +
          groups.map((gv) => `${gv}: stale GroupVersion discovery: ${gv}`).join(", "),
      });
    }

    const perResource = new Map<ResourceType, StoredObject[]>();
    for (const object of remaining)
      perResource.set(object.type, [...(perResource.get(object.type) ?? []), object]);
    const perFinalizer = new Map<string, number>();
    for (const object of remaining) {
      for (const finalizer of object.body.metadata.finalizers ?? []) {
        perFinalizer.set(finalizer, (perFinalizer.get(finalizer) ?? 0) + 1);
      }
    }

    // Objects that remain without a finalizer holding them are "unexpected" to the controller.
    const unexpected = [...perResource]
      .filter(([, objects]) => objects.every((o) => !o.body.metadata.finalizers?.length))
      .map(
        ([type]) =>
          `unexpected items still remain in namespace: ${name} for gvr: ${type.group}/${type.version}, Resource=${type.plural}`,
      )
      .sort();
    if (unexpected.length > 0) {
      failing.set("NamespaceDeletionContentFailure", {
        status: "True",
        reason: "ContentDeletionFailed",
        message: `Failed to delete all resource types, ${unexpected.length} remaining: ${unexpected.join(", ")}`,
      });
    }
    if (perResource.size > 0) {
      const parts = [...perResource].map(
        ([type, objects]) =>
          `${type.plural}.${type.group} has ${objects.length} resource instances`,
      );
      failing.set("NamespaceContentRemaining", {
        status: "True",
        reason: "SomeResourcesRemain",
        message: `Some resources are remaining: ${parts.sort().join(", ")}`,
      });
    }
    if (perFinalizer.size > 0) {
      const parts = [...perFinalizer].map(
        ([finalizer, count]) => `${finalizer} in ${count} resource instances`,
      );
      failing.set("NamespaceFinalizersRemaining", {
        status: "True",
        reason: "SomeFinalizersRemain",
        message: `Some content in the namespace has finalizers remaining: ${parts.sort().join(", ")}`,
      });
    }

    const old = stored.body.status.conditions ?? [];
    let changed = old.length === 0;
    const conditions = CONDITION_TYPES.map((type): NamespaceCondition => {
      const next = failing.get(type) ?? { status: "False" as const, ...OK_CONDITIONS[type] };
      const previous = old.find((c) => c.type === type);
      if (
        previous &&
        previous.status === next.status &&
        previous.reason === next.reason &&
        previous.message === next.message
      ) {
        return previous;
      }
      changed = true;
      const lastTransitionTime =
        previous && previous.status === next.status ? previous.lastTransitionTime : timestamp(now);
      return {
        type,
        status: next.status,
        lastTransitionTime,
        reason: next.reason,
        message: next.message,
      };
    });
    if (changed) {
      stored.body.status.conditions = conditions;
      stored.body.metadata.resourceVersion = this.bump();
    }
  }
}
