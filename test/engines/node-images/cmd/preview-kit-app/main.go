// The demo's app: an HTTP server on :8080 that answers every request with the page its image
// holds (/index.html), the pod that answered and, when it has a database (the PG* variables
// of its preview's Secret), what it reads there as its own role; a database it cannot read
// makes it answer 503, so a health check fails. `preview-kit-app migrate` is its migration:
// it creates and fills the table the server reads, with the same credentials.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/lib/pq"
)

// The in-cluster server speaks no TLS; everything else comes from the PG* variables.
const dsn = "sslmode=disable connect_timeout=5"

func open() (*sql.DB, error) {
	connector, err := pq.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(connector), nil
}

func migrate() error {
	db, err := open()
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, statement := range []string{
		"CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, name text)",
		"INSERT INTO items VALUES (1, 'migrated') ON CONFLICT DO NOTHING",
	} {
		if _, err := db.ExecContext(ctx, statement); err != nil {
			return err
		}
	}
	return nil
}

// What the app reads with its own credentials: its role, its database and the migrated rows.
func readDatabase(ctx context.Context, db *sql.DB) (string, error) {
	var user, database, items string
	err := db.QueryRowContext(ctx,
		"SELECT current_user, current_database(), string_agg(name, ',') FROM items",
	).Scan(&user, &database, &items)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("database %s as %s: items %s", database, user, items), nil
}

func serve() error {
	addr := os.Getenv("LISTEN")
	if addr == "" {
		addr = ":8080"
	}
	pod, _ := os.Hostname()
	page, _ := os.ReadFile("/index.html")
	var db *sql.DB
	if os.Getenv("PGDATABASE") != "" {
		var err error
		if db, err = open(); err != nil {
			return err
		}
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		lines := []string{}
		if len(page) > 0 {
			lines = append(lines, strings.TrimSpace(string(page)))
		}
		lines = append(lines, fmt.Sprintf("hello from %s at %s", pod, r.URL.Path))
		if db != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
			defer cancel()
			read, err := readDatabase(ctx, db)
			if err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				read = fmt.Sprintf("database unavailable: %v", err)
			}
			lines = append(lines, read)
		}
		fmt.Fprintln(w, strings.Join(lines, "\n"))
	})
	server := &http.Server{Addr: addr, ReadHeaderTimeout: 10 * time.Second}
	return server.ListenAndServe()
}

func main() {
	var err error
	if len(os.Args) > 1 && os.Args[1] == "migrate" {
		err = migrate()
		if err == nil {
			fmt.Println("migrated")
		}
	} else {
		err = serve()
	}
	if err != nil {
		log.Fatal(err)
	}
}
