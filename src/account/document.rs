//! The typed reader of `scan --format json` documents (the contract's `scan` shape).
//!
//! Tolerant where the contract lets producers grow: unknown fields are ignored (other versions of azengage
//! add fields such as `deployed`, `why_not`, `deployments_source`, `counts_for_breadth`), missing optional
//! fields take their defaults, and unknown resource fields are carried through to the merged document as they
//! were written. Strict where a wrong guess would skew the account: a document without `schema_version`,
//! `as_of`, `activity`, `score` or `resources` is not a scan, and a newer major `schema_version` is refused
//! before anything else is read, since its fields may mean something else.

use crate::model::Severity;
use jiff::civil::Date;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The newest major `schema_version` this reader understands.
pub const SUPPORTED_SCHEMA: u64 = crate::inventory::SCHEMA_VERSION as u64;

/// One resource as the scan document lists it. Serialises back to the same fields (plus any it did not know).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct DocResource {
    /// The ARM type, `null` for non-Azure resources.
    #[serde(default)]
    pub arm_type: Option<String>,
    /// What the source wrote.
    #[serde(default)]
    pub source_type: String,
    /// The API version, where the source says it.
    #[serde(default)]
    pub api_version: Option<String>,
    /// The symbolic name.
    #[serde(default)]
    pub name: String,
    /// The declaring file, relative to the scanned PATH.
    #[serde(default)]
    pub file: String,
    /// 1-based line.
    #[serde(default)]
    pub line: u32,
    /// Canonical region, when resolved.
    #[serde(default)]
    pub location: Option<String>,
    /// The location expression as written.
    #[serde(default)]
    pub location_expr: Option<String>,
    /// A Bicep `existing` reference or a Terraform `data` source.
    #[serde(default)]
    pub existing: bool,
    /// The module reference it came through.
    #[serde(default)]
    pub via_module: Option<String>,
    /// Azure service name.
    #[serde(default)]
    pub service: Option<String>,
    /// FOCUS service category.
    #[serde(default)]
    pub category: Option<String>,
    /// Partner-program solution area.
    #[serde(default)]
    pub solution_area: Option<String>,
    /// The resource's literal `kind`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The body uses secrets or connection strings (written only when true).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub uses_secrets: bool,
    /// `false` when the scan found the resource is not deployed (see the contract's "What is deployed");
    /// absent in documents from before that field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployed: Option<bool>,
    /// Fields this reader does not use, kept as written.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

impl DocResource {
    /// Deployed as the scan judged it: an Azure resource, not an `existing` reference, not a nested
    /// deployment, and not marked `deployed: false`.
    pub fn counts_as_deployed(&self) -> bool {
        self.deployed != Some(false)
            && self.arm_type.as_deref().is_some_and(|t| {
                !t.eq_ignore_ascii_case("Microsoft.Resources/deployments") && !self.existing
            })
    }
}

/// One week of `activity.weekly`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DocWeek {
    /// The Monday that starts the week.
    pub week_start: Date,
    /// IaC commits.
    #[serde(default)]
    pub iac_commits: u32,
    /// Deployments.
    #[serde(default)]
    pub deployments: u32,
    /// Services the week's commits touched.
    #[serde(default)]
    pub services_touched: Vec<String>,
    /// Regions the week's commits touched.
    #[serde(default)]
    pub regions_touched: Vec<String>,
}

/// One entry of `activity.workflows`. Serialises back to the same fields (plus any it did not know).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct DocWorkflow {
    /// Path from the repository root.
    pub file: String,
    /// Whether it deploys to Azure.
    #[serde(default)]
    pub deploys: bool,
    /// What deploys.
    #[serde(default)]
    pub tools: Vec<String>,
    /// Event names under `on:`.
    #[serde(default)]
    pub triggers: Vec<String>,
    /// The `on.push.branches` filter.
    #[serde(default)]
    pub branches: Vec<String>,
    /// Regions the workflow passes.
    #[serde(default)]
    pub regions: Vec<String>,
    /// The workflow's `name:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields this reader does not use, kept as written.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// `activity`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DocActivity {
    /// `git`, `github`, `git+github` or `none`.
    #[serde(default)]
    pub source: String,
    /// `runs`, `inferred` or `none`; absent in documents from before that field.
    #[serde(default)]
    pub deployments_source: Option<String>,
    /// The weekly series.
    #[serde(default)]
    pub weekly: Vec<DocWeek>,
    /// Workflow files.
    #[serde(default)]
    pub workflows: Vec<DocWorkflow>,
    /// The history was cut short by a shallow clone.
    #[serde(default)]
    pub shallow: bool,
}

