package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"

	"github.com/google/shlex"
	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// RunPlugin runs a plugin written in node from its directory: a policy pack (kind "analyzer", what
// `--policy-pack <dir>` with a PulumiPolicy.yaml of `runtime: nodejs` asks for) on the pack's own
// @pulumi/pulumi/cmd/run-policy-pack, anything else on cmd/run-plugin. Its output streams back to
// the engine, which reads the plugin's port from it.
//
// A policy pack of @pulumi/policy learns the stack from environment variables, but the engine sends
// it only later (ConfigureStack): the pinned SDK's PolicyProxy answers the engine first, and the pack
// starts once the stack is known, as upstream's host does.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx, done := h.interruptible(server.Context())
	defer done()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	node, err := exec.LookPath("node")
	if err != nil {
		return err
	}
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return err
	}
	env := append(append([]string{}, req.GetEnv()...), opts.env()...)

	dir := req.GetInfo().GetProgramDirectory()
	policyPack := req.GetKind() == string(apitype.AnalyzerPlugin)
	script := "@pulumi/pulumi/cmd/run-policy-pack"
	if !policyPack {
		script = os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
		if script == "" {
			script = "@pulumi/pulumi/cmd/run-plugin"
		}
	}
	script, err = resolveModule(node, dir, script, "npm install in "+dir)
	if err != nil {
		return err
	}

	// Upstream passes `nodeargs` after the script, so they reach the script, not node.
	nodeargs, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return err
	}
	args := append([]string{script}, nodeargs...)
	if policyPack {
		args = append(append(args, req.GetArgs()...), dir)
	} else {
		args = append(append(args, dir), req.GetArgs()...)
	}

	var proxy *sdk.PolicyProxy
	if policyPack {
		if proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout); err != nil {
			return fmt.Errorf("could not start policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get stack configuration: %w", err)
		}
		stackEnv, err := policyPackEnv(stack)
		if err != nil {
			return err
		}
		env = append(env, stackEnv...)
	}

	cmd := nodeCommand(ctx, node, args)
	// A policy pack has always run in its own directory; other plugins where the engine says.
	cmd.Dir = req.GetPwd()
	if policyPack {
		cmd.Dir = dir
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		if proxy != nil {
			proxy.Abort(err)
		}
		return fmt.Errorf("Problem executing plugin program (could not run language executor): %w", err)
	}
	if proxy != nil {
		err = proxy.Attach(ctx, cmd)
	} else {
		err = cmd.Wait()
	}
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return err
	}
	return closer.Close()
}

// policyPackEnv is the stack as @pulumi/policy reads it from its environment.
func policyPackEnv(stack *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if stack == nil {
		return nil, nil
	}
	var env []string
	set := func(name, value string) {
		if value != "" {
			env = append(env, name+"="+value)
		}
	}
	set("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
	set("PULUMI_NODEJS_PROJECT", stack.GetProject())
	set("PULUMI_NODEJS_STACK", stack.GetStack())
	set("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
	if config := stack.GetConfig(); config != nil {
		b, err := json.Marshal(config)
		if err != nil {
			return nil, fmt.Errorf("could not marshal stack configuration: %w", err)
		}
		set("PULUMI_CONFIG", string(b))
	}
	return env, nil
}
