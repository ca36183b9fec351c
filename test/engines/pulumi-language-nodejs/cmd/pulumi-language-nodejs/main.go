// Command pulumi-language-nodejs is a STAND-IN for Pulumi's own nodejs language host.
//
// Why it exists: the Go module proxy refuses the real one
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@v3.274.1: "403 Forbidden:
// This module version is not available", and the same for every other version), and the Pulumi CLI
// needs a `pulumi-language-nodejs` next to it or on PATH to run a `runtime: nodejs` program.
//
// It implements the LanguageRuntime gRPC service the CLI calls: Run starts `node` on the program's
// own @pulumi/pulumi/cmd/run, RunPlugin starts a policy pack on its @pulumi/pulumi/cmd/run-policy-pack
// (or a plugin on cmd/run-plugin), with the flags and environment those scripts read. The real CLI,
// its engine and the real nodejs SDK do all the work: planning, state, secrets, diagnostics, policy.
// Where a program can tell, it behaves as upstream's host does (read at its newest tag, not copied):
// Cancel interrupts the program, `nodeargs` is split with shell quoting, runtime options of the
// wrong type are refused, and a host whose engine has gone away exits. What it still lacks is listed
// in test/real-pulumi/README.md.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// version is reported to `pulumi about`/plugin listings: the release of the CLI this stands in for.
const version = "3.274.1"

// healthInterval is how often the host asks the engine whether it is still there (upstream: every
// five minutes). PREVIEW_KIT_HOST_HEALTH_INTERVAL (a Go duration) shortens it for the test that
// orphans a host; nothing else sets it.
func healthInterval() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("PREVIEW_KIT_HOST_HEALTH_INTERVAL")); err == nil && d > 0 {
		return d
	}
	return 5 * time.Minute
}

func main() {
	engineAddress := ""
	// The CLI passes its engine address as the positional argument, possibly after logging/tracing
	// flags that this stand-in does not need.
	for _, arg := range os.Args[1:] {
		if !strings.HasPrefix(arg, "-") {
			engineAddress = arg
		}
	}

	// An interrupt, or an engine that no longer answers, stops the server and so the host: a host
	// orphaned by a killed CLI (it runs in a process group of its own) must not live on.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, healthInterval(), stop); err != nil {
			fail("could not start the engine health check: %v", err)
		}
	}

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("listen: %v", err)
	}
	server := grpc.NewServer(grpc.MaxRecvMsgSize(400 * 1024 * 1024))
	pulumirpc.RegisterLanguageRuntimeServer(server, newHost(engineAddress))
	go func() {
		<-ctx.Done()
		server.Stop()
	}()

	// The plugin protocol: the first line on stdout is the port the CLI dials.
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)
	if err := server.Serve(listener); err != nil {
		fail("serve: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: "+format+"\n", args...)
	os.Exit(1)
}
