// Command pulumi-language-nodejs is a STAND-IN for Pulumi's own nodejs language host.
//
// Why it exists: the Go module proxy refuses the real one
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@v3.274.1: "403 Forbidden:
// This module version is not available", and the same for every other version), and the Pulumi CLI
// needs a `pulumi-language-nodejs` next to it or on PATH to run a `runtime: nodejs` program.
//
// It does as little as possible: it implements the LanguageRuntime gRPC service the CLI calls and,
// for Run, starts `node` on the program's own @pulumi/pulumi/cmd/run with the flags and
// environment that script reads (--monitor, --engine, --project, --stack, ..., PULUMI_CONFIG,
// PULUMI_CONFIG_SECRET_KEYS, PULUMI_NODEJS_TYPESCRIPT). The real CLI, its engine and the real
// nodejs SDK do all the work: planning, state, secrets, diagnostics. Written for this project
// from the public proto and the SDK's run script; no Pulumi source is copied.
//
// Not implemented (the CLI tolerates Unimplemented, or never calls them for `preview`, `up`,
// `refresh`, `destroy`): code generation, packing, linking, plugins written in node, templates.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is reported to `pulumi about`/plugin listings: the release of the CLI this stands in for.
const version = "3.274.1"

// bailExitCode is what @pulumi/pulumi/cmd/run exits with after it has already shown the user an
// actionable error (its nodeJSProcessExitedAfterLoggingUserActionableMessage).
const bailExitCode = 32

func main() {
	engineAddress := ""
	// The CLI passes its engine address as the last positional argument, possibly after
	// logging/tracing flags that this stand-in does not need.
	for _, arg := range os.Args[1:] {
		if !strings.HasPrefix(arg, "-") {
			engineAddress = arg
		}
	}

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: listen: %v\n", err)
		os.Exit(1)
	}
	server := grpc.NewServer(grpc.MaxRecvMsgSize(400 * 1024 * 1024))
	pulumirpc.RegisterLanguageRuntimeServer(server, &host{engineAddress: engineAddress})

	// The plugin protocol: the first line on stdout is the port the CLI dials.
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)
	if err := server.Serve(listener); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: serve: %v\n", err)
		os.Exit(1)
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPackages names no packages: the engine then loads each provider plugin when a resource
// first needs it (for pulumi.dynamic resources, the bundled pulumi-nodejs provider).
func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, "could not find node on the $PATH")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "node --version: %v", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// GetProgramDependencies lists the program's package.json dependencies with the versions installed.
func (h *host) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	manifest, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, err.Error())
	}
	deps := []*pulumirpc.DependencyInfo{}
	for _, group := range []map[string]string{manifest.Dependencies, manifest.DevDependencies} {
		for name, wanted := range group {
			installed := wanted
			if pkg, err := findUp(dir, filepath.Join("node_modules", name, "package.json")); err == nil {
				if m, err := readPackageJSON(pkg); err == nil && m.Version != "" {
					installed = m.Version
				}
			}
			deps = append(deps, &pulumirpc.DependencyInfo{Name: name, Version: installed})
		}
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// InstallDependencies runs `npm ci` (or `npm install` without a lockfile) in the program directory
// unless its node_modules already exists, streaming npm's output back to the CLI.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil {
		return stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: []byte("node_modules present\n")})
	}
	args := []string{"install"}
	if _, err := os.Stat(filepath.Join(dir, "package-lock.json")); err == nil {
		args = []string{"ci"}
	}
	cmd := exec.CommandContext(stream.Context(), "npm", args...)
	cmd.Dir = dir
	cmd.Stdout = streamWriter{stream: stream}
	cmd.Stderr = streamWriter{stream: stream, stderr: true}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm %s: %w", args[0], err)
	}
	return nil
}

type streamWriter struct {
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	chunk := append([]byte(nil), p...)
	msg := &pulumirpc.InstallDependenciesResponse{Stdout: chunk}
	if w.stderr {
		msg = &pulumirpc.InstallDependenciesResponse{Stderr: chunk}
	}
	if err := w.stream.Send(msg); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Run starts the program under @pulumi/pulumi/cmd/run and reports how it ended.
func (h *host) Run(_ context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	entryPoint := info.GetEntryPoint()
	if entryPoint == "" {
		entryPoint = "."
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	runScript := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runScript == "" {
		runScript, err = findUp(programDir, filepath.Join("node_modules", "@pulumi", "pulumi", "cmd", "run"))
		if err != nil {
			return &pulumirpc.RunResponse{
				Error: "It looks like the Pulumi SDK has not been installed. Have you run npm install or yarn install?",
			}, nil
		}
	}

	options := info.GetOptions().AsMap()
	config, err := runConfig(req.GetConfig())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	secretKeys, err := json.Marshal(nonNil(req.GetConfigSecretKeys()))
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	env := append(os.Environ(), "PULUMI_CONFIG="+config, "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	if typescript, ok := options["typescript"].(bool); !ok || typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}

	var args []string
	if nodeargs, ok := options["nodeargs"].(string); ok {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, runScript)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.engineAddress)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", info.GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", programDir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flag("parallel", fmt.Sprint(req.GetParallel()))
	args = append(args, entryPoint)
	args = append(args, req.GetArgs()...)

	cmd := exec.Command(node, args...)
	cmd.Env = env
	// Wrapped so exec copies through a pipe: node may switch its stdio to non-blocking mode, which
	// must not leak into the CLI's file descriptors.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	// The program must not outlive this host when the CLI kills it (cancel, timeout).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// runConfig renders config as the SDK reads PULUMI_CONFIG: a JSON object keyed "<namespace>:config:<name>"
// (the SDK accepts that and the newer "<namespace>:<name>"; older SDKs only the former).
func runConfig(config map[string]string) (string, error) {
	out := make(map[string]string, len(config))
	for key, value := range config {
		namespace, name, ok := strings.Cut(key, ":")
		if !ok {
			return "", fmt.Errorf("config key %q has no namespace", key)
		}
		out[namespace+":config:"+name] = value
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func nonNil(keys []string) []string {
	if keys == nil {
		return []string{}
	}
	return keys
}

type packageJSON struct {
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

func readPackageJSON(path string) (packageJSON, error) {
	var m packageJSON
	f, err := os.Open(path)
	if err != nil {
		return m, err
	}
	defer f.Close()
	err = json.NewDecoder(bufio.NewReader(f)).Decode(&m)
	return m, err
}

// findUp returns dir/rel or the same path in the nearest ancestor of dir, as node's module lookup does.
func findUp(dir, rel string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(abs, rel)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", fmt.Errorf("%s not found from %s", rel, dir)
		}
		abs = parent
	}
}
