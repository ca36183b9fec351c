import { parseStackName } from "../stack.js";

/** ALB listener rule priorities are 1..50000 and must be unique per listener. */
export const MAX_PRIORITY = 50_000;

/**
 * Rules per stack on one listener: two rules of one stack, or two projects sharing dev's
 * listener, take different slots (0..SLOTS-1).
 */
export const SLOTS = 5;

/** Permanent environments live below PR_BASE, so no preview can take their slot. */
export const PERMANENT_PRIORITIES = {
  production: 1,
  dev: 1 + SLOTS,
  local: 1 + 2 * SLOTS,
} as const;
export const PR_BASE = 100;

/** The largest PR number with a computed priority; beyond it give the priority explicitly. */
export const MAX_PR = Math.floor((MAX_PRIORITY - PR_BASE - SLOTS) / SLOTS);

/**
 * The listener rule priority of a stack's rule in `slot`: fixed blocks for permanent
 * environments, `PR_BASE + N * SLOTS + slot` for `pr-N`. The seed used `100 + N` next to a
 * permanent rule at 100; here they cannot meet. Other stack names (e.g. `staging`) have no
 * computed priority: give one explicitly.
 */
export function listenerPriority(stack: string, slot = 0): number {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOTS) {
    throw new Error(`listener slot ${slot} is not one of 0..${SLOTS - 1}`);
  }
  let kind;
  try {
    kind = parseStackName(stack);
  } catch {
    throw new Error(
      `stack '${stack}' has no computed listener priority (only local, dev, production and pr-<N> do): give priority explicitly`,
    );
  }
  if (kind.kind !== "preview") return PERMANENT_PRIORITIES[kind.kind] + slot;
  if (kind.prNumber > MAX_PR) {
    throw new Error(
      `pull request ${kind.prNumber} is above ${MAX_PR}, the largest PR number with a computed listener priority: give priority explicitly`,
    );
  }
  return PR_BASE + kind.prNumber * SLOTS + slot;
}
