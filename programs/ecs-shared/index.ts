import { ecsSharedProgram } from "./program.js";

export default ecsSharedProgram;
