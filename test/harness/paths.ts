import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const sharedRoot = fileURLToPath(new URL("../../../shared", import.meta.url));
