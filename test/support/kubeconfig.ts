/** Kubeconfig fixtures for the tests of the shared Kubernetes modules and their actions. */

/**
 * Two contexts, the current one (`b`, cluster `cb`, user `ub` with token-bbbbbb) second, so
 * that a loader falling back to the first context is caught. `server` is cb's server.
 */
export function twoContexts(server = "https://b.example.com") {
  return {
    "current-context": "b",
    contexts: [
      { name: "a", context: { cluster: "ca", user: "ua" } },
      { name: "b", context: { cluster: "cb", user: "ub" } },
    ],
    clusters: [
      { name: "ca", cluster: { server: "https://a.example.com" } },
      { name: "cb", cluster: { server, "certificate-authority-data": "Y2EtZGF0YQ==" } },
    ],
    users: [
      { name: "ua", user: { token: "token-aaaaaa" } },
      { name: "ub", user: { token: "token-bbbbbb" } },
    ],
  };
}
