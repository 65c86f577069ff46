//! The data model shared by every stage: resources found in IaC files and diagnostics about those files.
//!
//! Field names here are part of the JSON contract (`../shared/design/contract.md`): add fields, never rename.

use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file (or part of it) could not be understood.
    Error,
    /// Understood, but probably wrong (a misspelled region, a missing module).
    Warning,
    /// Worth knowing, nothing wrong (a registry module that is not fetched).
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// The diagnostic codes one module writes and another matches on: one typed name each, so the writer and
/// the reader cannot drift apart. Other codes are plain text (`parse`, `io`, `remote-module`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagnosticCode {
    /// A location string that names no Azure region (read by rule AZE003).
    UnknownRegion,
    /// A file over `--max-file-size`, not read (the ARM scanner still tells a template by its head).
    TooLarge,
}

impl DiagnosticCode {
    /// The code as it appears in output.
    pub const fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::UnknownRegion => "unknown-region",
            DiagnosticCode::TooLarge => "too-large",
        }
    }
}

/// A message about one place in one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, as a path string; the inventory stage makes it relative to what the user gave.
    pub file: String,
    /// 1-based line; 0 when the message is about the whole file.
    pub line: u32,
    /// 1-based column; 0 when the message is about the whole file or line.
    pub column: u32,
    /// How serious it is.
    pub severity: Severity,
    /// A short stable code: `parse`, `io`, `unknown-region`, `remote-module`, `module-not-found`, ...
    pub code: String,
    /// What happened and, where possible, what to do.
    pub message: String,
}

impl Diagnostic {
    /// Whether this diagnostic carries `code`.
    pub fn has_code(&self, code: DiagnosticCode) -> bool {
        self.code == code.as_str()
    }

    /// A diagnostic at `file:line:column`.
    pub fn new(
        file: impl Into<String>,
        line: u32,
        column: u32,
        severity: Severity,
        code: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            column,
            severity,
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// An error at `file:line:column` that the file cannot be read as its format says (code `parse`).
    pub fn parse_error(
        file: impl Into<String>,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::new(file, line, column, Severity::Error, "parse", message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.severity, self.message
        )?;
        if !self.code.is_empty() {
            write!(f, " [{}]", self.code)?;
        }
        Ok(())
    }
}

/// Whether a condition guards a resource or module on the way from its root, as far as it can be evaluated
/// with the root's values (see the contract's "What is deployed").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Condition {
    /// No condition (no Bicep `if`, ARM `condition`, Terraform `count`/`for_each`, loop) on the way.
    #[default]
    None,
    /// Conditions on the way, all known to be true (or loops over known, non-empty collections).
    True,
    /// A condition on the way depends on a value that is not known statically: counted as deployed.
    Unknown,
    /// A condition on the way is known to be false (or a loop runs over an empty collection).
    False,
}

impl Condition {
    /// Both conditions together (a resource inside a conditional module): false wins, then unknown, then
    /// true.
    pub fn and(self, other: Condition) -> Condition {
        self.max(other)
    }

    /// A condition from a known boolean, or `Unknown` when the value is not known.
    pub fn from_known(value: Option<bool>) -> Condition {
        match value {
            Some(true) => Condition::True,
            Some(false) => Condition::False,
            None => Condition::Unknown,
        }
    }

    /// The lowercase name the JSON uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::None => "none",
            Condition::True => "true",
            Condition::Unknown => "unknown",
            Condition::False => "false",
        }
    }
}

/// Why a listed resource is not deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WhyNot {
    /// Its file is reached from no root.
    Unreferenced,
    /// Reached from no root, and it sits where tests live (`test/`, `tests/`, `*.test.bicep`).
    Test,
    /// Reached from no root, and it sits where samples live (`samples/`, `examples/`, `demo/`, `docs/`).
    Sample,
    /// A condition on the way is known to be false with the root's values.
    Condition,
}

impl WhyNot {
    /// The lowercase name the JSON uses.
    pub fn as_str(self) -> &'static str {
        match self {
            WhyNot::Unreferenced => "unreferenced",
            WhyNot::Test => "test",
            WhyNot::Sample => "sample",
            WhyNot::Condition => "condition",
        }
    }
}

