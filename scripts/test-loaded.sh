#!/usr/bin/env bash
# `make test-loaded`: the test suite while every core is kept busy on purpose.
# The suite must pass on a busy machine (CI is a shared 2-core box): this runs
# one CPU hog per core (`yes > /dev/null`, LOAD_HOGS to change how many) for the
# whole run, then always stops them, whether the tests pass, fail or are
# interrupted. A hog left behind by a killed script ends by itself after
# LOAD_MAX_S (2 h). Arguments go to pytest.
set -uo pipefail
py=${1:-.venv/bin/python}
shift || true
hogs=${LOAD_HOGS:-$(nproc)}
max_s=${LOAD_MAX_S:-7200}
pids=()

stop_hogs() {
  if ((${#pids[@]})); then
    kill "${pids[@]}" 2>/dev/null
    wait "${pids[@]}" 2>/dev/null
  fi
  pids=()
}
trap stop_hogs EXIT
trap 'exit 130' INT TERM HUP

for _ in $(seq "$hogs"); do
  timeout "$max_s" yes >/dev/null &
  pids+=("$!")
done
echo "test-loaded: $hogs CPU hog(s) on $(nproc) core(s) for the whole run (pids ${pids[*]})"
start=$(date +%s)
"$py" -m pytest -n 4 "$@"
code=$?
echo "test-loaded: pytest exit $code after $(($(date +%s) - start)) s under load"
exit "$code"
