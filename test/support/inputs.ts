/**
 * Inputs for unit tests of parseInputs and the actions' input shapes, passed as the runner
 * passes them: `INPUT_<NAME>` variables. Call `afterEach(clearInputs)` in a file that sets them.
 */
import { InputError } from "../../actions/shared/errors.js";

/** The runner's variable for an input: spaces to `_`, upper case, dashes kept. */
export const inputVariable = (name: string) => `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;

/** Sets the inputs by their action.yml names, e.g. `{ "stack-ref": "org/project/dev" }`. */
export function setInputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) process.env[inputVariable(name)] = value;
}

/** Removes every input, whoever set it, so each test starts with none. */
export function clearInputs(): void {
  for (const name of Object.keys(process.env))
    if (name.startsWith("INPUT_")) delete process.env[name];
}

/**
 * The problems of the InputError `run` throws, one a bad input; [] when it throws none.
 * Any other error is a failure of the test and is thrown on.
 */
export function inputProblems(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
}
