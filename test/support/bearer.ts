import { request } from "node:https";
import type { ApiResponse, ControlPlane } from "./control-plane.js";

/**
 * A request to the control plane with a bearer token (a ServiceAccount's, as a kubeconfig of
 * its would send it), JSON in and out; `contentType` for PATCH flavours.
 */
export function asBearer<T = { message?: string }>(
  plane: ControlPlane,
  token: string,
  method: string,
  path: string,
  body?: object,
  contentType = "application/json",
): Promise<ApiResponse<T>> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${plane.url}${path}`,
      {
        method,
        ca: Buffer.from(plane.caData, "base64"),
        timeout: 10_000,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          ...(payload ? { "Content-Type": contentType } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** The token the token controller put in a `kubernetes.io/service-account-token` Secret. */
export async function serviceAccountToken(
  plane: ControlPlane,
  namespace: string,
  secret: string,
): Promise<string> {
  let token = "";
  await plane.waitFor(`the token in ${namespace}/${secret}`, async () => {
    const { body } = await plane.admin<{ data?: { token?: string } }>(
      "GET",
      `/api/v1/namespaces/${namespace}/secrets/${secret}`,
    );
    token = Buffer.from(body.data?.token ?? "", "base64").toString();
    return token !== "";
  });
  return token;
}

/** Whether the API server lets `token` do `verb` on `resource` (SelfSubjectAccessReview). */
export async function allowed(
  plane: ControlPlane,
  token: string,
  attributes: { namespace: string; group?: string; resource: string; verb: string },
): Promise<boolean> {
  const review = await asBearer<{ status?: { allowed?: boolean } }>(
    plane,
    token,
    "POST",
    "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: attributes },
    },
  );
  return review.body.status?.allowed === true;
}
