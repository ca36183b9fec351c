import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** A ServiceAccount as an RBAC subject. */
export interface AccountSubject {
  namespace: pulumi.Input<string>;
  name: pulumi.Input<string>;
}

/** A group of users an authenticator vouches for (e.g. every pull request's jobs). */
export interface GroupSubject {
  group: string;
}

/**
 * A ClusterRole of `rules` bound to one ServiceAccount (or one group): how each of the
 * platform's identities (preview deployer, database provisioner, database janitor) gets its
 * cluster-wide rights. Cluster-scoped, so auto-named: two of them on one cluster must not share
 * these.
 */
export function clusterRoleFor(
  name: string,
  rules: pulumi.Input<k8s.types.input.rbac.v1.PolicyRule>[],
  account: AccountSubject | GroupSubject,
  opts: pulumi.CustomResourceOptions,
): { role: k8s.rbac.v1.ClusterRole; binding: k8s.rbac.v1.ClusterRoleBinding } {
  const role = new k8s.rbac.v1.ClusterRole(name, { rules }, opts);
  const binding = new k8s.rbac.v1.ClusterRoleBinding(
    name,
    {
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: role.metadata.name,
      },
      subjects: [
        "group" in account
          ? { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: account.group }
          : { kind: "ServiceAccount", ...account },
      ],
    },
    opts,
  );
  return { role, binding };
}

/**
 * Confines one user (or every user of a group) beyond what RBAC can say: a
 * ValidatingAdmissionPolicy (built into the API server, `failurePolicy: Fail`) that every write
 * of theirs, to any resource, must pass, bound in Deny mode.
 */
export function confineUser(
  name: string,
  user: { condition: string } & ({ username: pulumi.Input<string> } | { group: string }),
  validations: pulumi.Input<k8s.types.input.admissionregistration.v1.Validation>[],
  opts: pulumi.CustomResourceOptions,
): k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding {
  const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
    name,
    {
      spec: {
        failurePolicy: "Fail",
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ["*"],
              apiVersions: ["*"],
              operations: ["CREATE", "UPDATE", "DELETE", "CONNECT"],
              resources: ["*/*"],
            },
          ],
        },
        matchConditions: [
          {
            name: user.condition,
            expression:
              "group" in user
                ? // A user without groups must not error here: Fail would deny their every write.
                  `has(request.userInfo.groups) && '${user.group}' in request.userInfo.groups`
                : pulumi.interpolate`request.userInfo.username == '${user.username}'`,
          },
        ],
        validations,
      },
    },
    opts,
  );
  return new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
    name,
    { spec: { policyName: policy.metadata.name, validationActions: ["Deny"] } },
    opts,
  );
}
