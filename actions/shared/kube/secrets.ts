/**
 * The values of a kubeconfig that must never reach a log: credentials (tokens, passwords,
 * keys, exec-plugin environment values, auth-provider settings) and where the cluster is.
 * Found at any depth, so a kubeconfig kubectl would accept cannot hide one from the mask.
 */

/** Keys whose string values open the cluster or locate it; `name`s and `kind`s are left alone. */
const SECRET_KEYS = new Set([
  "server",
  "certificate-authority-data",
  "token",
  "password",
  "username",
  "client-key-data",
  "client-certificate-data",
  "id-token",
  "refresh-token",
  "access-token",
  "client-secret",
  // An exec plugin's `env: [{name, value}]`.
  "value",
]);

/** `everyLeaf`: below an auth-provider's `config`, whose every setting is a credential. */
function collect(node: unknown, found: Set<string>, everyLeaf: boolean, parent = ""): void {
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === "string") {
      if ((everyLeaf || SECRET_KEYS.has(key)) && value.trim()) found.add(value);
    } else {
      collect(value, found, everyLeaf || (parent === "auth-provider" && key === "config"), key);
    }
  }
}

/** Each secret of a parsed kubeconfig once, to mask before anything can print it. */
export function kubeconfigSecrets(config: unknown): string[] {
  const found = new Set<string>();
  collect(config, found, false);
  return [...found];
}
