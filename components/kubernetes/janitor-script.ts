/**
 * The database janitor's sweep, run by bash in the PostgreSQL image (it has psql). Environment:
 * libpq variables for the server, `KUBECTL` (path of a kubectl using the pod's service account),
 * `OWN_NAMESPACE`, `NAMESPACE_PREFIX` (`preview-pr-`), `DATABASE_PREFIXES` (space-separated).
 *
 * Order matters: databases are listed before namespaces. A preview's namespace always exists
 * before its database (the Job creating the database runs in it), so a database seen first
 * whose namespace is missing from the later listing belongs to a closed preview; listing
 * namespaces first would let a preview opened in between lose its new database.
 *
 * Fail closed: a failed, empty or implausible namespace listing makes every preview look
 * closed, so the sweep then stops before dropping anything.
 */
export const JANITOR_SCRIPT = `set -euo pipefail
: "\${KUBECTL:?}" "\${OWN_NAMESPACE:?}" "\${NAMESPACE_PREFIX:?}" "\${DATABASE_PREFIXES:?}" "\${PREVIEW_LABEL:?}"
fail() { echo "janitor: $*; dropping nothing" >&2; exit 1; }
# Checked again here because they end up in a regular expression and in SQL.
[[ $NAMESPACE_PREFIX =~ ^[a-z][-a-z0-9]*$ ]] || fail "bad NAMESPACE_PREFIX '$NAMESPACE_PREFIX'"
[[ $PREVIEW_LABEL =~ ^[a-z0-9][-a-z0-9./]*$ ]] || fail "bad PREVIEW_LABEL '$PREVIEW_LABEL'"
read -ra prefixes <<<"$DATABASE_PREFIXES"
for prefix in "\${prefixes[@]}"; do
  [[ $prefix =~ ^[a-z_][a-z0-9_]*$ ]] || fail "bad database prefix '$prefix'"
done

databases=$(psql -X -v ON_ERROR_STOP=1 -d postgres -Atc "SELECT datname FROM pg_database WHERE NOT datistemplate") ||
  fail "could not list databases"
# "<kind> <name> <preview namespace>" per labelled Job and Secret.
leftovers=""
for kind in job secret; do
  listing=$("$KUBECTL" get "$kind" -n "$OWN_NAMESPACE" -l "$PREVIEW_LABEL" \
    -o go-template="{{range .items}}$kind {{.metadata.name}} {{index .metadata.labels \\"$PREVIEW_LABEL\\"}}{{\\"\\n\\"}}{{end}}") ||
    fail "could not list the $kind objects labelled $PREVIEW_LABEL"
  leftovers+=$listing$'\\n'
done
namespaces=$("$KUBECTL" get namespaces -o name) || fail "could not list namespaces"

declare -A live=()
while IFS= read -r line; do
  [[ $line =~ ^namespace/([a-z0-9][-a-z0-9]*)$ ]] || fail "unexpected namespace listing line '$line'"
  live[\${BASH_REMATCH[1]}]=1
done <<<"$namespaces"
# Its own namespace must be there: anything else is not a complete listing.
[[ -n \${live[$OWN_NAMESPACE]:-} ]] || fail "the namespace listing lacks $OWN_NAMESPACE"

failed=0
while IFS= read -r name; do
  for prefix in "\${prefixes[@]}"; do
    [[ $name =~ ^\${prefix}_pr_([0-9]+)$ ]] || continue
    namespace=$NAMESPACE_PREFIX\${BASH_REMATCH[1]}
    if [[ -n \${live[$namespace]:-} ]]; then
      echo "janitor: keeping $name: namespace $namespace exists"
    # The preview's role (named like its database, see PreviewDatabase) goes with it.
    elif psql -X -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS \\"$name\\" WITH (FORCE)" \\
      -c "DROP ROLE IF EXISTS \\"$name\\""; then
      echo "janitor: dropped $name and its role: namespace $namespace is gone"
    else
      echo "janitor: could not drop $name" >&2
      failed=1
    fi
    break
  done
done <<<"$databases"

while read -r kind name namespace; do
  [[ -n $kind ]] || continue
  [[ $namespace =~ ^\${NAMESPACE_PREFIX}[0-9]+$ && -z \${live[$namespace]:-} ]] || continue
  if "$KUBECTL" delete "$kind" "$name" -n "$OWN_NAMESPACE" --ignore-not-found; then
    echo "janitor: deleted $kind $name: namespace $namespace is gone"
  else
    echo "janitor: could not delete $kind $name" >&2
    failed=1
  fi
done <<<"$leftovers"
exit "$failed"
`;
