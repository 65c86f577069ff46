//! ARM type (+ kind) → Azure service, FOCUS category and solution area.

use super::tsv_rows;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The six solution areas of the Microsoft Cloud Partner Program, in the program's order.
pub const SOLUTION_AREAS: [&str; 6] = [
    "Data & AI (Azure)",
    "Infrastructure (Azure)",
    "Digital & App Innovation (Azure)",
    "Business Applications",
    "Modern Work",
    "Security",
];

/// An Azure service as Microsoft names it in cost data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Service {
    /// Service name, e.g. `Azure App Service`.
    pub name: &'static str,
    /// FOCUS service category, e.g. `Web`.
    pub category: &'static str,
    /// Partner-program solution area, e.g. `Digital & App Innovation (Azure)`.
    pub solution_area: &'static str,
}

struct Tables {
    exact: HashMap<&'static str, (&'static str, &'static str)>,
    prefixes: HashMap<&'static str, (&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str, &'static str, &'static str)>,
    by_category: HashMap<&'static str, &'static str>,
    by_service: HashMap<&'static str, &'static str>,
    display: HashMap<&'static str, &'static str>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut exact = HashMap::new();
    for r in tsv_rows(include_str!("../../data/services.tsv")) {
        exact.insert(r[0], (r[1], r[2]));
    }
    let mut prefixes = HashMap::new();
    for r in tsv_rows(include_str!("../../data/namespace-services.tsv")) {
        prefixes.insert(r[0], (r[1], r[2]));
    }
    let kinds = tsv_rows(include_str!("../../data/kinds.tsv"))
        .map(|r| (r[0], r[1], r[2], r[3]))
        .collect();
    let mut by_category = HashMap::new();
    let mut by_service = HashMap::new();
    for r in tsv_rows(include_str!("../../data/solution-areas.tsv")) {
        if let Some(c) = r[0].strip_prefix("category:") {
            by_category.insert(c, r[1]);
        } else if let Some(s) = r[0].strip_prefix("service:") {
            by_service.insert(s, r[1]);
        }
    }
    let display = tsv_rows(include_str!("../../data/resource-types.tsv"))
        .map(|r| (r[0], r[1]))
        .collect();
    Tables {
        exact,
        prefixes,
        kinds,
        by_category,
        by_service,
        display,
    }
});

/// The service an ARM type (and optional `kind`) belongs to.
///
/// Lookup order: a `kinds.tsv` row for this type whose kind matches; Microsoft's service table for the type, then
/// for each parent type (`a/b/c` → `a/b`); the hand-written namespace table for the longest matching prefix.
/// Case-insensitive. `None` only for types of namespaces nobody has catalogued.
pub fn service_for(arm_type: &str, kind: Option<&str>) -> Option<Service> {
    let t = &*TABLES;
    let lower = arm_type.to_ascii_lowercase();
    if let Some(kind) = kind.map(str::to_ascii_lowercase)
        && let Some(&(_, _, name, cat)) = t
            .kinds
            .iter()
            .find(|(ty, k, _, _)| *ty == lower && kind.contains(k))
    {
        return Some(make(t, name, cat));
    }
    let mut key = lower.as_str();
    loop {
        if let Some(&(name, cat)) = t.exact.get(key) {
            return Some(make(t, name, cat));
        }
        match key.rfind('/') {
            Some(i) if key[..i].contains('/') => key = &key[..i],
            _ => break,
        }
    }
    let mut key = lower.as_str();
    loop {
        if let Some(&(name, cat)) = t.prefixes.get(key) {
            return Some(make(t, name, cat));
        }
        key = &key[..key.rfind('/')?];
    }
}

fn make(t: &Tables, name: &'static str, category: &'static str) -> Service {
    let solution_area = t
        .by_service
        .get(name)
        .or_else(|| t.by_category.get(category))
        .copied()
        .unwrap_or("Infrastructure (Azure)");
    Service {
        name,
        category,
        solution_area,
    }
}

/// The Azure portal's display name for an ARM type (`Storage account`), where Microsoft publishes one.
pub fn type_display_name(arm_type: &str) -> Option<&'static str> {
    TABLES
        .display
        .get(arm_type.to_ascii_lowercase().as_str())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_refines_the_service() {
        assert_eq!(
            service_for("Microsoft.Web/sites", None).unwrap().name,
            "Azure App Service"
        );
        let f = service_for("Microsoft.Web/sites", Some("functionapp,linux")).unwrap();
        assert_eq!(
            (f.name, f.solution_area),
            ("Functions", "Digital & App Innovation (Azure)")
        );
        assert_eq!(
            service_for("Microsoft.CognitiveServices/accounts", Some("OpenAI"))
                .unwrap()
                .name,
            "Azure OpenAI"
        );
    }

    #[test]
    fn children_and_namespaces_fall_back() {
        let c = service_for(
            "Microsoft.Storage/storageAccounts/blobServices/containers",
            None,
        )
        .unwrap();
        assert_eq!((c.name, c.category), ("Storage Accounts", "Storage"));
        assert_eq!(
            service_for("Microsoft.SecurityInsights/alertRules", None)
                .unwrap()
                .name,
            "Microsoft Sentinel"
        );
        assert_eq!(
            service_for("microsoft.keyvault/vaults", None)
                .unwrap()
                .solution_area,
            "Security"
        );
        assert!(service_for("Contoso.Widgets/things", None).is_none());
    }
}
