//! ARM type (+ kind) → Azure service, FOCUS category, solution area, and whether it counts for breadth.

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
    /// `false` for the plumbing every deployment has (Resource Manager, RBAC, managed identities, portal
    /// dashboards, Azure Policy): listed, but counted in no breadth figure (`data/breadth.tsv`).
    pub counts_for_breadth: bool,
}

struct Tables {
    overrides: HashMap<&'static str, (&'static str, &'static str)>,
    not_counted: Vec<&'static str>,
    exact: HashMap<&'static str, (&'static str, &'static str)>,
    prefixes: HashMap<&'static str, (&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str, &'static str, &'static str)>,
    by_category: HashMap<&'static str, &'static str>,
    by_service: HashMap<&'static str, &'static str>,
    display: HashMap<&'static str, &'static str>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let overrides = tsv_rows(include_str!("../../data/service-overrides.tsv"))
        .map(|r| (r[0], (r[1], r[2])))
        .collect();
    let not_counted = tsv_rows(include_str!("../../data/breadth.tsv"))
        .filter(|r| r.get(1) == Some(&"false"))
        .map(|r| r[0])
        .collect();
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
        overrides,
        not_counted,
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
/// Lookup order: a `kinds.tsv` row for this type whose kind matches; for the type, then for each parent type
/// (`a/b/c` → `a/b`), the hand-written overrides and then Microsoft's service table; the hand-written namespace
/// table for the longest matching prefix. Case-insensitive. `None` only for types of namespaces nobody has
/// catalogued.
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
        if let Some(&(name, cat)) = t.overrides.get(key).or_else(|| t.exact.get(key)) {
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
        counts_for_breadth: !t.not_counted.contains(&name),
    }
}

/// Whether a service (by its catalog name) counts for breadth; see [`Service::counts_for_breadth`].
///
/// ```
/// assert!(!azengage::catalog::counts_for_breadth("Managed Identities"));
/// assert!(azengage::catalog::counts_for_breadth("Key Vault"));
/// ```
pub fn counts_for_breadth(service: &str) -> bool {
    !TABLES.not_counted.contains(&service)
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
    fn plumbing_is_listed_but_does_not_count_for_breadth() {
        // Every service that does not count, by name: adding one is a decision, so this list is exact.
        assert_eq!(
            TABLES.not_counted,
            [
                "Azure Resource Manager",
                "Azure Role-Based Access Control",
                "Managed Identities",
                "Azure Portal",
                "Azure Policy"
            ]
        );
        for t in [
            "Microsoft.Resources/resourceGroups",
            "Microsoft.Resources/deployments",
            "Microsoft.Resources/tags",
            "Microsoft.Authorization/roleAssignments",
            "Microsoft.Authorization/roleDefinitions",
            "Microsoft.Authorization/locks",
            "Microsoft.Authorization/policyAssignments",
            "Microsoft.ManagedIdentity/userAssignedIdentities",
            "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
            "Microsoft.Portal/dashboards",
        ] {
            let s = service_for(t, None).unwrap();
            assert!(!s.counts_for_breadth, "{t} is {s:?}");
            assert!(!counts_for_breadth(s.name), "{t}");
        }
        for t in [
            "Microsoft.KeyVault/vaults",
            "Microsoft.Insights/components",
            "Microsoft.OperationalInsights/workspaces",
            "Microsoft.Web/staticSites",
        ] {
            assert!(service_for(t, None).unwrap().counts_for_breadth, "{t}");
        }
        // Every name in the table is a service the catalog can produce (a typo would silently count).
        let names: Vec<&str> = TABLES
            .exact
            .values()
            .chain(TABLES.prefixes.values())
            .map(|(n, _)| *n)
            .collect();
        for n in &TABLES.not_counted {
            assert!(names.contains(n), "{n} is no catalog service");
        }
    }

    #[test]
    fn overrides_name_the_service_a_reviewer_sees() {
        let cases = [
            ("Microsoft.Web/staticSites", "Static Web Apps", "Web"),
            (
                "Microsoft.Web/staticSites/customDomains",
                "Static Web Apps",
                "Web",
            ),
            (
                "Microsoft.Network/privateDnsZones/A",
                "Azure DNS",
                "Networking",
            ),
            (
                "Microsoft.Network/virtualNetworkGateways",
                "VPN Gateway",
                "Networking",
            ),
            ("Microsoft.Web/connections", "Logic Apps", "Integration"),
            ("Microsoft.Web/serverfarms", "Azure App Service", "Web"),
            ("Microsoft.Network/virtualWans", "Virtual WAN", "Networking"),
            ("Microsoft.Network/virtualHubs", "Virtual WAN", "Networking"),
            (
                "Microsoft.Network/firewallPolicies",
                "Azure Firewall",
                "Networking",
            ),
            // A top-level DevTest Labs schedule is a virtual machine's auto-shutdown (AVM's VM module).
            (
                "Microsoft.DevTestLab/schedules",
                "Virtual Machines",
                "Compute",
            ),
            (
                "Microsoft.DevTestLab/labs",
                "Azure DevTest Labs",
                "Developer Tools",
            ),
            (
                "Microsoft.Fabric/capacities",
                "Microsoft Fabric",
                "Analytics",
            ),
            (
                "Microsoft.Communication/emailServices/domains",
                "Azure Communication Services",
                "Integration",
            ),
        ];
        for (t, name, category) in cases {
            let s = service_for(t, None).unwrap();
            assert_eq!((s.name, s.category), (name, category), "{t}");
        }
        assert_eq!(
            service_for("Microsoft.Web/staticSites", None)
                .unwrap()
                .solution_area,
            "Digital & App Innovation (Azure)"
        );
    }

    #[test]
    fn every_service_has_one_category() {
        // Services are summed by name: a service whose tables disagree on its category would be counted
        // under whichever category its first resource happened to give.
        let mut seen: HashMap<&str, (&str, &str)> = HashMap::new();
        // Rows a lookup can reach: an override hides the service table's row for the same type, and both hide
        // a namespace row for it.
        let t = &*TABLES;
        let rows = t
            .overrides
            .iter()
            .chain(
                t.exact
                    .iter()
                    .filter(|(ty, _)| !t.overrides.contains_key(*ty)),
            )
            .chain(
                t.prefixes
                    .iter()
                    .filter(|(ty, _)| !t.overrides.contains_key(*ty) && !t.exact.contains_key(*ty)),
            )
            .map(|(ty, &(name, cat))| (*ty, name, cat))
            .chain(t.kinds.iter().map(|&(ty, _, name, cat)| (ty, name, cat)));
        let mut clashes = Vec::new();
        for (ty, name, cat) in rows {
            match seen.get(name) {
                Some(&(other_ty, other_cat)) if other_cat != cat => {
                    clashes.push(format!("{name}: {cat} ({ty}) vs {other_cat} ({other_ty})"));
                }
                Some(_) => {}
                None => {
                    seen.insert(name, (ty, cat));
                }
            }
        }
        assert!(clashes.is_empty(), "{}", clashes.join("\n"));
    }

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
        // Logic Apps Standard is a site whose kind names both; it is Logic Apps, not Functions.
        assert_eq!(
            service_for("Microsoft.Web/sites", Some("functionapp,workflowapp"))
                .unwrap()
                .name,
            "Logic Apps"
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
