import { appProgram } from "./program.js";

export default appProgram;
