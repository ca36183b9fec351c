/**
 * A Kubernetes API server on 127.0.0.1 for process tests: bearer-token auth, RBAC denials
 * per verb and resource, discovery, namespaces with their real deletion lifecycle
 * (see cluster.ts), namespaced objects, a request log, and injected faults. Over TLS
 * with a generated CA when `openssl` exists, so a real kubeconfig works unchanged.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { stringify } from "yaml";
import {
  Cluster,
  type KubeObject,
  type NamespaceSeed,
  type Outcome,
  type Permission,
} from "./cluster.js";
import type { ResourceType } from "./resources.js";
import * as statuses from "./status.js";
import { serverCertificate } from "./tls.js";

export type { NamespaceSeed, Permission, SeedObject, KubeObject } from "./cluster.js";

/** One request as the API server saw it (the audit log, roughly). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  verb: string;
  /** e.g. `namespaces`, `pods`; undefined for discovery. */
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  user?: string;
  code: number;
}

export interface Fault {
  method?: string;
  /** Matches the request path (a string must equal it). */
  path: string | RegExp;
  code: number;
  /** How many matching requests fail; default 1. */
  times?: number;
}

export interface EmulatorOptions {
  /** Serve plain http (kubeconfig then sets `insecure-skip-tls-verify`). Default: TLS. */
  plainHttp?: boolean;
  /** The default user's name (service account style). */
  user?: string;
  /** Permissions denied to the default user. */
  forbid?: Permission[];
  /** Namespaces to create at start. */
  namespaces?: Record<string, NamespaceSeed>;
  /** The clock namespace deletion reads; default Date.now. */
  clock?: () => number;
}

export interface KubeconfigOptions {
  /** Name of the current context; default `emulator`. */
  context?: string;
  /** Bearer token of the context's user; default the emulator's token. */
  token?: string;
  /** A second context on the same server, e.g. a user with fewer rights. */
  second?: { context: string; token: string };
  /** Which context is current when there are two; default `context`. */
  currentContext?: string;
}

export interface KubernetesEmulator {
  url: string;
  /** The default user's bearer token (a secret: must never reach a log). */
  token: string;
  /** base64 PEM of the CA, as in `certificate-authority-data`; undefined over plain http. */
  caData?: string;
  kubeconfig(options?: KubeconfigOptions): string;
  state: Cluster;
  requests: RecordedRequest[];
  /** Makes the next matching requests fail with `code`. */
  injectFault(fault: Fault): void;
  close(): Promise<void>;
}

const NAMESPACE_SUBRESOURCES = new Set(["finalize", "status"]);

interface RequestInfo {
  group: string;
  version: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  verb: string;
}