/// `score`: only what the account view shows beside each repository.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct DocScore {
    /// The repository's own estimate.
    #[serde(default)]
    pub total: Option<u32>,
}

/// `program`: what a repository's own config said, to tell when it disagrees with the account's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct DocProgram {
    /// `founders-hub` or `partner-program`.
    #[serde(default)]
    pub kind: Option<String>,
    /// The tier.
    #[serde(default)]
    pub tier: Option<String>,
    /// The review date.
    #[serde(default)]
    pub review_date: Option<Date>,
    /// When the score becomes visible.
    #[serde(default)]
    pub score_visible_from: Option<Date>,
    /// When the credits expire.
    #[serde(default)]
    pub credits_expire: Option<Date>,
}

impl DocProgram {
    /// The repository's config gave program settings at all.
    pub fn is_set(&self) -> bool {
        *self != DocProgram::default()
    }
}

/// One entry of `diagnostics`. Serialises back to the same fields.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct DocDiagnostic {
    /// The file.
    #[serde(default)]
    pub file: String,
    /// 1-based line, 0 for the whole file.
    #[serde(default)]
    pub line: u32,
    /// 1-based column, 0 for the whole line.
    #[serde(default)]
    pub column: u32,
    /// `error`, `warning` or `info`.
    #[serde(default = "info")]
    pub severity: String,
    /// The stable code.
    #[serde(default)]
    pub code: String,
    /// The message.
    #[serde(default)]
    pub message: String,
}

fn info() -> String {
    "info".to_string()
}

impl DocDiagnostic {
    /// The severity as the model has it (unknown words count as `info`).
    pub fn severity(&self) -> Severity {
        match self.severity.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        }
    }
}

/// One scan document, read.
#[derive(Debug, Clone)]
pub struct ScanDocument {
    /// The file it came from, as given.
    pub file: String,
    /// What the account calls it: the document's `repository`, else the file as given.
    pub name: String,
    /// The document's `repository`, or `None` when it names none.
    pub repository: Option<String>,
    /// The document's `as_of`.
    pub as_of: Date,
    /// The configuration file the scan read.
    pub config_file: Option<String>,
    /// `activity`.
    pub activity: DocActivity,
    /// `score`.
    pub score: DocScore,
    /// `program`.
    pub program: DocProgram,
    /// `resources`.
    pub resources: Vec<DocResource>,
    /// `diagnostics`.
    pub diagnostics: Vec<DocDiagnostic>,
    /// `roots`, as the scan wrote them (empty in documents older than roots).
    pub roots: Vec<serde_json::Value>,
    /// The scan carried cost exports of its own.
    pub has_costs: bool,
}

/// Why a file is not a scan document this reader can merge.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Not JSON, or JSON of another shape.
    #[error("{file}{at}: not a `scan --format json` document: {why}", at = position(*.line, *.column))]
    NotAScan {
        /// The file.
        file: String,
        /// 1-based line, 0 when unknown.
        line: usize,
        /// 1-based column, 0 when unknown.
        column: usize,
        /// What is wrong.
        why: String,
    },
    /// A newer major schema version.
    #[error(
        "{file}: schema_version {found} is newer than this azengage reads (up to {SUPPORTED_SCHEMA}); \
         upgrade azengage to merge it"
    )]
    NewerVersion {
        /// The file.
        file: String,
        /// The version it declares.
        found: String,
    },
}

fn position(line: usize, column: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}:{column}")
    }
}

