/**
 * `npm run demo`: one pull request's whole life through the bundled actions, printed as a
 * reviewer sees it, ending with the proof that nothing is left. Exits 1 when a step fails
 * or something is left.
 */
import { endState } from "./demo/end-state.js";
import { heading, line } from "./demo/print.js";
import { StepFailed } from "./demo/steps.js";
import { playStory } from "./demo/story.js";
import { startWorld } from "./demo/world.js";

const began = performance.now();
const world = await startWorld();
let exitCode = 1;
try {
  heading("0. The parts");
  for (const part of world.real) line(`  real: ${part}`);
  for (const part of world.standIns) line(`  stand-in: ${part}`);
  await playStory(world);
  const end = endState(world);
  heading(`7. End state (${((performance.now() - began) / 1000).toFixed(1)}s in all)`);
  for (const text of end.lines) line(text);
  exitCode = end.empty ? 0 : 1;
} catch (error) {
  if (!(error instanceof StepFailed)) throw error;
  heading(`Stopped: ${error.label} failed`);
  for (const detail of error.details) line(`  ${detail}`);
} finally {
  await world.close();
}
process.exitCode = exitCode;
