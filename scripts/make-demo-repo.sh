#!/usr/bin/env bash
# Build a demo repository with six months of backdated infrastructure history from examples/terraform-startup,
# so that `azengage scan` has a real cadence to read:
#
#   scripts/make-demo-repo.sh /tmp/contoso-demo
#   cargo run --release -- scan /tmp/contoso-demo --as-of 2026-11-23
#
# The history is deterministic: steady weekly work from May, a summer gap, and a burst in November (the pattern
# the engagement review distrusts). Needs git.
set -euo pipefail
src="$(cd "$(dirname "$0")/../examples/terraform-startup" && pwd)"
dest="${1:?usage: make-demo-repo.sh DEST}"
rm -rf "$dest"
mkdir -p "$dest"
cd "$dest"
git init -q -b main
git config user.name "Contoso Platform"
git config user.email "platform@contoso.example"

commit() { # DATE MESSAGE
  git add -A
  GIT_AUTHOR_DATE="$1T10:00:00+02:00" GIT_COMMITTER_DATE="$1T10:00:00+02:00" git commit -q -m "$2"
}

mkdir -p .github/workflows modules
cp "$src/providers.tf" "$src/variables.tf" "$src/outputs.tf" .
# The first main.tf: resource group, monitoring, the web app.
sed -n '1,/^resource "azurerm_linux_function_app"/p' "$src/main.tf" | sed '$d' > main.tf
commit 2026-05-04 "Bootstrap: resource group, Log Analytics, App Service"
cp "$src/terraform.tfvars" .
commit 2026-05-11 "Pin the region in terraform.tfvars"
cp "$src/.github/workflows/deploy.yml" .github/workflows/deploy.yml
echo "# apply on merge" >> main.tf
commit 2026-05-18 "Deploy infrastructure from GitHub Actions"
cp -r "$src/modules/network" modules/
cat >> main.tf <<'TF'

module "network" {
  source              = "./modules/network"
  name                = local.name
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
}
TF
commit 2026-05-26 "Add the virtual network"
cp -r "$src/modules/data" modules/
commit 2026-06-02 "Add PostgreSQL and Redis module"
sed -i 's/retention_in_days   = 30/retention_in_days   = 60/' main.tf
commit 2026-06-09 "Keep logs for 60 days"
cp "$src/main.tf" main.tf
commit 2026-06-16 "Functions worker, storage, Azure OpenAI, Key Vault (AVM)"
sed -i 's/sku_name            = "P1v3"/sku_name            = "P0v3"/' main.tf
commit 2026-06-24 "Right-size the App Service plan"
sed -i 's/capacity             = 1/capacity             = 2/' modules/data/main.tf
commit 2026-07-01 "Redis capacity 2"
sed -i 's/storage_mb                    = 32768/storage_mb                    = 65536/' modules/data/main.tf
commit 2026-07-08 "More PostgreSQL storage"
# Summer: nothing for six weeks. Then a burst before the review.
sed -i 's/retention_in_days   = [0-9]*/retention_in_days   = 90/' main.tf
commit 2026-08-25 "Keep logs for 90 days"
cp "$src/.github/azengage.yml" .github/azengage.yml
commit 2026-11-09 "azengage config"
for d in 10 11 12 13 16 17 18 19 20; do
  echo "# tuning $d" >> modules/data/main.tf
  commit "2026-11-$d" "Tune the data tier ($d Nov)"
done
echo "demo repository with $(git rev-list --count HEAD) commits in $dest"
