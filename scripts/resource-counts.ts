/**
 * Prints, per program and stack kind, how many billable resources of each type a deployment
 * registers, so the cost of one more preview is visible. Runs the programs against mocks.
 */
import { ofType } from "../test/support/pulumi-mocks.js";
import { runScenario, SCENARIOS, type ScenarioId } from "../test/support/program-scenarios.js";

/** Resource types that cost money while they exist (or run pods that do). */
const BILLABLE = new Set([
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:ecs/service:Service",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:route53/record:Record",
  "aws:acm/certificate:Certificate",
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:batch/v1:Job",
  "kubernetes:batch/v1:CronJob",
  "kubernetes:networking.k8s.io/v1:Ingress",
]);

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const id of Object.keys(SCENARIOS) as ScenarioId[]) {
    const run = await runScenario(id);
    const counts = new Map<string, number>();
    for (const type of BILLABLE) {
      const count = ofType(run, type).length;
      if (count > 0) counts.set(type, count);
    }
    const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
    rows.push(`${id}  (${total} billable of ${run.resources.length} resources)`);
    for (const [type, count] of [...counts].sort())
      rows.push(`    ${String(count).padStart(3)}  ${type}`);
  }
  process.stdout.write(`${rows.join("\n")}\n`);
}

await main();
