//! Azure Verified Modules from a registry resolve by name to the ARM type they deploy.
//!
//! Bicep: `br/public:avm/res/<namespace>/<type-kebab>:<version>`; Terraform: `Azure/avm-res-<namespace>-<type>/azurerm`.
//! The name gives the provider namespace without `Microsoft.` and the singular type; both are compared with
//! every ARM type the catalog knows, ignoring case and hyphens.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Known ARM types keyed by `namespace-without-microsoft/type`, squashed (lower-case, no hyphens or dots).
static BY_SQUASHED: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    let casing = super::arm_type_casing();
    let mut all: Vec<String> = casing.keys().cloned().collect();
    all.extend(
        super::tsv_rows(include_str!("../../data/resource-types.tsv")).map(|r| r[0].to_string()),
    );
    for lower in all {
        let mut parts = lower.splitn(2, '/');
        let (Some(ns), Some(ty)) = (parts.next(), parts.next()) else {
            continue;
        };
        if ty.contains('/') {
            continue;
        }
        let ns = ns.strip_prefix("microsoft.").unwrap_or(ns);
        let cased = casing.get(&lower).map_or(lower.clone(), |c| c.to_string());
        map.entry(format!("{}/{}", squash(ns), squash(ty)))
            .or_insert(cased);
    }
    map
});

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Plural forms an AVM singular name may take as an ARM type.
fn lookup(ns: &str, singular: &str) -> Option<String> {
    let (ns, singular) = (squash(ns), squash(singular));
    let mut candidates = vec![
        format!("{singular}s"),
        format!("{singular}es"),
        singular.clone(),
    ];
    if let Some(stem) = singular.strip_suffix('y') {
        candidates.push(format!("{stem}ies"));
    }
    candidates
        .into_iter()
        .find_map(|ty| BY_SQUASHED.get(&format!("{ns}/{ty}")).cloned())
}

/// The ARM type of a Bicep registry module reference, when it is an AVM resource module
/// (`br/public:avm/res/storage/storage-account:0.9.0` → `Microsoft.Storage/storageAccounts`).
///
/// ```
/// let t = azengage::catalog::avm_bicep_module("br/public:avm/res/key-vault/vault:0.11.0");
/// assert_eq!(t.as_deref(), Some("Microsoft.KeyVault/vaults"));
/// ```
pub fn avm_bicep_module(reference: &str) -> Option<String> {
    let path = reference.strip_prefix("br/public:avm/res/")?;
    let path = path.split(':').next()?;
    let mut parts = path.split('/');
    let (ns, ty) = (parts.next()?, parts.next()?);
    lookup(ns, ty)
}

/// The ARM type of a Terraform registry module source, when it is an AVM resource module
/// (`Azure/avm-res-storage-storageaccount/azurerm` → `Microsoft.Storage/storageAccounts`).
pub fn avm_terraform_module(source: &str) -> Option<String> {
    let source = source
        .strip_prefix("registry.terraform.io/")
        .unwrap_or(source);
    let mut parts = source.split('/');
    let (owner, name, provider) = (parts.next()?, parts.next()?, parts.next()?);
    if !owner.eq_ignore_ascii_case("azure") || provider != "azurerm" {
        return None;
    }
    let rest = name.strip_prefix("avm-res-")?;
    let (ns, ty) = rest.split_once('-')?;
    lookup(ns, ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bicep_avm_names() {
        let cases = [
            (
                "br/public:avm/res/storage/storage-account:0.9.0",
                "Microsoft.Storage/storageAccounts",
            ),
            (
                "br/public:avm/res/key-vault/vault:0.6.1",
                "Microsoft.KeyVault/vaults",
            ),
            ("br/public:avm/res/web/site:0.3.0", "Microsoft.Web/sites"),
            (
                "br/public:avm/res/db-for-postgre-sql/flexible-server:0.1.0",
                "Microsoft.DBforPostgreSQL/flexibleServers",
            ),
            (
                "br/public:avm/res/document-db/database-account:0.5.0",
                "Microsoft.DocumentDB/databaseAccounts",
            ),
            (
                "br/public:avm/res/app/managed-environment:0.4.0",
                "Microsoft.App/managedEnvironments",
            ),
            (
                "br/public:avm/res/network/network-security-group:0.1.0",
                "Microsoft.Network/networkSecurityGroups",
            ),
            (
                "br/public:avm/res/insights/component:0.3.0",
                "Microsoft.Insights/components",
            ),
        ];
        for (r, want) in cases {
            assert_eq!(
                avm_bicep_module(r).as_deref().map(str::to_ascii_lowercase),
                Some(want.to_ascii_lowercase()),
                "{r}"
            );
        }
        assert_eq!(
            avm_bicep_module("br/public:avm/ptn/azd/monitoring:0.1.0"),
            None
        );
    }

    #[test]
    fn terraform_avm_names() {
        assert_eq!(
            avm_terraform_module("Azure/avm-res-storage-storageaccount/azurerm").as_deref(),
            Some("Microsoft.Storage/storageAccounts")
        );
        assert_eq!(
            avm_terraform_module("Azure/avm-res-network-virtualnetwork/azurerm").as_deref(),
            Some("Microsoft.Network/virtualNetworks")
        );
        assert_eq!(avm_terraform_module("Azure/naming/azurerm"), None);
    }
}
