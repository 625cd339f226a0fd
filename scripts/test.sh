#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: system dependencies, lint + format,
# typecheck, the web build, then unit, integration (PGlite + real PostgreSQL) and
# end-to-end (Chromium) tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "system dependencies"
bash scripts/ensure-system-deps.sh

step "lint and format (biome)"
npx biome check .

step "typecheck (tsc)"
npm run --silent typecheck

step "build the web app"
npm run --silent build:web > /dev/null

step "tests (vitest: unit, integration, e2e)"
npx vitest run "$@"