/// One declared resource (Terraform `resource`/`data` block, Bicep `resource`, ARM template resource, or a
/// registry module resolved by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    /// The ARM resource type as Azure spells it, full path for children; `None` when there is none.
    pub arm_type: Option<String>,
    /// What the source wrote: `azurerm_linux_web_app`, `Microsoft.Web/sites@2023-01-01`, `azapi_resource`, ...
    pub source_type: String,
    /// The API version, where the source says it (Bicep, ARM, azapi).
    pub api_version: Option<String>,
    /// The symbolic name (Terraform block label, Bicep symbol, ARM `name` expression).
    pub name: String,
    /// The declaring file (relative to what the user gave once the inventory stage is done).
    pub file: String,
    /// 1-based line of the declaration.
    pub line: u32,
    /// Canonical region name (`westeurope`) when it resolves statically.
    pub location: Option<String>,
    /// The location expression as the source wrote it, when there is one.
    pub location_expr: Option<String>,
    /// `true` for Terraform `data` blocks and Bicep/ARM `existing` references.
    pub existing: bool,
    /// The module reference this resource was reached through, `None` when declared directly.
    pub via_module: Option<String>,
    /// Azure service name (from the catalog).
    pub service: Option<String>,
    /// FOCUS service category (from the catalog).
    pub category: Option<String>,
    /// Microsoft Cloud Partner Program solution area (from the catalog).
    pub solution_area: Option<String>,
    /// Reached from a root and not switched off (see the contract's "What is deployed").
    pub deployed: bool,
    /// Why it is not deployed; `None` when it is.
    pub why_not: Option<WhyNot>,
    /// The conditions on the way from its root, evaluated with the root's values.
    pub condition: Condition,
    /// The root it was reached from (as `roots[].path` names it); `None` when not deployed.
    pub root: Option<String>,
    /// The resource's `kind`, where the source gives a literal (it refines the service).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The body mentions secrets or connection strings (passwords, keys, `@secure()` values):
    /// the `no-key-vault` rule reads it. Written only when true, so that `azengage merge` can assess a scan
    /// document again.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub uses_secrets: bool,
    /// A hash of the declaration's body with whitespace, comments and attribute order normalised away:
    /// `diff` compares it to tell a changed resource. 0 when the parser does not compute one.
    #[serde(skip)]
    pub fingerprint: u64,
    /// The scan unit this copy was found from (the template or Terraform directory a scan started at, as a
    /// path string): the inventory stage tells from it whether the copy was reached from a root.
    #[serde(skip)]
    pub scanned_from: String,
}

impl Resource {
    /// A resource with only the required fields set; the rest are empty.
    pub fn new(
        source_type: impl Into<String>,
        name: impl Into<String>,
        file: impl Into<String>,
        line: u32,
    ) -> Self {
        Resource {
            arm_type: None,
            source_type: source_type.into(),
            api_version: None,
            name: name.into(),
            file: file.into(),
            line,
            location: None,
            location_expr: None,
            existing: false,
            via_module: None,
            service: None,
            category: None,
            solution_area: None,
            kind: None,
            deployed: true,
            why_not: None,
            condition: Condition::None,
            root: None,
            uses_secrets: false,
            fingerprint: 0,
            scanned_from: String::new(),
        }
    }

    /// True when this is an Azure resource (it has an ARM type).
    pub fn is_azure(&self) -> bool {
        self.arm_type.is_some()
    }
}

/// How good one copy of a resource is, among copies of one declaration reached different ways (higher is
/// better): a condition that is surely met, then one that may be, then one known false; then a copy reached
/// through a module (it has the caller's values), then one whose location resolved.
pub fn copy_rank(r: &Resource) -> (u8, bool, bool) {
    let condition = match r.condition {
        Condition::None | Condition::True => 2,
        Condition::Unknown => 1,
        Condition::False => 0,
    };
    (condition, r.via_module.is_some(), r.location.is_some())
}

/// The copies to keep among `items`: for each key, in the order keys are first met, the position of the copy
/// `rank` puts highest (the first met among equals). Keys may borrow from the items, so nothing is copied to
/// compare them; [`take_positions`] then takes the copies out.
pub fn best_per_key<'a, T, K, R>(
    items: &'a [T],
    mut key: impl FnMut(&'a T) -> K,
    rank: impl Fn(&T) -> R,
) -> Vec<usize>
where
    K: std::hash::Hash + Eq,
    R: Ord,
{
    let mut chosen: Vec<usize> = Vec::new();
    let mut slot_of: rustc_hash::FxHashMap<K, usize> = rustc_hash::FxHashMap::default();
    for (i, item) in items.iter().enumerate() {
        match slot_of.entry(key(item)) {
            std::collections::hash_map::Entry::Occupied(slot) => {
                if let Some(kept) = chosen.get_mut(*slot.get())
                    && let Some(best) = items.get(*kept)
                    && rank(item) > rank(best)
                {
                    *kept = i;
                }
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(chosen.len());
                chosen.push(i);
            }
        }
    }
    chosen
}

/// The items at `positions` (each at most once), in that order.
pub fn take_positions<T>(items: Vec<T>, positions: Vec<usize>) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    positions
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

pub use crate::paths::path_string;

#[cfg(test)]
mod tests {
    use super::{best_per_key, take_positions};

    #[test]
    fn the_best_copy_per_key_sits_where_its_key_was_first_met() {
        let items = [
            ("a", 1, 'x'),
            ("b", 5, 'y'),
            ("a", 3, 'z'),
            ("a", 3, 'w'),
            ("b", 2, 'v'),
        ];
        let chosen = best_per_key(&items, |item| item.0, |item| item.1);
        // "a" first, its best (3) the first met among equals; then "b", whose first copy stays the best.
        assert_eq!(chosen, vec![2, 1]);
        assert_eq!(
            take_positions(items.to_vec(), chosen),
            vec![("a", 3, 'z'), ("b", 5, 'y')]
        );
    }
}
