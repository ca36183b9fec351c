import { parseStackName } from "../stack.js";

/** ALB listener rule priorities are 1..50000 and must be unique per listener. */
export const MAX_PRIORITY = 50_000;

/** Permanent environments live below PR_BASE, so no preview can take their slot. */
export const PERMANENT_PRIORITIES = { production: 1, dev: 2, local: 3 } as const;
export const PR_BASE = 100;

/**
 * The listener rule priority of a stack: fixed for permanent environments, `PR_BASE + N` for
 * `pr-N`. The seed used `100 + N` next to a permanent rule at 100; here they cannot meet.
 */
export function listenerPriority(stack: string): number {
  const kind = parseStackName(stack);
  if (kind.kind !== "preview") return PERMANENT_PRIORITIES[kind.kind];
  const priority = PR_BASE + kind.prNumber;
  if (priority > MAX_PRIORITY) {
    throw new Error(
      `pull request ${kind.prNumber} is above ${MAX_PRIORITY - PR_BASE}, the largest PR number an ALB rule priority can encode`,
    );
  }
  return priority;
}
