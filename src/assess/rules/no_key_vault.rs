//! AZE005 `no-key-vault`: secrets or connection strings are in use but no Key Vault.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion, is_type};

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE005",
    name: "no-key-vault",
    severity: RuleSeverity::Warning,
    title: "Secrets are used but no Key Vault holds them",
    what: "Fires for each resource whose body passes secrets, keys or connection strings (passwords, access \
keys, `@secure()` values, `connection_string`) when the repository neither declares nor references \
(`existing` / `data`) a Key Vault (`Microsoft.KeyVault/vaults`).",
    why: "Key Vault is a service in its own right (Security solution area), and secrets kept in app settings \
or pipeline variables are the first thing a technical reviewer notices. Using it shows a production-minded \
setup.",
    how: "Declare a Key Vault, store the secret there, and reference it (Key Vault references in App Service \
settings, `secretRef` in Container Apps, or a managed identity instead of a key altogether).",
    example: r#"```bicep
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${name}'
  location: location
  properties: { tenantId: tenant().tenantId, sku: { family: 'A', name: 'standard' }, enableRbacAuthorization: true }
}

// App setting: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/db-password)'
```"#,
    check,
};

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    let deployed = || input.inventory.resources.iter().filter(|r| r.deployed);
    if deployed().any(|r| is_type(r.arm_type.as_deref(), &["Microsoft.KeyVault/vaults"])) {
        return Vec::new();
    }
    deployed()
        .filter(|r| r.uses_secrets && !r.existing)
        .map(|r| {
            RULE.suggest(
                format!(
                    "'{}' ({}) uses a secret or connection string, and no Key Vault is declared: keep it in Key \
                     Vault and reference it, or use a managed identity.",
                    r.name, r.source_type
                ),
                Some(r.file.clone()),
                Some(r.line),
            )
        })
        .collect()
}
