/**
 * `Status` failure objects exactly as kube-apiserver writes them (field order included),
 * so a client's error handling meets the same bodies it meets in a cluster. Compared with
 * recorded real answers in emulator.test.ts.
 */

export interface StatusObject {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason: string; message: string; field: string }[];
  };
  code: number;
}

/** What a Status names: the resource plural and, for named groups, the group. */
export interface Target {
  resource: string;
  group?: string;
  name?: string;
}

/** `pods`, `deployments.apps`: how the API server qualifies a resource in messages. */
function qualified(target: Target): string {
  return target.group ? `${target.resource}.${target.group}` : target.resource;
}

function status(code: number, reason: string, message: string, target?: Target): StatusObject {
  // Spread keeps the API server's field order: `details` before `code`.
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(target ? { details: details(target) } : {}),
    code,
  };
}

function details(target: Target): NonNullable<StatusObject["details"]> {
  return {
    ...(target.name !== undefined ? { name: target.name } : {}),
    ...(target.group ? { group: target.group } : {}),
    kind: target.resource,
  };
}

export function notFound(target: Target & { name: string }): StatusObject {
  return status(404, "NotFound", `${qualified(target)} "${target.name}" not found`, target);
}

export function alreadyExists(target: Target & { name: string }): StatusObject {
  return status(
    409,
    "AlreadyExists",
    `${qualified(target)} "${target.name}" already exists`,
    target,
  );
}

/** 409 Conflict, `Operation cannot be fulfilled on namespaces "x": <why>`. */
export function conflict(target: Target & { name: string }, why: string): StatusObject {
  return status(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(target)} "${target.name}": ${why}`,
    target,
  );
}

export const STALE_RESOURCE_VERSION =
  "the object has been modified; please apply your changes to the latest version and try again";

/**
 * 403 from RBAC: `namespaces "x" is forbidden: User "u" cannot update resource
 * "namespaces/finalize" in API group "" in the namespace "x"`.
 */
export function forbidden(
  target: Target,
  request: { user: string; verb: string; resourcePath: string; namespace?: string },
): StatusObject {
  const subject =
    target.name !== undefined ? `${qualified(target)} "${target.name}"` : qualified(target);
  const scope = request.namespace
    ? `in the namespace "${request.namespace}"`
    : "at the cluster scope";
  const message =
    `${subject} is forbidden: User "${request.user}" cannot ${request.verb} resource ` +
    `"${request.resourcePath}" in API group "${target.group ?? ""}" ${scope}`;
  return status(403, "Forbidden", message, target);
}

/** Creating content in a Terminating namespace. */
export function namespaceTerminating(
  target: Target & { name: string },
  namespace: string,
): StatusObject {
  const forbidden = status(
    403,
    "Forbidden",
    `${qualified(target)} "${target.name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    target,
  );
  const cause = {
    reason: "NamespaceTerminating",
    message: `namespace ${namespace} is being terminated`,
    field: "metadata.namespace",
  };
  return { ...forbidden, details: { ...forbidden.details!, causes: [cause] } };
}

export function unauthorized(): StatusObject {
  return status(401, "Unauthorized", "Unauthorized");
}

export function methodNotAllowed(): StatusObject {
  return status(
    405,
    "MethodNotAllowed",
    "the server does not allow this method on the requested resource",
  );
}

export function pageNotFound(): StatusObject {
  return status(404, "NotFound", "the server could not find the requested resource");
}

export function badRequest(message: string): StatusObject {
  return status(400, "BadRequest", message);
}

/** A fault injected by a test: 429, 500, 503... */
export function fault(code: number): StatusObject {
  if (code === 429)
    return status(429, "TooManyRequests", "Too many requests, please try again later.");
  if (code === 503)
    return status(
      503,
      "ServiceUnavailable",
      "the server is currently unable to handle the request",
    );
  return status(code, "InternalError", "Internal error occurred: injected fault");
}
