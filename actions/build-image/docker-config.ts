/**
 * Credentials an earlier `docker login` (or docker/login-action) left in the Docker config,
 * so the digest read-back works without repeating them as inputs. Credential helpers
 * (`credsStore`, `credHelpers`) are not consulted: then give username and password.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Credentials } from "./registry.js";

const DOCKER_HUB_KEYS = [
  "https://index.docker.io/v1/",
  "index.docker.io",
  "docker.io",
  "registry-1.docker.io",
];

export function savedCredentials(
  host: string,
  env: NodeJS.ProcessEnv = process.env,
): Credentials | undefined {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), ".docker");
  let config: { auths?: Record<string, { auth?: string }> };
  try {
    config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as typeof config;
  } catch {
    return undefined;
  }
  const keys = host === "docker.io" ? DOCKER_HUB_KEYS : [host, `https://${host}`, `http://${host}`];
  for (const key of keys) {
    const auth = config.auths?.[key]?.auth;
    if (!auth) continue;
    const decoded = Buffer.from(auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}