/// The top level, typed.
#[derive(Deserialize)]
struct Wire {
    schema_version: serde_json::Value,
    as_of: Date,
    #[serde(default)]
    repository: Option<String>,
    #[serde(default)]
    config_file: Option<String>,
    activity: DocActivity,
    score: DocScore,
    #[serde(default)]
    program: Option<DocProgram>,
    resources: Vec<DocResource>,
    #[serde(default)]
    diagnostics: Option<Vec<DocDiagnostic>>,
    #[serde(default)]
    roots: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    costs: Option<IgnoredAny>,
}

/// Which top-level keys the document has, and its version: read first, so that a document of another kind
/// or version is told apart from a broken scan.
#[derive(Deserialize)]
struct Outline {
    schema_version: Option<serde_json::Value>,
    as_of: Option<IgnoredAny>,
    activity: Option<IgnoredAny>,
    score: Option<IgnoredAny>,
    resources: Option<IgnoredAny>,
    services: Option<IgnoredAny>,
    head: Option<IgnoredAny>,
    runs: Option<IgnoredAny>,
}

/// Read one scan document from `bytes`; `file` names it in errors.
pub fn parse(file: &str, bytes: &[u8]) -> Result<ScanDocument, DocumentError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let not_a_scan = |line: usize, column: usize, why: String| DocumentError::NotAScan {
        file: file.to_string(),
        line,
        column,
        why,
    };
    let from_json = |e: serde_json::Error| {
        let why = match e.classify() {
            serde_json::error::Category::Data if e.line() <= 1 && e.column() <= 1 => {
                "the top level is not a JSON object".to_string()
            }
            _ => e
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string(),
        };
        not_a_scan(e.line(), e.column(), why)
    };
    // One pass when the document is a scan; the outline, read only when it is not one, tells why.
    let wire: Wire = match serde_json::from_slice(bytes) {
        Ok(wire) => wire,
        Err(e) => {
            let outline: Outline = serde_json::from_slice(bytes).map_err(from_json)?;
            check_version(file, outline.schema_version.as_ref())?;
            if let Some(why) = lacks(&outline) {
                return Err(not_a_scan(0, 0, why));
            }
            return Err(from_json(e));
        }
    };
    check_version(file, Some(&wire.schema_version))?;
    let repository = wire.repository.filter(|r| !r.trim().is_empty());
    Ok(ScanDocument {
        file: file.to_string(),
        name: repository.clone().unwrap_or_else(|| file.to_string()),
        repository,
        as_of: wire.as_of,
        config_file: wire.config_file,
        activity: wire.activity,
        score: wire.score,
        program: wire.program.unwrap_or_default(),
        resources: wire.resources,
        diagnostics: wire.diagnostics.unwrap_or_default(),
        roots: wire.roots.unwrap_or_default(),
        has_costs: wire.costs.is_some(),
    })
}

/// Refuse a newer major version; accept `1`, `"1"` and `"1.3"` (a minor version only adds fields).
fn check_version(file: &str, version: Option<&serde_json::Value>) -> Result<(), DocumentError> {
    let Some(value) = version else {
        return Ok(()); // a missing version is named with the rest of the shape
    };
    let major = match value {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.split('.').next().and_then(|m| m.trim().parse().ok()),
        _ => None,
    };
    match major {
        Some(m) if m <= SUPPORTED_SCHEMA => Ok(()),
        Some(_) => Err(DocumentError::NewerVersion {
            file: file.to_string(),
            found: value.to_string(),
        }),
        None => Err(DocumentError::NotAScan {
            file: file.to_string(),
            line: 0,
            column: 0,
            why: format!("schema_version {value} is not a version number"),
        }),
    }
}

