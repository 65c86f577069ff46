//! Azure Verified Modules from a registry: what they deploy.
//!
//! Bicep modules (`br/public:avm/(res|ptn|utl)/...`, also `br:mcr.microsoft.com/bicep/avm/...`) are looked up in
//! `data/avm-modules.tsv`, compiled from each module's published `main.json` by `scripts/gen-avm-modules.py`:
//! the types a module deploys whatever its inputs (`always`), the optional ones, and its default location.
//!
//! A module the index lacks, and every Terraform AVM module (`Azure/avm-res-<namespace>-<type>/azurerm`),
//! resolves by name: the name gives the provider namespace without `Microsoft.` and the singular type; both are
//! compared with every ARM type the catalog knows, ignoring case and hyphens.

use std::collections::HashMap;
use std::sync::LazyLock;

/// What one published Bicep module deploys (a row of `data/avm-modules.tsv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryModule {
    /// The registry path without `br/public:` and the version (`avm/ptn/azd/monitoring`).
    pub path: &'static str,
    /// `major.minor` of the indexed snapshot.
    pub version: &'static str,
    /// ARM types deployed whatever the inputs.
    pub always: Vec<&'static str>,
    /// ARM types deployed only for some inputs (locks, role assignments, private endpoints, ...).
    pub conditional: Vec<&'static str>,
    /// The default of the module's `location` parameter (`[resourceGroup().location]`, `global`), if it has one.
    pub location: Option<&'static str>,
}

impl RegistryModule {
    /// Where the module deploys when the caller passes no `location`.
    pub fn default_location(&self) -> DefaultLocation {
        match self.location.map(str::trim) {
            None | Some("") => DefaultLocation::None,
            Some(l) if l.eq_ignore_ascii_case("[resourceGroup().location]") => {
                DefaultLocation::ResourceGroup
            }
            Some(l) if l.starts_with('[') => DefaultLocation::Expression(l),
            Some(l) => DefaultLocation::Literal(l),
        }
    }
}

/// A registry module's default location, as its `location` parameter's default says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultLocation {
    /// The module has no `location` parameter.
    None,
    /// `resourceGroup().location`: the location of the resource group the deployment targets.
    ResourceGroup,
    /// Another expression (`[deployment().location]`): unknown until deployment.
    Expression(&'static str),
    /// A literal (`global`).
    Literal(&'static str),
}

static MODULES: LazyLock<HashMap<&'static str, RegistryModule>> = LazyLock::new(|| {
    let list = |field: Option<&&'static str>| -> Vec<&'static str> {
        field
            .map(|f| f.split(';').filter(|t| !t.is_empty()).collect())
            .unwrap_or_default()
    };
    super::tsv_rows(include_str!("../../data/avm-modules.tsv"))
        .map(|r| {
            let module = RegistryModule {
                path: r[0],
                version: r.get(1).copied().unwrap_or_default(),
                always: list(r.get(2)),
                conditional: list(r.get(3)),
                location: r.get(4).copied().filter(|l| !l.is_empty()),
            };
            (r[0], module)
        })
        .collect()
});

/// The indexed module a Bicep registry reference names (`br/public:avm/ptn/azd/monitoring:0.1.0`,
/// `br:mcr.microsoft.com/bicep/avm/res/key-vault/vault:0.11.0`), whatever version it pins.
///
/// ```
/// let m = azengage::catalog::registry_module("br/public:avm/ptn/azd/monitoring:0.1.0").unwrap();
/// assert!(m.always.contains(&"Microsoft.OperationalInsights/workspaces"));
/// assert!(azengage::catalog::registry_module("br/public:avm/res/no/such-module:1.0.0").is_none());
/// ```
pub fn registry_module(reference: &str) -> Option<&'static RegistryModule> {
    MODULES.get(public_module_path(reference)?.as_str())
}

/// `br/public:avm/res/x/y:1.2.3` and `br:mcr.microsoft.com/bicep/avm/res/x/y:1.2.3` → `avm/res/x/y`.
fn public_module_path(reference: &str) -> Option<String> {
    const SPELLED_OUT: &str = "br:mcr.microsoft.com/bicep/";
    let rest = match reference.get(..SPELLED_OUT.len()) {
        Some(head) if head.eq_ignore_ascii_case(SPELLED_OUT) => &reference[SPELLED_OUT.len()..],
        _ => reference.strip_prefix("br/public:")?,
    };
    let path = rest.split(':').next()?.trim_end_matches('/');
    path.starts_with("avm/").then(|| path.to_ascii_lowercase())
}

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
    let path = public_module_path(reference)?;
    let path = path.strip_prefix("avm/res/")?;
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
    fn the_index_says_what_registry_modules_deploy() {
        let monitoring = registry_module("br/public:avm/ptn/azd/monitoring:0.1.0").unwrap();
        assert_eq!(
            monitoring.always,
            [
                "Microsoft.Insights/components",
                "Microsoft.OperationalInsights/workspaces"
            ]
        );
        assert_eq!(
            monitoring.default_location(),
            DefaultLocation::ResourceGroup
        );
        // The spelled-out registry is the same module; the version pinned does not matter.
        let vault =
            registry_module("br:mcr.microsoft.com/bicep/avm/res/key-vault/vault:0.3.0").unwrap();
        assert_eq!(vault.path, "avm/res/key-vault/vault");
        assert!(vault.always.contains(&"Microsoft.KeyVault/vaults"));
        assert!(
            vault
                .conditional
                .contains(&"Microsoft.Authorization/roleAssignments")
        );
        assert!(registry_module("br/myregistry:avm/res/key-vault/vault:1.0").is_none());
        assert!(registry_module("ts:00000000/rg/spec:1.0").is_none());
    }

    #[test]
    fn every_indexed_type_is_catalogued_and_every_row_is_well_formed() {
        assert!(MODULES.len() > 500, "{} modules", MODULES.len());
        for m in MODULES.values() {
            assert!(m.path.starts_with("avm/"), "{}", m.path);
            for t in m.always.iter().chain(&m.conditional) {
                assert!(t.contains('/'), "{}: {t}", m.path);
                assert!(
                    crate::catalog::service_for(t, None).is_some(),
                    "{}: no service for {t}",
                    m.path
                );
            }
        }
    }

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
