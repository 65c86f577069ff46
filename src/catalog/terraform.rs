//! Terraform resource type → ARM type, from the azurerm provider's docs (current and removed resources).

use super::tsv_rows;
use std::collections::HashMap;
use std::sync::LazyLock;

/// What the catalog knows of one azurerm resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerraformType {
    /// The ARM type it manages (`None` for data-plane objects).
    pub arm_type: Option<&'static str>,
    /// For data-plane objects, the ARM type of the resource they live in (from the reference's note).
    pub parent_arm_type: Option<&'static str>,
    /// The provider docs call the resource or its service deprecated or retiring.
    pub deprecated: bool,
    /// The provider has removed the resource (code written for an older provider).
    pub removed: bool,
    /// The docs' note (why it is deprecated, what it attaches to).
    pub note: &'static str,
}

static TYPES: LazyLock<HashMap<&'static str, TerraformType>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for r in tsv_rows(include_str!("../../data/azurerm-resources.tsv")) {
        let note = r.get(4).copied().unwrap_or("");
        map.insert(
            r[0],
            TerraformType {
                arm_type: Some(r[1]).filter(|s| !s.is_empty()),
                parent_arm_type: parent_from_note(note),
                deprecated: r.get(3) == Some(&"yes"),
                removed: false,
                note,
            },
        );
    }
    for r in tsv_rows(include_str!("../../data/azurerm-removed.tsv")) {
        map.entry(r[0]).or_insert(TerraformType {
            arm_type: Some(r[1]).filter(|s| !s.is_empty()),
            parent_arm_type: None,
            deprecated: true,
            removed: true,
            note: "removed from the azurerm provider",
        });
    }
    for r in tsv_rows(include_str!("../../data/azurerm-overrides.tsv")) {
        if let Some(t) = map.get_mut(r[0]).filter(|t| t.arm_type.is_none()) {
            t.arm_type = Some(r[1]);
        }
    }
    map
});

/// `data-plane id; parent Microsoft.KeyVault/vaults` → `Microsoft.KeyVault/vaults`.
fn parent_from_note(note: &'static str) -> Option<&'static str> {
    let rest = note.split("parent ").nth(1)?;
    let end = rest.find([';', ' ', ')']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|s| s.contains('/'))
}

/// Look up an azurerm resource type (`azurerm_linux_web_app`).
pub fn terraform_type(tf_type: &str) -> Option<&'static TerraformType> {
    TYPES.get(tf_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_removed_and_data_plane_types() {
        assert_eq!(
            terraform_type("azurerm_linux_web_app").unwrap().arm_type,
            Some("Microsoft.Web/sites")
        );
        let old = terraform_type("azurerm_app_service").unwrap();
        assert!(old.removed && old.arm_type == Some("Microsoft.Web/sites"));
        let secret = terraform_type("azurerm_key_vault_secret").unwrap();
        assert_eq!(
            (secret.arm_type, secret.parent_arm_type),
            (None, Some("Microsoft.KeyVault/vaults"))
        );
        assert!(terraform_type("azurerm_cdn_profile").unwrap().deprecated);
        assert!(terraform_type("random_pet").is_none());
        // Removed resources whose docs named no ARM type get one from the hand-written overrides.
        assert_eq!(
            terraform_type("azurerm_template_deployment")
                .unwrap()
                .arm_type,
            Some("Microsoft.Resources/deployments")
        );
    }

    #[test]
    fn every_azurerm_type_with_an_arm_type_maps_to_a_service() {
        let missing: Vec<_> = TYPES
            .iter()
            .filter_map(|(tf, t)| t.arm_type.map(|a| (tf, a)))
            .filter(|(_, a)| crate::catalog::service_for(a, None).is_none())
            .collect();
        assert!(missing.is_empty(), "no service for: {missing:?}");
    }
}
