//! Azure regions: canonical names, display names, geography and pairs; spellings people write; nearest match.

use super::tsv_rows;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One Azure location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Canonical name: lower-case, no spaces (`westeurope`).
    pub name: &'static str,
    /// Display name (`West Europe`); empty for a few restricted regions.
    pub display_name: &'static str,
    /// Geography (`Europe`).
    pub geography: &'static str,
    /// The paired region, where Azure publishes one.
    pub paired_region: Option<&'static str>,
    /// `true` for datacenter regions, `false` for logical locations such as `global` or `europe`.
    pub physical: bool,
}

struct Tables {
    regions: Vec<Region>,
    by_name: HashMap<&'static str, usize>,
    aliases: HashMap<String, &'static str>,
    cost_aliases: HashMap<String, &'static str>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let regions: Vec<Region> = tsv_rows(include_str!("../../data/regions.tsv"))
        .map(|r| Region {
            name: r[0],
            display_name: r[1],
            geography: r[2],
            paired_region: Some(r[3]).filter(|p| !p.is_empty()),
            physical: r[4] == "physical",
        })
        .collect();
    let by_name = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name, i))
        .collect();
    let aliases = tsv_rows(include_str!("../../data/region-aliases.tsv"))
        .map(|r| (squash(r[0]), r[1]))
        .collect();
    let cost_aliases = tsv_rows(include_str!("../../data/cost-region-aliases.tsv"))
        .map(|r| (r[0].to_string(), r[1]))
        .collect();
    Tables {
        regions,
        by_name,
        aliases,
        cost_aliases,
    }
});

/// Lower-case and drop spaces, as the azurerm provider normalises locations.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// All known regions, physical and logical.
pub fn regions() -> &'static [Region] {
    &TABLES.regions
}

/// The region a location string names (`westeurope`, `West Europe`, `WESTEUROPE`), or `None`.
///
/// ```
/// let r = azengage::catalog::region("West Europe").unwrap();
/// assert_eq!((r.name, r.paired_region), ("westeurope", Some("northeurope")));
/// assert!(azengage::catalog::region("westeurop").is_none());
/// ```
pub fn region(s: &str) -> Option<&'static Region> {
    let t = &*TABLES;
    let name = t.aliases.get(&squash(s))?;
    t.by_name.get(name).map(|&i| &t.regions[i])
}

/// The canonical region for a location as cost exports write it (`EU West`, `West Europe`, `WestEurope`).
pub fn cost_region(s: &str) -> Option<&'static str> {
    let t = &*TABLES;
    let lower = s.trim().to_ascii_lowercase();
    t.cost_aliases
        .get(&lower)
        .copied()
        .or_else(|| region(&lower).map(|r| r.name))
}

/// The closest canonical region name to a string that is not a region (`westeurop` → `westeurope`),
/// when it is close enough to be a likely typo.
pub fn nearest_region(s: &str) -> Option<&'static str> {
    let needle = squash(s);
    if needle.is_empty() {
        return None;
    }
    let limit = (needle.len() / 3).clamp(1, 4);
    // The distance is at least the difference in length: names too long or short to be within the limit are
    // not compared (a 70,000-character value would otherwise cost a full edit-distance table per region).
    let needle_chars = needle.chars().count();
    let within_reach = |name: &str| needle_chars.abs_diff(name.chars().count()) <= limit;
    let (dist, name) = TABLES
        .regions
        .iter()
        .filter(|r| r.physical && within_reach(r.name))
        .map(|r| (edit_distance(&needle, r.name), r.name))
        .min()?;
    (dist <= limit).then_some(name)
}

/// The one way azengage says a string is not a region.
///
/// ```
/// assert_eq!(
///     azengage::catalog::not_a_region("westeurop"),
///     "'westeurop' is not an Azure region (did you mean 'westeurope'?)"
/// );
/// ```
pub fn not_a_region(text: &str) -> String {
    match nearest_region(text) {
        Some(near) => format!("'{text}' is not an Azure region (did you mean '{near}'?)"),
        None => format!("'{text}' is not an Azure region (see `az account list-locations`)"),
    }
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_resolve_to_canonical_names() {
        assert_eq!(region("West Europe").unwrap().name, "westeurope");
        assert_eq!(
            region("WESTEUROPE").unwrap().paired_region,
            Some("northeurope")
        );
        assert_eq!(region("indiacentral").unwrap().name, "centralindia");
        assert!(region("westeurop").is_none());
        assert!(!region("global").unwrap().physical);
    }

    #[test]
    fn nearest_suggests_typos_only() {
        assert_eq!(nearest_region("westeurop"), Some("westeurope"));
        assert_eq!(nearest_region("east-us2"), Some("eastus2"));
        assert_eq!(nearest_region("mars"), None);
        assert_eq!(nearest_region(&"westeurope".repeat(7_000)), None);
    }

    #[test]
    fn cost_exports_spellings() {
        assert_eq!(cost_region("EU West"), Some("westeurope"));
        assert_eq!(cost_region("WestEurope"), Some("westeurope"));
        assert_eq!(cost_region("West Europe"), Some("westeurope"));
    }
}
