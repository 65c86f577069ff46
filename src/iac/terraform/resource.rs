//! Turning one `resource` or `data` block into a [`Resource`]: ARM type (azurerm catalog or azapi `type`),
//! `kind`, whether it handles secrets, and a fingerprint of its body for `diff`.

use super::eval;
use super::parse::Decl;
use crate::catalog;
use crate::model::Resource;
use hcl::{Body, Expression, Value};
use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Attributes whose value is a secret whatever the resource.
const SECRET_ATTRS: &[&str] = &[
    "administrator_login_password",
    "admin_password",
    "password",
    "client_secret",
    "connection_string",
    "primary_connection_string",
    "secondary_connection_string",
    "storage_account_access_key",
    "access_key",
    "primary_access_key",
    "shared_access_key",
    "sas_token",
    "value_wo",
    "secret",
];

/// Words that make an `app_settings` key a secret.
const SECRET_WORDS: &[&str] = &["PASSWORD", "SECRET", "KEY", "CONNECTION", "TOKEN"];

/// A resource or data block as a [`Resource`] (location and `via_module` are filled by the caller).
pub(crate) fn build(
    decl: &Decl,
    file: &str,
    ctx: &hcl::eval::Context,
    sensitive: &BTreeSet<String>,
) -> Resource {
    let tf_type = decl.label(0);
    let mut resource = Resource::new(tf_type, decl.label(1), file, decl.line);
    // azapi's update and action resources change or call a resource that exists already: like a data
    // source, they name it without creating it.
    resource.existing = decl.keyword == "data"
        || matches!(tf_type, "azapi_update_resource" | "azapi_resource_action");
    if tf_type.starts_with("azapi_") {
        azapi(decl, ctx, &mut resource);
    } else if let Some(known) = catalog::terraform_type(tf_type) {
        resource.arm_type = known.arm_type.or(known.parent_arm_type).map(str::to_string);
    }
    resource.kind = kind_of(decl, ctx, &resource);
    resource.uses_secrets = uses_secrets(decl, sensitive);
    resource.fingerprint = decl.fingerprint();
    resource
}

/// azapi: `type = "Microsoft.X/y@version"` gives the ARM type and API version; `body.kind` the kind.
fn azapi(decl: &Decl, ctx: &hcl::eval::Context, resource: &mut Resource) {
    let Some(Value::String(ty)) = decl.attr("type").and_then(|e| eval::evaluate(e, ctx)) else {
        return;
    };
    let (arm, version) = match ty.split_once('@') {
        Some((arm, version)) => (arm.trim(), Some(version.trim())),
        None => (ty.trim(), None),
    };
    if arm.contains('/') {
        resource.arm_type = Some(arm.to_string());
        resource.api_version = version.filter(|v| !v.is_empty()).map(str::to_string);
    }
}

/// The resource's kind: a literal `kind` (also inside an azapi `body`), or the kind its Terraform type implies.
fn kind_of(decl: &Decl, ctx: &hcl::eval::Context, resource: &Resource) -> Option<String> {
    let tf_type = decl.label(0);
    let implied = if tf_type.contains("function_app") {
        Some("functionapp")
    } else if tf_type.starts_with("azurerm_logic_app_standard") {
        Some("workflowapp")
    } else if tf_type == "azurerm_ai_services" {
        Some("AIServices")
    } else if tf_type == "azurerm_cdn_frontdoor_profile" {
        // Azure reports Front Door Standard/Premium profiles with kind `frontdoor` (classic CDN: `cdn`).
        Some("frontdoor")
    } else {
        None
    };
    match implied.filter(|_| resource.arm_type.is_some()) {
        Some(kind) => Some(kind.to_string()),
        None => written_kind(decl, ctx),
    }
}

/// The `kind` a block (or a module call) gives, also inside an azapi `body`, when it evaluates.
pub(crate) fn written_kind(decl: &Decl, ctx: &hcl::eval::Context) -> Option<String> {
    let from_attr = decl.attr("kind").and_then(|e| eval::evaluate(e, ctx));
    let from_body = || match decl.attr("body").and_then(|e| eval::evaluate(e, ctx)) {
        Some(Value::Object(body)) => body.get("kind").cloned(),
        _ => None,
    };
    match from_attr.or_else(from_body) {
        Some(Value::String(kind)) if !kind.is_empty() => Some(kind),
        _ => None,
    }
}

