import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** Every component type token shares this package prefix. */
export function typeToken(module: "kubernetes" | "aws", name: string): string {
  return `preview-kit:${module}:${name}`;
}

/**
 * Formats zod issues as one line per field, so a failed deployment names the culprit.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(value)"}: ${issue.message}`)
    .join("; ");
}

/**
 * Validates component args before anything is registered; the error names the component type,
 * the resource name and each offending field.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export function parseArgs<S extends z.ZodType>(
  type: string,
  name: string,
  schema: S,
  // Typed by the schema: a component's documented args interface must fit what it accepts.
  args: z.input<S>,
): z.output<S> {
  const result = schema.safeParse(args);
  if (!result.success) {
    throw new Error(`${type} "${name}": invalid args: ${describeIssues(result.error)}`);
  }
  return result.data;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function";
}

/**
 * A value known only at deployment time, an Output or a Promise, as `pulumi.Input` allows; it
 * is validated when it resolves (see `checked`).
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export function deferred<T>() {
  return z.custom<pulumi.OutputInstance<T> | Promise<T>>(
    (value) => pulumi.Output.isInstance(value) || isPromiseLike(value),
    { message: "expected a value, a pulumi Output or a Promise" },
  );
}

/**
 * A plain value validated now, or an Output or Promise validated when it resolves.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export function input<S extends z.ZodType>(schema: S) {
  return z.union([schema, deferred<z.output<S>>()]);
}

/**
 * Resolves an input and fails the deployment with a clear message if it breaks the schema.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export function checked<S extends z.ZodType>(
  label: string,
  schema: S,
  value: pulumi.Input<z.input<S>>,
): pulumi.Output<z.output<S>> {
  return pulumi.output(value).apply((resolved) => {
    const result = schema.safeParse(resolved);
    if (!result.success) throw new Error(`${label}: ${describeIssues(result.error)}`);
    return result.data as pulumi.Unwrap<z.output<S>>;
  }) as pulumi.Output<z.output<S>>;
}

/**
 * RFC 1123 label: the shape Kubernetes requires for names of namespaces, services, containers.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS label (lowercase, digits, '-')");

/** @internal Typed with zod: kept out of the published declarations (tsconfig.lib.json stripInternal). */
export const hostname = z
  .string()
  .regex(
    /^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "must be a lowercase DNS hostname",
  );

/** @internal Typed with zod: kept out of the published declarations (tsconfig.lib.json stripInternal). */
export const labels = z.record(z.string(), z.string());
