/**
 * The egress rules every default-deny-egress policy of the kit starts with (AppNamespace's
 * `networkPolicy.egress`): its own namespace's pods, and the cluster DNS on port 53.
 */
export const OWN_PODS_AND_DNS = [
  { to: [{ podSelector: {} }] },
  {
    to: [
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
      },
    ],
    ports: [
      { port: 53, protocol: "UDP" },
      { port: 53, protocol: "TCP" },
    ],
  },
];
