// CoreDNS with the plugins a cluster's DNS needs and no others: the full build links every
// cloud provider's SDK, which a test node never uses.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/ready"
)

// The order plugins run in, as CoreDNS's own plugin.cfg orders them.
var directives = []string{"bind", "errors", "health", "ready", "kubernetes", "cache", "forward"}

func init() {
	dnsserver.Directives = directives
}

func main() {
	coremain.Run()
}
