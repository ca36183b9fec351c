import { runAction } from "../shared/action.js";
import { run } from "./run.js";
await runAction(run);
