//go:build tools

// Package engines pins the commands `npm run engines` builds from this module.
package engines

import _ "go.etcd.io/etcd/server/v3"
