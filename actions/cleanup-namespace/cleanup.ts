/**
 * The cleanup itself, loaded only once the inputs and the name guard passed: read the
 * namespace, check its label and the user's permissions, delete exactly that namespace
 * (its uid), wait; if it stays Terminating and `force` is on, report what holds it, warn
 * of what forcing orphans, clear its finalizers and confirm it is gone.
 */
import { ActionError, InputError } from "../shared/errors.js";
import type { Inputs } from "../shared/inputs.js";
import { KubeClient } from "../shared/kube/client.js";
import {
  GIVEN,
  KubeconfigError,
  loadKubeconfig,
  type KubeTarget,
} from "../shared/kube/kubeconfig.js";
import { setOutputs } from "../shared/outputs.js";
import { annotate, appendSummary, endGroup, info, startGroup } from "../shared/runner.js";
import { checkLabel } from "./guards.js";
import type { inputs } from "./inputs.js";
import { findLeftovers, type LeftoverReport } from "./leftovers.js";
import {
  deleteNamespace,
  finalizeNamespace,
  getNamespace,
  isGone,
  type Checked,
  type Namespace,
} from "./namespace-api.js";
import { requirePermissions, type Permission } from "./permissions.js";
import { renderSummary, type CleanupReport, type Result } from "./summary.js";
import { waitUntil } from "./wait.js";

type Options = Inputs<typeof inputs>;
type Outcome = Pick<CleanupReport, "leftovers" | "conditions"> & { result: Result };

const elapsed = (startedAt: number) => Math.round((Date.now() - startedAt) / 100) / 10;

/** The API server removes a finalized namespace at once; allow a little, within reason. */
const confirmTimeoutMs = (timeoutMs: number) => Math.min(30_000, Math.max(2_000, timeoutMs));

/** The kubeconfig's target; what the inputs got wrong is reported as an input error. */
function loadTarget(options: Options): KubeTarget {
  try {
    return loadKubeconfig(options.kubeconfig, options.context);
  } catch (error) {
    if (!(error instanceof KubeconfigError)) throw error;
    if (error.problem === "unknown-context" && options.context !== undefined)
      throw new InputError([`Input 'context' ${error.detail}`]);
    if (error.problem === "no-context")
      throw new InputError([`Input 'context' is required when the kubeconfig has ${error.detail}`]);
    if (error.origin === GIVEN && error.problem !== "unknown-context")
      throw new InputError([`Input 'kubeconfig' must be a kubeconfig (${error.detail})`]);
    throw error;
  }
}

function trueConditions(namespace: Namespace) {
  return (namespace.status?.conditions ?? []).filter((c) => c.status === "True");
}

function logLeftovers(report: LeftoverReport): void {
  startGroup(`Left in the namespace (${report.items.length + report.omitted})`);
  for (const item of report.items) {
    const finalizers = item.finalizers ? ` (finalizers: ${item.finalizers.join(", ")})` : "";
    info(`${item.kind} ${item.name} [${item.apiVersion}]${finalizers}`);
  }
  if (report.omitted > 0) info(`...and ${report.omitted} more`);
  for (const what of report.unreadable) info(`could not list ${what}`);
  endGroup();
}

/** At most this many orphans are named in the warning line; the summary lists up to 100. */
const NAMED_ORPHANS = 20;

/**
 * Finalizing leaves every object still in the namespace behind in storage, where no
 * controller finishes its deletion: a PVC's volume, a LoadBalancer Service's cloud load
 * balancer, a custom resource's external resource leak. Named in a warning, held ones
 * first, with the types that could not be listed (their objects are orphaned too).
 */
function warnOrphans(name: string, report: LeftoverReport): void {
  const total = report.items.length + report.omitted;
  if (total === 0 && report.unreadable.length === 0) return;
  const ordered = [
    ...report.items.filter((i) => i.finalizers),
    ...report.items.filter((i) => !i.finalizers),
  ];
  const named = ordered
    .slice(0, NAMED_ORPHANS)
    .map((i) => `${i.kind} ${i.name}${i.finalizers ? ` (${i.finalizers.join(", ")})` : ""}`);
  const more = total - named.length;
  const listed =
    total === 0
      ? `Forcing namespace '${name}' may orphan objects`
      : `Forcing namespace '${name}' orphans ${total} object(s) no controller will finish deleting: ${named.join(", ")}${more > 0 ? `, and ${more} more` : ""}`;
  const unlisted = report.unreadable.length
    ? `; what could not be listed is orphaned too: ${report.unreadable.join(", ")}`
    : "";
  annotate(
    "warning",
    `${listed}${unlisted}. Volumes, load balancers or other resources they hold may be left behind: check them.`,
    { title: "Objects orphaned by force" },
  );
}