/** Splits `/api/v1/...` or `/apis/{group}/{version}/...` as the API server's RequestInfo does. */
function requestInfo(method: string, path: string): RequestInfo | undefined {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 2) {
    group = "";
    version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 3) {
    group = parts[1] as string;
    version = parts[2] as string;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  const info: RequestInfo = { group, version, verb: "get" };
  if (rest[0] === "namespaces" && rest.length > 1) {
    info.namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] as string)) rest = rest.slice(2);
  }
  [info.resource, info.name, info.subresource] = rest;
  const verbs: Record<string, string> = { POST: "create", PUT: "update", PATCH: "patch" };
  if (method === "GET") info.verb = info.name === undefined ? "list" : "get";
  else if (method === "DELETE") info.verb = info.name === undefined ? "deletecollection" : "delete";
  else info.verb = verbs[method] ?? method.toLowerCase();
  return info;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) text += chunk;
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function createKubernetesEmulator(
  options: EmulatorOptions = {},
): Promise<KubernetesEmulator> {
  const state = new Cluster(options.clock);
  const userName = options.user ?? "system:serviceaccount:ci:preview-cleanup";
  const token = state.addUser(userName);
  for (const permission of options.forbid ?? []) state.forbid(token, permission);
  for (const [name, seed] of Object.entries(options.namespaces ?? {}))
    state.addNamespace(name, seed);

  const requests: RecordedRequest[] = [];
  const faults: (Fault & { left: number })[] = [];
  const certificate = options.plainHttp ? null : serverCertificate();
  let url = "";

  function send(res: ServerResponse, code: number, body: object): number {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
    return code;
  }

  function failure(
    res: ServerResponse,
    outcome: Extract<Outcome, { ok: false }>,
    target: statuses.Target & { name: string },
    namespace?: string,
  ): number {
    switch (outcome.reason) {
      case "NotFound":
        return send(
          res,
          404,
          statuses.notFound(
            outcome.why === "namespace"
              ? { resource: "namespaces", name: namespace ?? "" }
              : target,
          ),
        );
      case "AlreadyExists":
        return send(res, 409, statuses.alreadyExists(target));
      case "Conflict":
        return send(res, 409, statuses.conflict(target, statuses.STALE_RESOURCE_VERSION));
      case "Terminating":
        return send(res, 403, statuses.namespaceTerminating(target, namespace ?? ""));
      case "Invalid":
        return send(res, 422, {
          ...statuses.badRequest(outcome.why ?? "invalid"),
          reason: "Invalid",
          code: 422,
        });
    }
  }

  function reply(
    res: ServerResponse,
    outcome: Outcome,
    target: statuses.Target & { name: string },
    namespace?: string,
  ): number {
    return outcome.ok
      ? send(res, outcome.code, outcome.body)
      : failure(res, outcome, target, namespace);
  }

  async function handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    info: RequestInfo,
    type: ResourceType,
  ): Promise<number> {
    const method = req.method ?? "GET";
    const target = { resource: type.plural, group: type.group, name: info.name ?? "" };
    if (type.kind === "Namespace") {
      const name = info.name ?? info.namespace;
      if (name === undefined) {
        if (method === "GET") return send(res, 200, state.listNamespaces());
        if (method === "POST") {
          const body = (await readBody(req)) as { metadata?: { name?: string } } | undefined;
          if (!body)
            return send(
              res,
              400,
              statuses.badRequest("the body of the request was in an unknown format"),
            );
          return reply(res, state.createNamespace(body), {
            ...target,
            name: body.metadata?.name ?? "",
          });
        }
        return send(res, 405, statuses.methodNotAllowed());
      }
      const named = { ...target, name };
      if (info.subresource === "finalize") {
        if (method !== "PUT") return send(res, 405, statuses.methodNotAllowed());
        const body = await readBody(req);
        if (!body)
          return send(
            res,
            400,
            statuses.badRequest("the body of the request was in an unknown format"),
          );
        return reply(res, state.finalizeNamespace(name, body as never), named);
      }
      if (method === "GET") {
        const ns = state.namespace(name);
        return ns ? send(res, 200, ns) : send(res, 404, statuses.notFound(named));
      }
      if (method === "DELETE") return reply(res, state.deleteNamespace(name), named);
      return send(res, 405, statuses.methodNotAllowed());
    }

    if (info.name === undefined) {
      if (method === "GET") return send(res, 200, state.listObjects(type, info.namespace));
      if (method === "POST" && info.namespace !== undefined) {
        const body = (await readBody(req)) as KubeObject | undefined;
        if (!body?.metadata?.name)
          return send(res, 400, statuses.badRequest("metadata.name is required"));
        return reply(
          res,
          state.createObject(type, info.namespace, body),
          { ...target, name: body.metadata.name },
          info.namespace,
        );
      }
      return send(res, 405, statuses.methodNotAllowed());
    }
    if (info.namespace === undefined) return send(res, 404, statuses.pageNotFound());
    if (method === "GET")
      return reply(res, state.getObject(type, info.namespace, info.name), target, info.namespace);
    if (method === "DELETE")
      return reply(
        res,
        state.deleteObject(type, info.namespace, info.name),
        target,
        info.namespace,
      );
    return send(res, 405, statuses.methodNotAllowed());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<RecordedRequest> {
    const method = req.method ?? "GET";
    const parsed = new URL(req.url ?? "/", "http://emulator");
    const path = parsed.pathname.replace(/\/$/, "") || "/";
    const info = requestInfo(method, path);
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(parsed.searchParams),
      verb: info?.verb ?? method.toLowerCase(),
      ...(info?.resource ? { resource: info.resource } : {}),
      ...(info?.subresource ? { subresource: info.subresource } : {}),
      ...(info?.namespace ? { namespace: info.namespace } : {}),
      ...(info?.name ? { name: info.name } : {}),
      code: 0,
    };

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const user = state.userFor(bearer);
    if (!user) {
      record.code = send(res, 401, statuses.unauthorized());
      return record;
    }
    record.user = user.name;

    const fault = faults.find(
      (f) =>
        f.left > 0 &&
        (!f.method || f.method === method) &&
        (typeof f.path === "string" ? f.path === path : f.path.test(path)),
    );
    if (fault) {
      fault.left -= 1;
      record.code = send(res, fault.code, statuses.fault(fault.code));
      return record;
    }

    if (path === "/version") {
      record.code = send(res, 200, {
        major: "1",
        minor: "33",
        gitVersion: "v1.33.1",
        gitCommit: "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828",
        gitTreeState: "clean",
        buildDate: "2025-05-15T08:19:08Z",
        goVersion: "go1.24.2",
        compiler: "gc",
        platform: "linux/amd64",
      });
      return record;
    }
    if (path === "/api") {
      record.code = send(res, 200, state.resources.apiVersions(new URL(url).host));
      return record;
    }
    if (path === "/apis") {
      record.code = send(res, 200, state.resources.apiGroupList());
      return record;
    }
    if (!info) {
      record.code = send(res, 404, statuses.pageNotFound());
      return record;
    }
    const groupVersion = info.group ? `${info.group}/${info.version}` : info.version;
    if (state.isBroken(groupVersion)) {
      record.code = send(res, 503, statuses.fault(503));
      return record;
    }
    if (info.resource === undefined) {
      const list = state.resources.apiResourceList(info.group, info.version);
      record.code = list ? send(res, 200, list) : send(res, 404, statuses.pageNotFound());
      return record;
    }

    const type = state.resources.byPlural(info.group, info.version, info.resource);
    if (!type) {
      record.code = send(res, 404, statuses.pageNotFound());
      return record;
    }
    const resourcePath = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    if (state.isForbidden(user, info.verb, resourcePath, info.group)) {
      // For namespaces the API server treats the namespace's own name as the request's namespace.
      const namespace = type.kind === "Namespace" ? (info.name ?? info.namespace) : info.namespace;
      const name = type.kind === "Namespace" ? (info.name ?? info.namespace) : info.name;
      record.code = send(
        res,
        403,
        statuses.forbidden(
          { resource: info.resource, group: info.group, ...(name !== undefined ? { name } : {}) },
          {
            user: user.name,
            verb: info.verb,
            resourcePath,
            ...(namespace !== undefined ? { namespace } : {}),
          },
        ),
      );
      return record;
    }
    record.code = await handleResource(req, res, info, type);
    return record;
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).then(
      (record) => requests.push(record),
      (error: unknown) => {
        res.writeHead(500).end(String(error));
      },
    );
  };
  const server = certificate
    ? createHttpsServer({ key: certificate.key, cert: certificate.cert }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  url = `${certificate ? "https" : "http"}://127.0.0.1:${port}`;
  const caData = certificate ? Buffer.from(certificate.cert).toString("base64") : undefined;

  function kubeconfig(config: KubeconfigOptions = {}): string {
    const contexts = [{ context: config.context ?? "emulator", token: config.token ?? token }];
    if (config.second) contexts.push(config.second);
    const cluster = caData
      ? { server: url, "certificate-authority-data": caData }
      : { server: url, "insecure-skip-tls-verify": true };
    return stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "emulator", cluster }],
      users: contexts.map((c) => ({ name: `${c.context}-user`, user: { token: c.token } })),
      contexts: contexts.map((c) => ({
        name: c.context,
        context: { cluster: "emulator", user: `${c.context}-user` },
      })),
      "current-context": config.currentContext ?? contexts[0]?.context,
      preferences: {},
    });
  }

  return {
    url,
    token,
    ...(caData ? { caData } : {}),
    kubeconfig,
    state,
    requests,
    injectFault: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
