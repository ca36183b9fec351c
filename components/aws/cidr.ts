import { z } from "zod";

/** @internal Typed with zod: kept out of the published declarations (tsconfig.lib.json stripInternal). */
export const ipv4Cidr = z
  .string()
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/, "must be an IPv4 CIDR")
  .refine((cidr) => {
    const [address = "", prefix = ""] = cidr.split("/");
    return address.split(".").every((o) => Number(o) <= 255) && Number(prefix) <= 32;
  }, "must be an IPv4 CIDR");

/**
 * A created VPC's range: exactly a /16 (the largest AWS allows). Its subnets are /20s, public
 * ones from the start and private ones from the middle, so up to six zones need all of it;
 * anything smaller passed validation and then failed half-way through the subnets.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const vpcCidr = ipv4Cidr.refine(
  (cidr) => cidr.endsWith("/16"),
  "must be a /16 (the subnets are /20s: public from the start, private from the middle)",
);

/** The `index`-th subnet of `prefix` bits inside `cidr` (like Terraform's cidrsubnet). */
export function subnetCidr(cidr: string, prefix: number, index: number): string {
  const [address = "", baseBits = ""] = ipv4Cidr.parse(cidr).split("/");
  const base = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix);
  if (prefix < Number(baseBits) || (index + 1) * size > 2 ** (32 - Number(baseBits))) {
    throw new Error(`subnet ${index} of /${prefix} does not fit in ${cidr}`);
  }
  const start = base + index * size;
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}
