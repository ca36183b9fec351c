import type { Resources } from "../../components/kubernetes/containers.js";
import type { StackKind } from "../../components/stack.js";
import type { ServiceSize } from "./config.js";

export interface Sizes {
  web: ServiceSize;
  api: ServiceSize;
  jobs?: Resources;
}

const small: Resources = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { cpu: "250m", memory: "256Mi" },
};

const production: Resources = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { cpu: "2", memory: "1Gi" },
};

const productionService: ServiceSize = {
  replicas: 2,
  resources: production,
  autoscaling: { minReplicas: 2, maxReplicas: 10 },
  minAvailable: 1,
};

/**
 * Defaults per stack kind. Previews are small and fully sized (their quota demands it);
 * production gets its own, larger sizes rather than the previews' (seed bug 9).
 */
const DEFAULT_SIZES: Record<StackKind["kind"], Sizes> = {
  local: { web: { replicas: 1 }, api: { replicas: 1 } },
  dev: {
    web: { replicas: 1, resources: { requests: small.requests } },
    api: { replicas: 1, resources: { requests: small.requests } },
  },
  preview: {
    web: { replicas: 1, resources: small },
    api: { replicas: 1, resources: small },
    jobs: small,
  },
  production: { web: productionService, api: productionService, jobs: production },
};

/**
 * The kind's defaults with the config's sizes laid over them field by field: setting only
 * production's limits must not drop its replicas, autoscaling and disruption budget.
 */
export function sizesFor(kind: StackKind["kind"], overrides: Partial<Sizes>): Sizes {
  const defaults = DEFAULT_SIZES[kind];
  const service = (base: ServiceSize, over: ServiceSize = {}): ServiceSize => ({
    ...base,
    ...over,
    resources: resourcesOver(base.resources, over.resources),
  });
  return {
    web: service(defaults.web, overrides.web),
    api: service(defaults.api, overrides.api),
    jobs: resourcesOver(defaults.jobs, overrides.jobs),
  };
}

function resourcesOver(base?: Resources, over?: Resources): Resources | undefined {
  return base || over ? { ...base, ...over } : undefined;
}

/** The preview namespace's quota: room for web, api, a migration and a rolling update. */
export const PREVIEW_QUOTA = {
  "requests.cpu": "1",
  "requests.memory": "2Gi",
  "limits.cpu": "4",
  "limits.memory": "8Gi",
  pods: 10,
};
