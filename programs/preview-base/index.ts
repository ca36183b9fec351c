import { previewBaseProgram } from "./program.js";

export default previewBaseProgram;
