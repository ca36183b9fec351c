package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// resolveModule asks node where `module` resolves from dir (require.resolve: node_modules up the
// tree, NODE_PATH, package exports), as upstream's host does. The module name travels as an
// argument, never inside the script. `install` is what the error tells the user to run.
func resolveModule(node, dir, module, install string) (string, error) {
	script := `try { console.log(require.resolve(process.argv[1])); } catch (error) {
  if (error.code === "MODULE_NOT_FOUND") console.error("It looks like the Pulumi SDK has not been installed. Have you run " + process.argv[2] + "?");
  else console.error(error.message);
  process.exit(1);
}`
	cmd := exec.Command(node, "-e", script, module, install)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", errors.New(strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// nodeCommand is `node args...`, interrupted when ctx ends (the engine's Cancel, or the request's
// end): SIGINT first, as upstream, then a kill if it has not ended within five seconds.
//
// The CLI kills the host right after Cancel returns, so the program also gets a SIGINT when the host
// dies: a program that handles SIGINT sees it as under upstream's host (whose program outlives it),
// one that does not ends, instead of outliving a host that was killed.
func nodeCommand(ctx context.Context, node string, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGINT}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
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