/// What a document lacks to be a scan, and what it looks like instead; `None` for a scan.
fn lacks(o: &Outline) -> Option<String> {
    let missing: Vec<&str> = [
        ("schema_version", o.schema_version.is_some()),
        ("as_of", o.as_of.is_some()),
        ("activity", o.activity.is_some()),
        ("score", o.score.is_some()),
        ("resources", o.resources.is_some()),
    ]
    .into_iter()
    .filter(|(_, has)| !has)
    .map(|(key, _)| key)
    .collect();
    if missing.is_empty() {
        return None;
    }
    let looks_like = if o.head.is_some() {
        " (it looks like a `diff --format json` document)"
    } else if o.runs.is_some() {
        " (it looks like a SARIF file)"
    } else if o.services.is_some() && o.activity.is_none() {
        " (it looks like an `inventory --format json` document)"
    } else {
        ""
    };
    let names: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
    Some(format!("it has no {}{looks_like}", names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"schema_version": 1, "as_of": "2026-11-23", "repository": "acme/web",
        "activity": {"source": "git", "weekly": [], "workflows": []}, "score": {"total": 40},
        "resources": []}"#;

    #[test]
    fn a_minimal_scan_reads_and_unknown_fields_are_kept() {
        let doc = parse("web.json", MINIMAL.as_bytes()).unwrap();
        assert_eq!(doc.repository.as_deref(), Some("acme/web"));
        assert_eq!(doc.score.total, Some(40));
        let text = r#"{"schema_version": 1, "as_of": "2026-11-23", "activity": {"deployments_source": "inferred",
            "weekly": [{"week_start": "2026-11-16", "iac_commits": 2, "deployments": 1, "future": true}]},
            "score": {}, "resources": [{"arm_type": "Microsoft.Web/sites", "name": "web", "file": "main.bicep",
            "line": 3, "deployed": false, "why_not": "unreferenced", "root": null}]}"#;
        let doc = parse("x.json", text.as_bytes()).unwrap();
        assert_eq!(doc.repository, None);
        assert_eq!(doc.activity.deployments_source.as_deref(), Some("inferred"));
        assert_eq!(doc.activity.weekly[0].deployments, 1);
        let r = &doc.resources[0];
        assert!(!r.counts_as_deployed());
        assert_eq!(r.other["why_not"], "unreferenced");
        let back = serde_json::to_value(r).unwrap();
        assert_eq!(back["why_not"], "unreferenced");
        assert_eq!(back["deployed"], false);
        assert!(back.get("root").is_some());
    }

    #[test]
    fn other_documents_are_named_for_what_they_are() {
        let inventory = r#"{"schema_version": 1, "resources": [], "services": [], "regions": []}"#;
        let err = parse("inv.json", inventory.as_bytes()).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("inv.json: not a `scan --format json` document"),
            "{text}"
        );
        assert!(text.contains("`inventory --format json`"), "{text}");
        let diff = r#"{"schema_version": 1, "base": "a", "head": "b", "resources": {}}"#;
        assert!(
            parse("d.json", diff.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("diff")
        );
        let sarif = r#"{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": []}"#;
        assert!(
            parse("s.sarif", sarif.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("SARIF")
        );
    }

    #[test]
    fn broken_json_names_the_place() {
        let err = parse("cut.json", &MINIMAL.as_bytes()[..60]).unwrap_err();
        match err {
            DocumentError::NotAScan { line, column, .. } => assert!(line >= 1 && column >= 1),
            other => panic!("{other}"),
        }
        let err = parse(
            "bad.json",
            br#"{"schema_version": 1, "as_of": "2026-11-23", "activity": {},
            "score": {}, "resources": [{"line": "three"}]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("bad.json:2:"), "{err}");
        assert!(parse("list.json", b"[1, 2]").is_err());
        assert!(parse("empty.json", b"").is_err());
    }

    #[test]
    fn a_newer_major_version_is_refused_before_its_shape_is_read() {
        let newer = r#"{"schema_version": 2, "resources": "a different shape"}"#;
        let err = parse("new.json", newer.as_bytes()).unwrap_err();
        assert!(matches!(err, DocumentError::NewerVersion { .. }));
        assert!(err.to_string().contains("upgrade azengage"), "{err}");
        let minor = MINIMAL.replace("\"schema_version\": 1", "\"schema_version\": \"1.4\"");
        assert!(parse("minor.json", minor.as_bytes()).is_ok());
        let text = MINIMAL.replace("\"schema_version\": 1", "\"schema_version\": \"2.0\"");
        assert!(matches!(
            parse("n.json", text.as_bytes()),
            Err(DocumentError::NewerVersion { .. })
        ));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(MINIMAL.as_bytes());
        assert!(parse("bom.json", &bytes).is_ok());
    }
}
