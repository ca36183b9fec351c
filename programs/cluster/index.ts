import { clusterProgram } from "./program.js";

export default clusterProgram;