/// The block sets a secret-looking attribute, has an `app_settings` key naming a secret, a
/// `connection_string` block, or uses a sensitive variable.
pub(crate) fn uses_secrets(decl: &Decl, sensitive: &BTreeSet<String>) -> bool {
    body_has_secrets(&decl.body, 0) || sensitive.iter().any(|name| mentions_var(&decl.text, name))
}

fn body_has_secrets(body: &Body, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    body.attributes().any(|a| {
        is_secret_attr(a.key()) || (a.key() == "app_settings" && settings_have_secrets(a.expr()))
    }) || body
        .blocks()
        .any(|b| b.identifier() == "connection_string" || body_has_secrets(b.body(), depth + 1))
}

fn is_secret_attr(key: &str) -> bool {
    SECRET_ATTRS.contains(&key) || key.ends_with("_password") || key.ends_with("_secret")
}

fn settings_have_secrets(expr: &Expression) -> bool {
    let Expression::Object(settings) = expr else {
        return false;
    };
    settings.keys().any(|key| {
        let key = match key {
            hcl::ObjectKey::Identifier(ident) => ident.to_string(),
            hcl::ObjectKey::Expression(Expression::String(s)) => s.clone(),
            // Debug, not Display: hcl-rs's Display panics if formatting fails; Debug keeps the key's text too.
            hcl::ObjectKey::Expression(other) => format!("{other:?}"),
            _ => String::new(),
        }
        .to_ascii_uppercase();
        SECRET_WORDS.iter().any(|w| key.contains(w))
    })
}

