import { describe, expect, it } from "vitest";
import { kubeconfigSecrets } from "../../../actions/shared/kube/secrets.js";

describe("kubeconfigSecrets", () => {
  it("finds every credential and the server, at any depth, each once; names stay", () => {
    const config = {
      clusters: [
        {
          name: "c",
          cluster: { server: "https://10.0.0.1", "certificate-authority-data": "Q0E=" },
        },
      ],
      users: [
        { name: "token-user", user: { token: "tok-123" } },
        { name: "again", user: { token: "tok-123", "client-key-data": "S0VZ" } },
        { name: "basic", user: { username: "admin", password: "pw" } },
        {
          name: "eks",
          user: {
            exec: {
              command: "aws",
              env: [{ name: "AWS_SECRET_ACCESS_KEY", value: "aws-secret" }],
            },
          },
        },
        {
          name: "oidc",
          user: {
            "auth-provider": {
              name: "oidc",
              config: { "idp-issuer-url": "https://idp", "extra-setting": "s3cr3t" },
            },
          },
        },
      ],
      contexts: [{ name: "ctx", context: { cluster: "c", user: "token-user" } }],
    };
    expect(kubeconfigSecrets(config).sort()).toEqual(
      [
        "https://10.0.0.1",
        "Q0E=",
        "tok-123",
        "S0VZ",
        "admin",
        "pw",
        "aws-secret",
        "https://idp",
        "s3cr3t",
      ].sort(),
    );
  });

  it("finds nothing in what is not a mapping", () => {
    expect(kubeconfigSecrets(null)).toEqual([]);
    expect(kubeconfigSecrets("token: x")).toEqual([]);
  });
});
