// Command pulumi-resource-pulumi-nodejs is a STAND-IN for the launcher Pulumi ships next to its CLI
// for pulumi.dynamic resources (a shell script in their release archive). It comes from the same
// refused module as the language host (see ../pulumi-language-nodejs), so the Go module proxy
// cannot give it to us either.
//
// It only replaces itself with `node <program>/node_modules/@pulumi/pulumi/cmd/dynamic-provider`
// with the CLI's arguments: the real nodejs SDK is the provider, speaks the plugin protocol and
// prints its port. The CLI starts provider plugins in the program's directory.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

func main() {
	node, err := exec.LookPath("node")
	if err != nil {
		fail("could not find node on the $PATH")
	}
	script, err := findDynamicProvider()
	if err != nil {
		fail(err.Error())
	}
	args := append([]string{node, script}, os.Args[1:]...)
	if err := syscall.Exec(node, args, os.Environ()); err != nil {
		fail(fmt.Sprintf("exec %s: %v", node, err))
	}
}

// findDynamicProvider looks for the SDK in the working directory and its ancestors, as node would.
func findDynamicProvider() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	rel := filepath.Join("node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider")
	for {
		candidate := filepath.Join(dir, rel)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s not found from the working directory: is @pulumi/pulumi installed?", rel)
		}
		dir = parent
	}
}

func fail(msg string) {
	fmt.Fprintf(os.Stderr, "pulumi-resource-pulumi-nodejs: %s\n", msg)
	os.Exit(1)
}
