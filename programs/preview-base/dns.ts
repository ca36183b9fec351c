import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Wildcard records for every host the app program serves below the domain: `*.DOMAIN` (dev,
 * local, api), `*.pr.DOMAIN` and `*.pr-api.DOMAIN` (previews), pointing at the routing's
 * address (the Gateway's, or the Ingress group's ALB). The apex, production's web host, needs an
 * alias record of your own.
 */
export function previewDns(
  name: string,
  args: { domain: string; hostedZoneId: string; target: pulumi.Output<string> },
): aws.route53.Record[] {
  const ipv4 = /^[0-9]+(\.[0-9]+){3}$/;
  return ["*", "*.pr", "*.pr-api"].map(
    (prefix) =>
      new aws.route53.Record(`${name}-${prefix.replaceAll("*", "wildcard")}`, {
        zoneId: args.hostedZoneId,
        name: `${prefix}.${args.domain}`,
        // Load balancers on AWS have host names; elsewhere a Gateway's address is often an IP.
        type: args.target.apply((target) => (ipv4.test(target) ? "A" : "CNAME")),
        ttl: 300,
        records: [args.target],
      }),
  );
}
