# Sourced by the benchmarks that act as a demo member: `demo_cookie BASE LOGIN` prints the session
# cookie (`name=value`) of LOGIN@demo.relais.test (the demo password), or fails.
demo_cookie() {
  local cookie
  cookie="$(curl -sf -o /dev/null -D - -H 'Content-Type: application/json' -H 'Accept: application/json' \
    -d "{\"email\":\"$2@demo.relais.test\",\"password\":\"relais-demo\"}" "$1/api/auth/login" |
    grep -i '^set-cookie:' | head -1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]+).*/\1/')"
  [ -n "$cookie" ] || { echo "login of $2 failed" >&2; return 1; }
  printf '%s\n' "$cookie"
}
