package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/google/shlex"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// bailExitCode is what @pulumi/pulumi/cmd/run exits with after it has already shown the user an
// actionable error (its nodeJSProcessExitedAfterLoggingUserActionableMessage).
const bailExitCode = 32

// Run starts the program under @pulumi/pulumi/cmd/run and reports how it ended.
func (h *host) Run(request context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	entryPoint := info.GetEntryPoint()
	if entryPoint == "" {
		entryPoint = "."
	}
	failed := func(err error) (*pulumirpc.RunResponse, error) {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return failed(fmt.Errorf("could not find node on the $PATH: %w", err))
	}
	runScript := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runScript == "" {
		runScript = "@pulumi/pulumi/cmd/run"
	}
	runScript, err = resolveModule(node, programDir, runScript, "pulumi install")
	if err != nil {
		return failed(err)
	}

	config, err := runConfig(req.GetConfig())
	if err != nil {
		return failed(fmt.Errorf("failed to serialize configuration: %w", err))
	}
	secretKeys, err := json.Marshal(nonNil(req.GetConfigSecretKeys()))
	if err != nil {
		return failed(fmt.Errorf("failed to serialize configuration secret keys: %w", err))
	}
	opts, err := parseOptions(info.GetOptions().AsMap())
	if err != nil {
		return failed(err)
	}
	args, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return failed(err)
	}

	env := append(os.Environ(), "PULUMI_CONFIG="+config, "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	env = append(env, opts.env()...)

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

	ctx, done := h.interruptible(request)
	defer done()
	cmd := nodeCommand(ctx, node, args)
	cmd.Env = env
	// Wrapped so exec copies through a pipe: node may switch its stdio to non-blocking mode, which
	// must not leak into the CLI's file descriptors.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return failed(fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode()))
		}
		return failed(fmt.Errorf("Problem executing program (could not run language executor): %w", err))
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
