import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { hostname, input, labels, parseArgs, typeToken } from "../args.js";

const wildcardCertificateArgs = z.strictObject({
  /** The first name is the certificate's subject, the rest its alternative names. */
  domains: z.array(hostname).min(1),
  hostedZoneId: input(z.string()),
  tags: labels.default({}),
});

export interface WildcardCertificateArgs {
  /** The first name is the certificate's subject, the rest its alternative names. */
  domains: string[];
  /** The Route 53 zone the validation records go to. */
  hostedZoneId: pulumi.Input<string>;
  /** Tags on the certificate. */
  tags?: Record<string, string>;
}

/** An ACM certificate validated through Route 53, usable once `certificateArn` resolves. */
export class WildcardCertificate extends pulumi.ComponentResource {
  static readonly type = typeToken("aws", "WildcardCertificate");
  /** The ARN after validation succeeded; listeners using it wait for that. */
  readonly certificateArn: pulumi.Output<string>;

  constructor(
    name: string,
    rawArgs: WildcardCertificateArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const args = parseArgs(WildcardCertificate.type, name, wildcardCertificateArgs, rawArgs);
    super(WildcardCertificate.type, name, {}, opts);
    const child = { parent: this };
    const [subject, ...alternatives] = args.domains;

    const certificate = new aws.acm.Certificate(
      name,
      {
        domainName: subject!,
        subjectAlternativeNames: alternatives,
        validationMethod: "DNS",
        tags: args.tags,
      },
      child,
    );
    // `*.d` and `d` share a validation record: one record per distinct base name.
    const bases = [...new Set(args.domains.map((d) => d.replace(/^\*\./, "")))];
    const records = bases.map((base) => {
      const option = certificate.domainValidationOptions.apply((options) => {
        const found = options.find((o) => o.domainName.replace(/^\*\./, "") === base);
        if (!found) throw new Error(`${name}: ACM returned no DNS validation for ${base}`);
        return found;
      });
      return new aws.route53.Record(
        `${name}-${base}`,
        {
          zoneId: args.hostedZoneId,
          name: option.resourceRecordName,
          type: option.resourceRecordType,
          records: [option.resourceRecordValue],
          ttl: 300,
          allowOverwrite: true,
        },
        child,
      );
    });
    const validation = new aws.acm.CertificateValidation(
      name,
      { certificateArn: certificate.arn, validationRecordFqdns: records.map((r) => r.fqdn) },
      child,
    );
    this.certificateArn = validation.certificateArn;
    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}
