/**
 * The `inputs` context of a `workflow_dispatch` run, as GitHub fills it: every input the
 * workflow declares under `on.workflow_dispatch.inputs`, the dispatched value or its
 * `default`, typed by its `type` — a `boolean` stays a boolean and a `number` is a number,
 * while `github.event.inputs` keeps the strings the dispatch sent (GitHub docs, "Workflow
 * syntax: on.workflow_dispatch.inputs" and "Contexts reference: inputs context"). A dispatch
 * that misses a required input, names an undeclared one or gives a `choice` outside its
 * options is refused by the API before any run exists (REST "Create a workflow dispatch
 * event": 422), which the runner reports as the run's startup failure.
 */
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { isMapping, isSequence } from "@actions/workflow-parser";
import type { Value } from "./expressions.js";
import { member } from "./load.js";

export function dispatchInputs(
  root: TemplateToken,
  given: Record<string, unknown>,
): Record<string, Value> {
  const definitions = member(member(member(root, "on"), "workflow_dispatch"), "inputs");
  const inputs: Record<string, Value> = {};
  const declared = new Set<string>();
  if (definitions && isMapping(definitions)) {
    for (const pair of definitions) {
      const id = pair.key.toString();
      declared.add(id);
      const type = member(pair.value, "type")?.toString() ?? "string";
      const required = member(pair.value, "required")?.toString() === "true";
      const fallback = member(pair.value, "default")?.toString();
      const sent = given[id];
      if ((sent === undefined || sent === "") && required && fallback === undefined)
        throw new Error(`Required input '${id}' not provided`);
      const text = sent === undefined ? (fallback ?? "") : String(sent);
      if (type === "boolean") {
        if (text !== "true" && text !== "false" && text !== "")
          throw new Error(`Provided value '${text}' for input '${id}' is not a boolean`);
        inputs[id] = text === "true";
      } else if (type === "number") {
        const number = Number(text);
        if (text !== "" && Number.isNaN(number))
          throw new Error(`Provided value '${text}' for input '${id}' is not a number`);
        inputs[id] = text === "" ? "" : number;
      } else if (type === "choice") {
        const options = member(pair.value, "options");
        const allowed = options && isSequence(options) ? [...options].map(String) : [];
        if (text !== "" && !allowed.includes(text))
          throw new Error(
            `Provided value '${text}' for input '${id}' not in the list of allowed values`,
          );
        inputs[id] = text;
      } else inputs[id] = text;
    }
  }
  for (const id of Object.keys(given))
    if (!declared.has(id)) throw new Error(`Unexpected inputs provided: ["${id}"]`);
  return inputs;
}
