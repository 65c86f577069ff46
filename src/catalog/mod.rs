//! The Azure catalog: what an ARM type is (service, FOCUS category, partner-program solution area), what a
//! Terraform type deploys, what a registry module deploys (`avm-modules.tsv`), and what a region is.
//!
//! All of it is data in `data/*.tsv`, compiled into the binary with `include_str!` and parsed once on first use.
//! `scripts/gen-catalog.py` regenerates the generated files from `../shared/reference/`; the rest are
//! hand-written and reviewed like code.

mod avm;
mod regions;
mod services;
mod terraform;

pub use avm::{
    DefaultLocation, RegistryModule, avm_bicep_module, avm_terraform_module, registry_module,
};
pub use regions::{Region, cost_region, nearest_region, not_a_region, region, regions};
pub use services::{SOLUTION_AREAS, Service, counts_for_breadth, service_for, type_display_name};
pub use terraform::{TerraformType, terraform_type};

/// Split a tab-separated data file into rows, skipping the header, comments (`#`) and blank lines.
fn tsv_rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').collect())
}

/// Known ARM types, lower-cased, mapped to their casing as Azure (or azurerm's docs) spell it.
fn arm_type_casing() -> &'static std::collections::HashMap<String, &'static str> {
    use std::sync::LazyLock;
    static CASING: LazyLock<std::collections::HashMap<String, &'static str>> =
        LazyLock::new(|| {
            let mut map = std::collections::HashMap::new();
            for row in tsv_rows(include_str!("../../data/azurerm-resources.tsv"))
                .chain(tsv_rows(include_str!("../../data/azurerm-removed.tsv")))
            {
                if let Some(t) = row.get(1).filter(|t| !t.is_empty()) {
                    map.entry(t.to_ascii_lowercase()).or_insert(*t);
                }
            }
            map
        });
    &CASING
}
