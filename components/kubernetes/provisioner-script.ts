/**
 * Run with the admin's credentials, idempotent: the preview's role (no superuser, no CREATEDB,
 * no CREATEROLE), its password, its database owned by it, and CONNECT taken from PUBLIC so
 * that no other preview's role can reach it. psql quotes identifiers and the password itself.
 */
const CREATE_DATABASE = `SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \\gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'role', :'pass') \\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \\gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'role') \\gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \\gexec
SELECT format('GRANT ALL ON DATABASE %I TO %I', :'db', :'role') \\gexec`;

/**
 * The database provisioner's loop, run by bash in the PostgreSQL image (psql, od) with a kubectl
 * using the pod's service account. Environment: libpq variables for the server (the admin's),
 * `KUBECTL`, `NAMESPACE_PREFIX` (`preview-pr-`), `PREVIEW_SELECTOR` (the kit's namespace
 * labels), `PULL_REQUEST_LABEL`, `REQUEST_LABEL`, `DATABASE_PREFIXES` (space-separated),
 * `INTERVAL` (seconds), and optionally `OWN_NAMESPACE` with `PULL_SECRET`, a
 * `kubernetes.io/dockerconfigjson` Secret there that every preview namespace gets a copy of.
 *
 * A request is a ConfigMap labelled `REQUEST_LABEL=<prefix>` in a namespace `preview-pr-<N>`
 * that carries the kit's labels with `N`: the database is `<prefix>_pr_<N>`, named by the
 * namespace, never by the request, so a preview gets only its own. Its answer is a Secret of
 * the ConfigMap's name in the same namespace with that role's credentials. The role's password
 * is derived from the admin password and the database's name (sha256 in PostgreSQL), so every
 * sweep writes the same one and nothing needs to be read back.
 */
