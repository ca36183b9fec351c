/**
 * The provider waits for Deployments, StatefulSets, Services, Jobs and Ingresses to become
 * ready. Where nothing can (an API server without nodes, a cluster without the controller),
 * `skipAwait` sets its annotation; the components then list what they did not wait for.
 */
export const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" } as const;

/** The annotations of a resource that waits unless `skip`. */
export function awaitAnnotations(skip: boolean): Record<string, string> {
  return skip ? { ...SKIP_AWAIT } : {};
}

/** How a component names what it did not wait for: `Kind name`. */
export function notAwaitedList(skip: boolean, resources: readonly string[]): string[] {
  return skip ? [...resources] : [];
}
