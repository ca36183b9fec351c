// Command pulumi-resource-kubernetes serves the pinned Kubernetes provider.
//
// The provider's own main embeds a schema file its build generates and its module
// does not ship, so `npm run engines` copies the module's schema.json and
// terraform-mapping.json here under the embedded names before building.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var schema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, schema, terraformMapping)
}