export const PROVISIONER_SCRIPT = `set -euo pipefail
: "\${KUBECTL:?}" "\${NAMESPACE_PREFIX:?}" "\${PREVIEW_SELECTOR:?}" "\${PULL_REQUEST_LABEL:?}" \\
  "\${REQUEST_LABEL:?}" "\${DATABASE_PREFIXES:?}" "\${INTERVAL:?}" "\${PGHOST:?}" "\${PGPORT:?}" "\${PGPASSWORD:?}"
fail() { echo "provisioner: $*" >&2; exit 1; }
# Checked here because they end up in templates, JSON and SQL.
[[ $NAMESPACE_PREFIX =~ ^[a-z][-a-z0-9]*$ ]] || fail "bad NAMESPACE_PREFIX"
[[ $PULL_REQUEST_LABEL =~ ^[a-z0-9][-a-z0-9./]*$ ]] || fail "bad PULL_REQUEST_LABEL"
[[ $REQUEST_LABEL =~ ^[a-z0-9][-a-z0-9./]*$ ]] || fail "bad REQUEST_LABEL"
[[ $PGHOST =~ ^[a-z0-9][-a-z0-9.]*$ && $PGPORT =~ ^[0-9]+$ && $INTERVAL =~ ^[0-9]+$ ]] || fail "bad PGHOST, PGPORT or INTERVAL"
[[ -z \${PULL_SECRET:-} || $PULL_SECRET =~ ^[a-z0-9][-a-z0-9.]*$ ]] || fail "bad PULL_SECRET"
declare -A allowed=()
read -ra prefixes <<<"$DATABASE_PREFIXES"
for prefix in "\${prefixes[@]}"; do
  [[ $prefix =~ ^[a-z_][a-z0-9_]*$ ]] || fail "bad database prefix '$prefix'"
  allowed[$prefix]=1
done

apply() { "$KUBECTL" apply --server-side --field-manager=preview-kit-provisioner --force-conflicts -f - >/dev/null; }

# Creates (or updates) database and role $3 and writes Secret $2 in namespace $1.
provision() {
  local namespace=$1 name=$2 db=$3 pass
  pass=$(psql -X -At -v ON_ERROR_STOP=1 -d postgres -v key="$PGPASSWORD" -v db="$db" \\
    <<<"SELECT encode(sha256(convert_to(:'key' || ':preview-kit:' || :'db', 'UTF8')), 'hex')")
  [[ $pass =~ ^[0-9a-f]{64}$ ]] || return 1
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -v db="$db" -v role="$db" -v pass="$pass" >/dev/null <<'SQL' || return 1
${CREATE_DATABASE}
SQL
  printf '{"apiVersion":"v1","kind":"Secret","type":"Opaque","metadata":{"name":"%s","namespace":"%s","labels":{"app.kubernetes.io/managed-by":"preview-kit"}},"stringData":{"PGHOST":"%s","PGPORT":"%s","PGUSER":"%s","PGPASSWORD":"%s","PGDATABASE":"%s","DATABASE_URL":"postgres://%s:%s@%s:%s/%s"}}' \\
    "$name" "$namespace" "$PGHOST" "$PGPORT" "$db" "$pass" "$db" "$db" "$pass" "$PGHOST" "$PGPORT" "$db" | apply
}

declare -A done_for=()
sweep() {
  local listing requests pull="" namespace n uid name prefix
  listing=$("$KUBECTL" get namespaces -l "$PREVIEW_SELECTOR" \\
    -o go-template="{{range .items}}{{.metadata.name}} {{index .metadata.labels \\"$PULL_REQUEST_LABEL\\"}}{{\\"\\n\\"}}{{end}}") || return 1
  declare -A number=()
  while read -r namespace n; do
    [[ -n $namespace && $n =~ ^[0-9]+$ && $namespace == "$NAMESPACE_PREFIX$n" ]] && number[$namespace]=$n
  done <<<"$listing"
  if [[ -n \${PULL_SECRET:-} ]]; then
    pull=$("$KUBECTL" get secret "$PULL_SECRET" -n "\${OWN_NAMESPACE:?}" -o go-template='{{index .data ".dockerconfigjson"}}') || return 1
    [[ $pull =~ ^[A-Za-z0-9+/=]+$ ]] || return 1
    for namespace in "\${!number[@]}"; do
      [[ -z \${done_for[pull/$namespace]:-} ]] || continue
      printf '{"apiVersion":"v1","kind":"Secret","type":"kubernetes.io/dockerconfigjson","metadata":{"name":"%s","namespace":"%s","labels":{"app.kubernetes.io/managed-by":"preview-kit"}},"data":{".dockerconfigjson":"%s"}}' \\
        "$PULL_SECRET" "$namespace" "$pull" | apply && done_for[pull/$namespace]=1
    done
  fi
  requests=$("$KUBECTL" get configmaps -A -l "$REQUEST_LABEL" \\
    -o go-template="{{range .items}}{{.metadata.uid}} {{.metadata.namespace}} {{.metadata.name}} {{index .metadata.labels \\"$REQUEST_LABEL\\"}}{{\\"\\n\\"}}{{end}}") || return 1
  while read -r uid namespace name prefix; do
    [[ -n $uid && -z \${done_for[$uid]:-} ]] || continue
    n=\${number[$namespace]:-}
    if [[ -z $n || -z \${allowed[$prefix]:-} || ! $name =~ ^[a-z0-9][-a-z0-9]{0,62}$ ]]; then
      echo "provisioner: refusing $namespace/$name ($prefix): not a preview's namespace or not a listed app"
    elif provision "$namespace" "$name" "\${prefix}_pr_$n"; then
      echo "provisioner: $namespace/$name has database \${prefix}_pr_$n"
    else
      echo "provisioner: could not provision $namespace/$name; retrying" >&2
      continue
    fi
    done_for[$uid]=1
  done <<<"$requests"
}

sweeps=0
while :; do
  sweep || echo "provisioner: a listing failed; retrying" >&2
  sleep "$INTERVAL"
  # Now and then everything again: a deleted Secret comes back, a restarted server gets its roles.
  (( ++sweeps % 60 )) || done_for=()
done
`;
