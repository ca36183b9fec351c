// Tiny static programs the test node's images are made of (test/support/node-images.ts):
// no image can be pulled here, so the pod sandbox and the test workload are built from source.
module github.com/pulumi-preview-kit/engines/node-images

go 1.26.0

require github.com/lib/pq v1.12.3
