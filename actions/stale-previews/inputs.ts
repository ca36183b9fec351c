/** The inputs of stale-previews; keys are the camelCase of the action.yml names. */
import { input } from "../shared/inputs.js";

export const inputs = {
  githubToken: input.text(),
  // GitHub closes nothing by age; a year is already far past any preview's use.
  idleDays: input.integer({ min: 0, max: 365, fallback: 0 }),
};
