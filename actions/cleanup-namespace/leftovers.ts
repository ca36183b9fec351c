/**
 * What is still inside a namespace that will not go away: found through discovery, then
 * one list per namespaced resource type. When the namespace controller has already
 * named the remaining resource types (NamespaceContentRemaining), only those are listed.
 */
import { mapLimited } from "../shared/pool.js";
import type { KubeClient } from "../shared/kube/client.js";
import type { Namespace } from "./namespace-api.js";

export interface Leftover {
  apiVersion: string;
  kind: string;
  name: string;
  finalizers?: string[];
}

export interface LeftoverReport {
  items: Leftover[];
  /** Resource types that could not be listed (forbidden, unavailable API). */
  unreadable: string[];
  /** Items beyond the cap, counted but not listed. */
  omitted: number;
}

interface ResourceType {
  groupVersion: string;
  group: string;
  kind: string;
  plural: string;
}

interface APIResourceList {
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

interface APIGroupList {
  groups?: { name: string; preferredVersion?: { groupVersion: string } }[];
}

const MAX_ITEMS = 100;
const CONCURRENCY = 4;

/** `pods.`, `widgets.example.com` from the controller's "Some resources are remaining" message. */
export function remainingGroupResources(namespace: Namespace): Set<string> | undefined {
  const condition = namespace.status?.conditions?.find(
    (c) => c.type === "NamespaceContentRemaining",
  );
  if (condition?.status !== "True" || !condition.message) return undefined;
  const found = [...condition.message.matchAll(/([a-z0-9.-]+) has \d+ resource instances/g)].map(
    (m) => m[1] as string,
  );
  return found.length > 0 ? new Set(found) : undefined;
}

async function resourceTypes(
  client: KubeClient,
  onlyGroups: Set<string> | undefined,
  unreadable: string[],
): Promise<ResourceType[]> {
  const groupVersions: string[] = [];
  if (!onlyGroups || onlyGroups.has("")) groupVersions.push("v1");
  const groups = await client.request<APIGroupList>("GET", "/apis");
  if (groups.status === 200) {
    for (const group of groups.body.groups ?? []) {
      if (onlyGroups && !onlyGroups.has(group.name)) continue;
      if (group.preferredVersion) groupVersions.push(group.preferredVersion.groupVersion);
    }
  } else {
    unreadable.push(`/apis (HTTP ${groups.status})`);
  }
  const lists = await mapLimited(groupVersions, CONCURRENCY, async (gv) => {
    const response = await client.request<APIResourceList>(
      "GET",
      gv === "v1" ? "/api/v1" : `/apis/${gv}`,
    );
    if (response.status !== 200) {
      unreadable.push(`${gv} (HTTP ${response.status})`);
      return [];
    }
    const group = gv.includes("/") ? gv.slice(0, gv.indexOf("/")) : "";
    return (response.body.resources ?? [])
      .filter((r) => r.namespaced && !r.name.includes("/") && (r.verbs ?? []).includes("list"))
      .map((r) => ({ groupVersion: gv, group, kind: r.kind, plural: r.name }));
  });
  return lists.flat();
}

export async function findLeftovers(
  client: KubeClient,
  namespace: Namespace,
): Promise<LeftoverReport> {
  const named = remainingGroupResources(namespace);
  const onlyGroups = named && new Set([...named].map((gr) => gr.slice(gr.indexOf(".") + 1)));
  const unreadable: string[] = [];
  const types = (await resourceTypes(client, onlyGroups, unreadable)).filter(
    (t) => !named || named.has(`${t.plural}.${t.group}`),
  );
  const name = encodeURIComponent(namespace.metadata.name);
  const lists = await mapLimited(types, CONCURRENCY, async (type) => {
    const prefix = type.group ? `/apis/${type.groupVersion}` : "/api/v1";
    const response = await client.request<{
      items?: { metadata: { name: string; finalizers?: string[] } }[];
    }>("GET", `${prefix}/namespaces/${name}/${type.plural}`);
    if (response.status !== 200) {
      unreadable.push(
        `${type.plural}${type.group ? `.${type.group}` : ""} (HTTP ${response.status})`,
      );
      return [];
    }
    return (response.body.items ?? []).map((item): Leftover => ({
      apiVersion: type.groupVersion,
      kind: type.kind,
      name: item.metadata.name,
      ...(item.metadata.finalizers?.length ? { finalizers: item.metadata.finalizers } : {}),
    }));
  });
  const all = lists.flat();
  return {
    items: all.slice(0, MAX_ITEMS),
    unreadable: unreadable.sort(),
    omitted: Math.max(0, all.length - MAX_ITEMS),
  };
}