async function waitGone(client: KubeClient, checked: Checked, timeoutMs: number): Promise<boolean> {
  return waitUntil(
    async () => isGone(await getNamespace(client, checked.name), checked),
    timeoutMs,
  );
}

const DELETE: Permission = { verb: "delete", resource: "namespaces", task: "delete" };
const FINALIZE: Permission = {
  verb: "update",
  resource: "namespaces",
  subresource: "finalize",
  task: "clear the finalizers of",
};

/** Deletes, waits, forces when allowed; returns the parts of the report it learned. */
async function deleteAndWait(
  client: KubeClient,
  options: Options,
  checked: Checked,
  startedAt: number,
): Promise<Outcome> {
  const { name } = checked;
  await requirePermissions(client, name, options.force ? [DELETE, FINALIZE] : [DELETE]);
  const started = await deleteNamespace(client, checked);
  if (started === "absent") return { result: "already-absent" };
  info(
    started === "deleted"
      ? `Deleting namespace ${name}`
      : `Namespace ${name} was already Terminating`,
  );

  const timeoutMs = options.timeoutSeconds * 1000;
  if (await waitGone(client, checked, timeoutMs)) return { result: "deleted" };

  const stuck = await getNamespace(client, name);
  if (!stuck || isGone(stuck, checked)) return { result: "deleted" };
  const conditions = trueConditions(stuck);
  startGroup(
    `Namespace ${name} is still ${stuck.status?.phase ?? "present"} after ${options.timeoutSeconds} s`,
  );
  for (const condition of conditions)
    info(`${condition.type}: ${condition.message ?? condition.reason ?? ""}`);
  endGroup();
  const leftovers = await findLeftovers(client, stuck);
  logLeftovers(leftovers);

  if (!options.force) {
    appendSummary(
      renderSummary({
        namespace: name,
        result: "still-terminating",
        durationSeconds: elapsed(startedAt),
        leftovers,
        conditions,
      }),
    );
    const why = conditions.map((c) => `${c.type}: ${c.message ?? c.reason ?? ""}`).join("; ");
    throw new ActionError(
      `Namespace '${name}' is still Terminating after ${options.timeoutSeconds} s and force is off${why ? `: ${why}` : ""}`,
      { title: "Namespace not deleted" },
    );
  }

  warnOrphans(name, leftovers);
  info(`Clearing the finalizers of namespace ${name} (finalize subresource)`);
  if (!(await finalizeNamespace(client, checked)))
    return { result: "deleted", leftovers, conditions };
  if (!(await waitGone(client, checked, confirmTimeoutMs(timeoutMs)))) {
    const still = await getNamespace(client, name);
    const held = still?.metadata.finalizers?.length
      ? `; metadata.finalizers still hold it: ${still.metadata.finalizers.join(", ")}`
      : "";
    throw new ActionError(
      `Namespace '${name}' still exists after its finalizers were cleared${held}`,
      { title: "Namespace not deleted" },
    );
  }
  return { result: "forced", leftovers, conditions };
}

export async function cleanupNamespace(options: Options, startedAt: number): Promise<void> {
  const name = options.namespace;
  const target = loadTarget(options);
  const client = new KubeClient(target, { onRetry: (message) => info(message) });
  // The context's name only: the server address is part of the kubeconfig, kept out of logs.
  info(`Kubernetes context ${target.contextName}`);
  try {
    const namespace = await getNamespace(client, name);
    let outcome: Outcome;
    if (!namespace) {
      info(`Namespace ${name} does not exist: nothing to delete`);
      outcome = { result: "already-absent" };
    } else {
      checkLabel(name, namespace.metadata.labels, options.requiredLabel);
      if (options.dryRun) {
        info(
          `Dry run: would delete namespace ${name} (${namespace.status?.phase ?? "unknown phase"})`,
        );
        outcome = { result: "dry-run" };
      } else if (!namespace.metadata.uid) {
        throw new ActionError(`Namespace '${name}' was read without a metadata.uid`, {
          title: "Kubernetes API error",
        });
      } else {
        outcome = await deleteAndWait(
          client,
          options,
          { name, uid: namespace.metadata.uid },
          startedAt,
        );
      }
    }
    const report: CleanupReport = {
      namespace: name,
      durationSeconds: elapsed(startedAt),
      ...outcome,
    };
    info(`Result: ${report.result} in ${report.durationSeconds} s`);
    setOutputs({
      result: report.result,
      leftovers: report.leftovers?.items ?? [],
      "duration-seconds": report.durationSeconds,
    });
    appendSummary(renderSummary(report));
  } finally {
    client.close();
  }
}
