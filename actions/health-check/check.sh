#!/usr/bin/env bash
# Polls every URL until it answers 2xx/3xx. All URLs share one deadline; between rounds the
# wait doubles (capped), so a slow rollout is not hammered and a dead one fails on time.
set -uo pipefail

error() { # One annotation line; '%', CR and LF would otherwise end or corrupt the command.
  local message=${1//'%'/'%25'}
  message=${message//$'\r'/'%0D'}
  printf '::error title=Health check failed::%s\n' "${message//$'\n'/'%0A'}"
}
whole_number() { [[ $2 =~ ^[0-9]+$ ]] || { error "$1 must be a whole number of seconds, got '$2'"; exit 1; }; }

timeout=${HEALTH_TIMEOUT_SECONDS:-300}
delay=${HEALTH_INITIAL_DELAY_SECONDS:-2}
max_delay=${HEALTH_MAX_DELAY_SECONDS:-30}
whole_number timeout-seconds "$timeout"
whole_number initial-delay-seconds "$delay"
whole_number max-delay-seconds "$max_delay"
((delay > 0)) || delay=1

# What the log and outputs show of a URL: its credentials (user:password@) never, masked too
# so that nothing else printing them (curl's errors) shows them either.
declare -A shown
pending=()
number=0
while IFS= read -r line; do
  number=$((number + 1))
  url=$(printf '%s' "$line" | tr -d '[:space:]')
  [[ -z $url ]] && continue
  if [[ ! $url =~ ^https?://[^[:space:]]+$ ]]; then
    # Not quoted: a malformed line may still hold a credential.
    error "line $number of input 'urls' is not an http:// or https:// URL"
    exit 1
  fi
  if [[ $url =~ ^(https?://)([^/?#]*)@(.*)$ ]]; then
    credentials=${BASH_REMATCH[2]}
    echo "::add-mask::$credentials"
    [[ $credentials == *:* ]] && echo "::add-mask::${credentials#*:}"
    shown[$url]="${BASH_REMATCH[1]}***@${BASH_REMATCH[3]}"
  else
    shown[$url]=$url
  fi
  pending+=("$url")
done <<<"${HEALTH_URLS:-}"
if ((${#pending[@]} == 0)); then
  error "no URL to check: input 'urls' is empty"
  exit 1
fi

declare -A last
deadline=$((SECONDS + timeout))
while :; do
  failing=()
  for url in "${pending[@]}"; do
    left=$((deadline - SECONDS))
    ((left < 1)) && left=1
    code=$(curl --silent --show-error --output /dev/null --write-out '%{http_code}' \
      --proto '=http,https' --connect-timeout "$((left < 10 ? left : 10))" \
      --max-time "$((left < 20 ? left : 20))" -- "$url" 2>/dev/null)
    status=$?
    if ((status == 0)) && [[ $code =~ ^[23][0-9][0-9]$ ]]; then
      echo "healthy: ${shown[$url]} (HTTP $code)"
    else
      if ((status == 0)); then last[$url]="HTTP $code"; else last[$url]="no response (curl exit $status)"; fi
      failing+=("$url")
    fi
  done
  pending=("${failing[@]}")
  ((${#pending[@]} == 0)) && break
  ((SECONDS + delay >= deadline)) && break
  echo "waiting ${delay}s for ${#pending[@]} URL(s)"
  sleep "$delay"
  delay=$((delay * 2 > max_delay ? max_delay : delay * 2))
done

if ((${#pending[@]} == 0)); then
  echo "healthy=true" >>"${GITHUB_OUTPUT:-/dev/null}"
  echo "unhealthy=" >>"${GITHUB_OUTPUT:-/dev/null}"
  exit 0
fi
{
  echo "healthy=false"
  echo "unhealthy<<HEALTH_CHECK_EOF"
  for url in "${pending[@]}"; do printf '%s\n' "${shown[$url]}"; done
  echo "HEALTH_CHECK_EOF"
} >>"${GITHUB_OUTPUT:-/dev/null}"
for url in "${pending[@]}"; do
  error "${shown[$url]}: ${last[$url]} (not healthy within ${timeout}s)"
done
exit 1
