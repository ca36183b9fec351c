/**
 * What a failed update added to a stack, from the stack's state before and after it: the one
 * rule destroy-on-failure obeys. A resource the stack held before the update is never
 * destroyed, whatever the update did to it: a replacement keeps its URN (and `destroy
 * --target <urn>` would hit the old instance too), an update of a stateful resource keeps
 * its data only while the resource lives, and an alias or an import gives an existing object
 * a new URN. Neither is anything they depend on: destroying a dependency would take the
 * dependent with it.
 */
import { z } from "zod";

// References are read leniently (an empty one names nothing): a state this cannot read stops
// the cleanup, which is safe but leaves the failed update's resources.
const reference = z.string();

/** The fields of a resource in `pulumi stack export` that say what it is and what it needs. */
const StateResource = z.object({
  urn: z.string().min(1),
  type: z.string().optional(),
  id: z.string().optional(),
  parent: reference.optional(),
  dependencies: z.array(reference).nullish(),
  propertyDependencies: z.record(z.string(), z.array(reference).nullish()).nullish(),
  deletedWith: reference.optional(),
  /** A provider reference, `<provider urn>::<provider id>`. */
  provider: reference.optional(),
  aliases: z.array(reference).nullish(),
});
export type StateResource = z.infer<typeof StateResource>;

const Export = z.object({
  deployment: z.object({ resources: z.array(StateResource).nullish() }),
});

/** The resources of `pulumi stack export`'s document; throws when it is not one. */
export function stateResources(exported: string): StateResource[] {
  const document = Export.parse(JSON.parse(exported));
  return document.deployment.resources ?? [];
}

const isStack = (u: string) => u.includes("::pulumi:pulumi:Stack::");
const isProvider = (u: string) => /::pulumi:providers:[^:]+::/.test(u);

/** The URN of a provider reference `urn::id` (a URN itself contains `::`). */
function providerUrn(reference: string): string {
  const cut = reference.lastIndexOf("::");
  return cut > 0 ? reference.slice(0, cut) : reference;
}

function needs(resource: StateResource): string[] {
  return [
    ...(resource.parent ? [resource.parent] : []),
    ...(resource.dependencies ?? []),
    ...Object.values(resource.propertyDependencies ?? {}).flatMap((urns) => urns ?? []),
    ...(resource.deletedWith ? [resource.deletedWith] : []),
    ...(resource.provider ? [providerUrn(resource.provider)] : []),
  ].filter((u) => u !== "");
}

/**
 * The URNs destroy-on-failure may target: resources in `after` that did not exist in
 * `before` (by URN, by alias, or by type and physical ID) and that nothing kept depends on.
 * The stack and providers are left (they are shared, and a provider removes nothing).
 * Every dependent of a returned URN is returned too, so `destroy --target` needs no
 * `--target-dependents`, which could reach beyond this set.
 */
export function addedByUpdate(
  before: readonly StateResource[],
  after: readonly StateResource[],
): string[] {
  const urns = new Set(before.map((r) => r.urn));
  const objects = new Set(before.filter((r) => r.id).map((r) => `${r.type}\u0000${r.id}`));
  const existed = (r: StateResource) =>
    urns.has(r.urn) ||
    (r.aliases ?? []).some((alias) => urns.has(alias)) ||
    (r.id !== undefined && r.id !== "" && objects.has(`${r.type}\u0000${r.id}`));

  // Kept: what existed, and everything something kept needs, to a fixed point. A URN may
  // appear twice (an instance pending deletion): one kept instance keeps the URN.
  const kept = new Set(after.filter(existed).map((r) => r.urn));
  const pending = [...kept];
  const byUrn = new Map<string, StateResource[]>();
  for (const r of after) byUrn.set(r.urn, [...(byUrn.get(r.urn) ?? []), r]);
  while (pending.length > 0) {
    for (const r of byUrn.get(pending.pop() as string) ?? []) {
      for (const needed of needs(r)) {
        if (!kept.has(needed)) {
          kept.add(needed);
          pending.push(needed);
        }
      }
    }
  }
  return [...new Set(after.map((r) => r.urn))].filter(
    (u) => !kept.has(u) && !isStack(u) && !isProvider(u),
  );
}