/// `text` refers to `var.<name>` (as a whole word).
fn mentions_var(text: &str, name: &str) -> bool {
    let needle = format!("var.{name}");
    text.match_indices(&needle).any(|(i, _)| {
        let before_ok = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
        let after_ok = text[i + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        before_ok && after_ok
    })
}

/// A hash of a body that ignores formatting, comments and the order of attributes.
pub(crate) fn fingerprint(body: &Body) -> u64 {
    let mut hasher = DefaultHasher::new();
    hash_body(body, &mut hasher, 0);
    hasher.finish()
}

fn hash_body(body: &Body, hasher: &mut DefaultHasher, depth: usize) {
    if depth > 32 {
        return;
    }
    let mut attrs: Vec<(String, String)> = body
        .attributes()
        .map(|a| (a.key().to_string(), format!("{:?}", a.expr())))
        .collect();
    attrs.sort();
    attrs.hash(hasher);
    for block in body.blocks() {
        block.identifier().hash(hasher);
        for label in block.labels() {
            label.as_str().hash(hasher);
        }
        hash_body(block.body(), hasher, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::terraform::parse::parse_hcl;

    fn first(text: &str) -> Decl {
        parse_hcl("main.tf", text, &mut vec![]).remove(0)
    }

    fn built(text: &str) -> Resource {
        build(
            &first(text),
            "main.tf",
            &eval::Scope::default().context(),
            &BTreeSet::new(),
        )
    }

    #[test]
    fn azurerm_types_map_through_the_catalog() {
        let r = built("resource \"azurerm_linux_web_app\" \"web\" {\n}\n");
        assert_eq!(
            (r.arm_type.as_deref(), r.name.as_str(), r.line),
            (Some("Microsoft.Web/sites"), "web", 1)
        );
        let r = built("resource \"azurerm_key_vault_secret\" \"s\" {\n}\n");
        assert_eq!(r.arm_type.as_deref(), Some("Microsoft.KeyVault/vaults"));
        let r = built("resource \"azurerm_app_service\" \"old\" {\n}\n");
        assert_eq!(r.arm_type.as_deref(), Some("Microsoft.Web/sites"));
        let r = built("data \"azurerm_resource_group\" \"rg\" {\n  name = \"rg\"\n}\n");
        assert!(r.existing && r.arm_type.is_some());
        let r = built("resource \"random_pet\" \"p\" {\n}\n");
        assert_eq!((r.arm_type, r.source_type.as_str()), (None, "random_pet"));
    }

    #[test]
    fn azapi_type_and_version() {
        let r = built(
            "resource \"azapi_resource\" \"ca\" {\n  type = \"Microsoft.App/containerApps@2024-03-01\"\n  body = {\n    kind = \"workflowapp\"\n  }\n}\n",
        );
        assert_eq!(r.arm_type.as_deref(), Some("Microsoft.App/containerApps"));
        assert_eq!(r.api_version.as_deref(), Some("2024-03-01"));
        assert_eq!(r.source_type, "azapi_resource");
        assert_eq!(r.kind.as_deref(), Some("workflowapp"));
        assert!(!r.existing);
        for kind in ["azapi_update_resource", "azapi_resource_action"] {
            let r = built(&format!(
                "resource \"{kind}\" \"u\" {{\n  type = \"Microsoft.Storage/storageAccounts@2023-01-01\"\n  resource_id = var.id\n}}\n"
            ));
            assert_eq!(
                (r.arm_type.as_deref(), r.existing),
                (Some("Microsoft.Storage/storageAccounts"), true),
                "{kind}"
            );
        }
    }

    #[test]
    fn kinds_from_literals_and_types() {
        let r = built("resource \"azurerm_cognitive_account\" \"oai\" {\n  kind = \"OpenAI\"\n}\n");
        assert_eq!(r.kind.as_deref(), Some("OpenAI"));
        let r = built("resource \"azurerm_linux_function_app\" \"fn\" {\n}\n");
        assert_eq!(r.kind.as_deref(), Some("functionapp"));
        assert_eq!(
            built("resource \"azurerm_storage_account\" \"sa\" {\n}\n").kind,
            None
        );
    }

    #[test]
    fn secrets_are_noticed() {
        assert!(built("resource \"azurerm_mssql_server\" \"s\" {\n  administrator_login_password = \"x\"\n}\n").uses_secrets);
        let web = "resource \"azurerm_linux_web_app\" \"w\" {\n  app_settings = {\n    \"DB_PASSWORD\" = \"x\"\n  }\n}\n";
        assert!(built(web).uses_secrets);
        let web = "resource \"azurerm_linux_web_app\" \"w\" {\n  connection_string {\n    name = \"db\"\n  }\n}\n";
        assert!(built(web).uses_secrets);
        let plain = "resource \"azurerm_linux_web_app\" \"w\" {\n  app_settings = {\n    WEBSITE_RUN_FROM_PACKAGE = \"1\"\n  }\n}\n";
        assert!(!built(plain).uses_secrets);
        let decl = first("resource \"azurerm_container_group\" \"c\" {\n  env = var.db_pass\n}\n");
        let sensitive: BTreeSet<String> = ["db_pass".to_string()].into();
        assert!(uses_secrets(&decl, &sensitive));
        let other: BTreeSet<String> = ["db".to_string()].into();
        assert!(!uses_secrets(&decl, &other));
    }

    #[test]
    fn json_bodies_are_checked_for_secrets_too() {
        let text = r#"{"resource": {"azurerm_linux_web_app": {"w": {
            "app_settings": {"STORAGE_CONNECTION_STRING": "${azurerm_storage_account.sa.primary_connection_string}"}
        }}}}"#;
        let decls = crate::iac::terraform::json::parse_decls("w.tf.json", text, &mut vec![]);
        assert!(uses_secrets(&decls[0], &BTreeSet::new()));
    }

    #[test]
    fn fingerprint_ignores_formatting_and_order() {
        let a = first(
            "resource \"x\" \"a\" {\n  name = \"n\" # comment\n  location = var.l\n  tags { a = 1 }\n}\n",
        );
        let b = first(
            "resource \"x\" \"a\" {\n  location   = var.l\n  name = \"n\"\n  tags {\n    a = 1\n  }\n}\n",
        );
        let c = first(
            "resource \"x\" \"a\" {\n  location = var.l\n  name = \"m\"\n  tags { a = 1 }\n}\n",
        );
        assert_eq!(fingerprint(&a.body), fingerprint(&b.body));
        assert_ne!(fingerprint(&a.body), fingerprint(&c.body));
    }
}
