// The test workload: an HTTP server that answers every request with one line naming the
// pod it runs in (POD_NAME) and the path asked for, so a test can tell which pod answered.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := os.Getenv("LISTEN")
	if addr == "" {
		addr = ":8080"
	}
	pod := os.Getenv("POD_NAME")
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s at %s\n", pod, r.URL.Path)
	})
	log.Fatal(http.ListenAndServe(addr, nil))
}
