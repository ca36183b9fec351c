/**
 * A preview's names, defined once: its stack `[ORG/PROJECT/]pr-N`, its Kubernetes namespace
 * and its GitHub Deployment environment `preview-pr-N`. The gate hands them on to the later
 * jobs, so nothing downstream derives them again.
 */

export interface PreviewNames {
  /** `pr-N`, or `ORG/PROJECT/pr-N` in Pulumi Cloud. */
  stack: string;
  namespace: string;
  deploymentEnvironment: string;
}

export function previewNames(prNumber: number, stackProject?: string): PreviewNames {
  const stack = `pr-${prNumber}`;
  return {
    stack: stackProject ? `${stackProject}/${stack}` : stack,
    namespace: `preview-pr-${prNumber}`,
    deploymentEnvironment: `preview-pr-${prNumber}`,
  };
}

/** The ORG/PROJECT of a preview's stack, or undefined for a bare `pr-N` (file://, s3://). */
export function stackProjectOf(stack: string): string | undefined {
  const slash = stack.lastIndexOf("/");
  return slash < 0 ? undefined : stack.slice(0, slash);
}

/** Whether `stack` is this pull request's preview stack, bare or in an ORG/PROJECT. */
export function isPreviewStack(stack: string, prNumber: number): boolean {
  return previewNames(prNumber, stackProjectOf(stack)).stack === stack;
}

/** The pull request whose preview a GitHub Deployment environment is, by previewNames' rule. */
export function prNumberOfEnvironment(environment: string): number | undefined {
  const number = Number(/^preview-pr-([1-9]\d{0,9})$/.exec(environment)?.[1]);
  return Number.isSafeInteger(number) && previewNames(number).deploymentEnvironment === environment
    ? number
    : undefined;
}
