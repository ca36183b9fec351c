/**
 * A preview's stack config gets `prNumber`, which the ready-made app program checks against
 * its stack `pr-N`. Added as a line: the caller's YAML stays exactly as given.
 */

/** A top-level `prNumber:` key, quoted or not, as YAML reads it. */
const PR_NUMBER_KEY = /^["']?prNumber["']?[ \t]*:/m;

/** The refusal, or undefined when the config leaves prNumber to the deploy. */
export function configProblem(config: string | undefined): string | undefined {
  return config !== undefined && PR_NUMBER_KEY.test(config)
    ? "Input 'config' sets prNumber: a preview's is its pull request number, which the deploy adds; remove that line"
    : undefined;
}

export function previewConfig(config: string | undefined, prNumber: number): string {
  const line = `prNumber: "${prNumber}"`;
  return config ? `${config}\n${line}` : line;
}
