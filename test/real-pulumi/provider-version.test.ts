/**
 * The Kubernetes provider `npm run engines` builds reports its real release. The module proxy
 * serves it only as a pseudo-version (v4.0.0-20260115033456-f47bc2d6f199), whose commit upstream
 * tagged v4.25.0; scripts/engines.mjs stamps that release as the provider's own build does. Asked
 * as the engine asks (GetPluginInfo over the provider's gRPC port, through the SDK's own client).
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as Grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { engines } from "../support/engines.js";

// The SDK's generated client and the gRPC and protobuf runtime it was generated for.
const sdk = createRequire(require.resolve("@pulumi/pulumi"));
const grpc = sdk("@grpc/grpc-js") as typeof Grpc;
const { ResourceProviderClient } = sdk("./proto/provider_grpc_pb.js") as {
  ResourceProviderClient: new (address: string, credentials: unknown) => ProviderClient;
};
const { Empty } = sdk("google-protobuf/google/protobuf/empty_pb.js") as {
  Empty: new () => unknown;
};

interface ProviderClient {
  getPluginInfo(
    request: unknown,
    callback: (error: Error | null, info: { getVersion(): string }) => void,
  ): void;
  close(): void;
}

const bin = engines("pulumi-resource-kubernetes");
let provider: ReturnType<typeof spawn> | undefined;
let port = "";

beforeAll(async () => {
  if (!bin) return;
  // A provider takes the engine's address and prints the port it serves on; it dials the engine
  // only to log, which this test never asks it to.
  provider = spawn(join(bin, "pulumi-resource-kubernetes"), ["127.0.0.1:1"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  port = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error("the provider printed no port in 30 s")),
      30_000,
    );
    provider!.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const line = out.match(/^(\d+)\n/);
      if (line) {
        clearTimeout(timer);
        resolve(line[1]!);
      }
    });
    provider!.on("exit", (code) => reject(new Error(`the provider exited with ${code}`)));
  });
}, 60_000);

afterAll(() => {
  provider?.kill("SIGTERM");
});

it.skipIf(!bin)("reports the release its commit was tagged upstream, 4.25.0", async () => {
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    const version = await new Promise<string>((resolve, reject) =>
      client.getPluginInfo(new Empty(), (error, info) =>
        error ? reject(error) : resolve(info.getVersion()),
      ),
    );
    expect(version).toBe("4.25.0");
  } finally {
    client.close();
  }
});
