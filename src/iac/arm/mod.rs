//! ARM JSON templates and ARM parameter files.
//!
//! A repository's `.json` files are mostly not ARM at all (`package.json`, `tsconfig.json`, ...): those are
//! ignored without a word. Templates (`$schema` naming a `deploymentTemplate`) give resources; a parameter file
//! beside a template (`azuredeploy.parameters.json` → `azuredeploy.json`, `main.parameters.prod.json` →
//! `main.json`, the portal's `parameters.json` → `template.json`) supplies the values its expressions need to
//! resolve locations. The Bicep scanner also calls [`scan_template`] for `module m './x.json'`.
//!
//! Submodules: [`json`] (comment-tolerant parsing and source positions), [`expr`] and [`eval`] (the expression
//! language), `template` (walking resources and nested deployments), `body` (secrets, fingerprints).

mod body;
pub mod eval;
pub mod expr;
pub mod json;
mod template;

use crate::iac::env::{Resolved, substitute, unknown_placeholder};
use crate::iac::json::Node;
use crate::iac::source::{contains_ignoring_case, look_limited, read_head, read_source, utf8_head};
use crate::iac::{Found, ParamSet, ScanOptions};
use crate::model::{Diagnostic, Severity, path_string};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
pub use template::Supplied;

/// True when `text` is an ARM deployment template: a JSON object (comments allowed) whose top-level `$schema`
/// names a deployment template (`deploymentTemplate.json`, `subscriptionDeploymentTemplate.json`, ...).
/// Parameter files (`deploymentParameters`) are not templates.
pub fn is_arm_template(text: &str) -> bool {
    schema_of(text).is_some_and(|s| is_template_schema(&s))
}

/// True when `text` is an ARM parameter file (`$schema` contains `deploymentParameters`).
pub fn is_parameter_file(text: &str) -> bool {
    schema_of(text).is_some_and(|s| is_parameter_schema(&s))
}

fn is_template_schema(schema: &str) -> bool {
    schema.to_ascii_lowercase().contains("deploymenttemplate")
}

fn is_parameter_schema(schema: &str) -> bool {
    schema.to_ascii_lowercase().contains("deploymentparameters")
}

/// The top-level `$schema` string of a JSON document, if it is an object that has one.
fn schema_of(text: &str) -> Option<String> {
    // Cheap pre-check: most JSON files in a repository are not ARM at all.
    if !text.contains("$schema") {
        return None;
    }
    let document = json::parse("", text.trim_start_matches('\u{feff}')).ok()?;
    json::schema(&document).map(str::to_string)
}

/// Read an ARM parameter file (`{"parameters": {"location": {"value": "westeurope"}}}`) into name → value.
/// azd's `${AZURE_LOCATION}` placeholders are kept as the strings they are; Key Vault references (which have
/// no `value`) are left out. `None` (with a diagnostic) when the file cannot be read or is not JSON.
pub fn read_parameter_file(
    path: &Path,
    opts: &ScanOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<HashMap<String, Value>> {
    let text = read_source(path, opts, diags)?;
    match json::parse(&path_string(path), &text) {
        Ok(document) => parameter_values(&document),
        Err(diagnostic) => {
            diags.push(diagnostic);
            None
        }
    }
}

/// The `value`s of a parsed parameter file.
fn parameter_values(document: &Node<'_>) -> Option<HashMap<String, Value>> {
    let params = document.get("parameters")?.members()?;
    Some(
        params
            .iter()
            .filter_map(|m| Some((m.key.to_string(), m.value.get("value")?.to_serde())))
            .collect(),
    )
}

/// What one `.json` file of the walk turned out to be, as far as the first pass tells.
enum Kind {
    /// An ARM template (or, from its text, maybe one): read again and scanned in the second pass.
    Template(PathBuf),
    Parameters(PathBuf, HashMap<String, Value>),
    /// A template compiled from the Bicep file beside it: nothing to scan (a diagnostic says so).
    CompiledCopy,
    Other,
}

/// Scan the `.json` files found by the walk: templates give resources; ARM parameter files
/// (`*.parameters.json`, `*.parameters.<env>.json`, `$schema` containing `deploymentParameters`) feed the
/// template they sit beside. Other JSON files are ignored silently, even when they do not parse.
///
/// Two passes, both parallel: the first reads every file and keeps only parameter values (small); the second
/// reads each template again, scans it and drops it, so no more templates are in memory at once than there
/// are threads (compiled templates are most of a repository's bytes).
pub fn scan_files(files: &[PathBuf], opts: &ScanOptions) -> Found {
    let classified: Vec<(Kind, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|path| {
            let mut diags = Vec::new();
            (classify(path, opts, &mut diags), diags)
        })
        .collect();
    let mut found = Found::default();
    let mut templates = Vec::new();
    let mut parameter_files = Vec::new();
    for (kind, diags) in classified {
        found.diagnostics.extend(diags);
        match kind {
            Kind::Template(path) => templates.push(path),
            Kind::Parameters(path, values) => parameter_files.push((path, values)),
            Kind::CompiledCopy | Kind::Other => {}
        }
    }
    let scanned: Vec<Found> = templates
        .par_iter()
        .map(|path| scan_walked_template(path, &parameter_files, opts))
        .collect();
    for one in scanned {
        found.extend(one);
    }
    found
}

/// Whether a template says Bicep generated it (`metadata._generator.name`).
fn generated_by_bicep(template: &Node<'_>) -> bool {
    template
        .get("metadata")
        .and_then(|m| m.get("_generator"))
        .and_then(|g| g.get("name"))
        .and_then(Node::as_str)
        .is_some_and(|name| name.eq_ignore_ascii_case("bicep"))
}

/// The Bicep file a template at `path` would be compiled from, when it exists: the same stem, or `main.bicep`
/// beside a quickstart's `azuredeploy.json`.
fn source_beside(path: &Path) -> Option<PathBuf> {
    let source = path.with_extension("bicep");
    if source.is_file() {
        return Some(source);
    }
    let quickstart = path
        .file_name()
        .is_some_and(|n| n.eq_ignore_ascii_case("azuredeploy.json"));
    let main = path.with_file_name("main.bicep");
    (quickstart && main.is_file()).then_some(main)
}

/// The parameter values one set gives a template: the conventional file beside it, then the set's files,
/// then its inline values; every file applied is recorded for the unit.
fn values_for(
    template: &Path,
    unit: &str,
    set: &ParamSet,
    parameter_files: &[(PathBuf, HashMap<String, Value>)],
    opts: &ScanOptions,
    found: &mut Found,
) -> HashMap<String, Value> {
    let mut values = HashMap::new();
    if set.conventional {
        let (file, conventional) =
            parameters_for(template, parameter_files, opts, &mut found.diagnostics);
        if let Some(file) = file {
            found.applied.push((unit.to_string(), path_string(&file)));
        }
        values = conventional;
    }
    for file in &set.files {
        if let Some(more) = read_parameter_file(file, opts, &mut found.diagnostics) {
            found.applied.push((unit.to_string(), path_string(file)));
            values.extend(more);
        }
    }
    for (name, value) in &set.values {
        values.insert(name.clone(), Value::String(value.clone()));
    }
    values
}

/// Parameter values with azd placeholders filled from the environment values known; a parameter whose
/// placeholder stays unknown is unknown (not its default).
pub fn supplied(values: HashMap<String, Value>, env: &BTreeMap<String, String>) -> Supplied {
    let mut out = Supplied::default();
    for (name, value) in values {
        match value {
            Value::String(text) => match substitute(&text, env) {
                Resolved::Known(known) => {
                    out.values.insert(name, Value::String(known));
                }
                Resolved::Unknown(first) => {
                    let placeholder = unknown_placeholder(&text, env).unwrap_or(first);
                    out.placeholders.insert(name, placeholder);
                }
            },
            other => {
                out.values.insert(name, other);
            }
        }
    }
    out
}

/// The second pass over one template of the walk: read, parse, scan with its parameter values.
fn scan_walked_template(
    path: &Path,
    parameter_files: &[(PathBuf, HashMap<String, Value>)],
    opts: &ScanOptions,
) -> Found {
    let mut found = Found::default();
    let mut read_diags = Vec::new();
    let Some(text) = read_source(path, opts, &mut read_diags) else {
        found.diagnostics.extend(read_diags);
        return found;
    };
    let file = path_string(path);
    let document = match json::parse(&file, &text) {
        Ok(document) => document,
        Err(diagnostic) => {
            found.diagnostics.extend(read_diags);
            found.diagnostics.push(diagnostic);
            return found;
        }
    };
    if !json::schema(&document).is_some_and(is_template_schema) {
        return found;
    }
    // Compiled copies of a Bicep file never get here: the first pass settled them.
    found.diagnostics.extend(read_diags);
    found.units.push(file.clone());
    for set in opts.plan.param_sets(path) {
        let values = values_for(path, &file, &set, parameter_files, opts, &mut found);
        let supplied = supplied(values, &opts.plan.env);
        let scanned = template::scan(&file, &text, &document, &supplied, None, &file);
        found.extend(scanned);
    }
    found
}

/// The template at `path` as a compiled copy of `source` (the Bicep file beside it, see [`source_beside`]),
/// when `top` (the template, or at least its `$schema` and `metadata`) has a template schema and says Bicep
/// generated it: the same deployment, listed once from the source.
fn compiled_copy_of(
    path: &Path,
    top: &Node<'_>,
    source: Option<&Path>,
    read_diags: Vec<Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Kind> {
    let source = source
        .filter(|_| json::schema(top).is_some_and(is_template_schema) && generated_by_bicep(top))?;
    Some(compiled_copy(&path_string(path), source, read_diags, diags))
}

/// A template compiled from `source`: its read diagnostics and a note saying so are kept; nothing is scanned.
fn compiled_copy(
    file: &str,
    source: &Path,
    read_diags: Vec<Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> Kind {
    let message = format!(
        "compiled from {} (the same deployment): its resources are listed from the Bicep source",
        path_string(Path::new(source.file_name().unwrap_or_default()))
    );
    diags.extend(read_diags);
    diags.push(Diagnostic::new(
        file,
        0,
        0,
        Severity::Info,
        "compiled-copy",
        message,
    ));
    Kind::CompiledCopy
}

/// A template of the walk (`text` names a deployment template): a compiled copy of the Bicep file beside it
/// is settled here, reading only its `$schema` and `metadata` (compiled templates are most of the bytes a
/// repository holds); any other is left to the second pass.
fn template_kind(
    path: &Path,
    source: Option<&Path>,
    text: &str,
    read_diags: Vec<Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> Kind {
    let template = || Kind::Template(path.to_path_buf());
    // Most templates have no Bicep source beside them, and then nothing is parsed here.
    let Some(source) = source else {
        return template();
    };
    let Ok(top) = json::parse_top_level(&path_string(path), text, &["$schema", "metadata"]) else {
        return template();
    };
    compiled_copy_of(path, &top, Some(source), read_diags, diags).unwrap_or_else(template)
}

/// Read and sort one file of the walk. Diagnostics (read problems, parse errors) are kept only for files that
/// are, or plainly try to be, ARM templates or parameter files. A file whose text names a deployment template
/// and no parameter schema is taken to be a template without parsing it here: the second pass parses it.
fn classify(path: &Path, opts: &ScanOptions, diags: &mut Vec<Diagnostic>) -> Kind {
    let source = source_beside(path);
    if let Some(kind) = source
        .as_deref()
        .and_then(|source| compiled_copy_by_head(path, source, diags))
    {
        return kind;
    }
    let mut read_diags = Vec::new();
    let file = path_string(path);
    let looked = look_limited(
        path,
        &file,
        opts.max_file_size,
        &mut read_diags,
        |text, read| classify_text(path, source.as_deref(), text, std::mem::take(read), diags),
    );
    match looked {
        Ok(kind) => kind,
        Err(diagnostic) => {
            // A template over the size limit is reported; a big JSON file of another kind (a lock file) is
            // not.
            if diagnostic.has_code(crate::model::DiagnosticCode::TooLarge) && head_looks_arm(path) {
                diags.extend(read_diags);
                diags.push(diagnostic);
            }
            Kind::Other
        }
    }
}

/// [`classify`] of a file's text; `read_diags` are the reader's (an encoding warning).
fn classify_text(
    path: &Path,
    source: Option<&Path>,
    text: &str,
    read_diags: Vec<Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> Kind {
    let named_as_parameters = template_for_parameter_file(path).is_some();
    if !text.contains("$schema") && !named_as_parameters {
        return Kind::Other;
    }
    let names_template = contains_ignoring_case(text, "deploymenttemplate");
    let names_parameters = contains_ignoring_case(text, "deploymentparameters");
    if names_template && !names_parameters && !named_as_parameters {
        return template_kind(path, source, text, read_diags, diags);
    }
    let looks_arm = names_template || names_parameters;
    let document = match json::parse(&path_string(path), text) {
        Ok(document) => document,
        Err(diagnostic) => {
            if looks_arm {
                diags.extend(read_diags);
                diags.push(diagnostic);
            }
            return Kind::Other;
        }
    };
    let schema = json::schema(&document).unwrap_or_default();
    if is_template_schema(schema) {
        // Any other template is read again and reported by the second pass.
        return compiled_copy_of(path, &document, source, read_diags, diags)
            .unwrap_or_else(|| Kind::Template(path.to_path_buf()));
    }
    let is_parameters = is_parameter_schema(schema) || (named_as_parameters && schema.is_empty());
    if let Some(values) = parameter_values(&document).filter(|_| is_parameters) {
        diags.extend(read_diags);
        return Kind::Parameters(path.to_path_buf(), values);
    }
    Kind::Other
}

/// Whether the first 64 KiB of a file (one too large to read whole) name an ARM template or parameter schema.
fn head_looks_arm(path: &Path) -> bool {
    read_head(path, 64 * 1024).is_ok_and(|head| {
        let text = utf8_head(&head);
        contains_ignoring_case(text, "deploymenttemplate")
            || contains_ignoring_case(text, "deploymentparameters")
    })
}

/// How much of a file [`compiled_copy_by_head`] reads: Bicep writes `$schema` and `metadata` within the first
/// few hundred bytes.
const COMPILED_HEAD: usize = 16 * 1024;

/// A compiled copy of the Bicep file `source`, told from the file's first bytes alone: `$schema` and
/// `metadata._generator` are the first members Bicep writes. Compiled copies are most of the JSON bytes a
/// repository holds (77 % of the real-code mix in `bench/`), and nothing of them is listed, so they are
/// neither read whole nor checked as JSON. `None` when the head does not settle it (then the whole file is
/// read as any other).
fn compiled_copy_by_head(path: &Path, source: &Path, diags: &mut Vec<Diagnostic>) -> Option<Kind> {
    let head = read_head(path, COMPILED_HEAD).ok()?;
    let top = crate::iac::json::leading_members(
        utf8_head(&head),
        crate::iac::json::Dialect::Arm,
        &["$schema", "metadata"],
    )?;
    compiled_copy_of(path, &top, Some(source), Vec::new(), diags)
}

/// The template a parameter file belongs to, by name: `x.parameters.json` and `x.parameters.<env>.json` →
/// `x.json`; the portal export's `parameters.json` → `template.json`.
fn template_for_parameter_file(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".json")?;
    if stem == "parameters" {
        return Some(path.with_file_name("template.json"));
    }
    let at = stem.find(".parameters")?;
    let after = &stem[at + ".parameters".len()..];
    if !(after.is_empty() || (after.starts_with('.') && after.len() > 1)) {
        return None;
    }
    Some(path.with_file_name(format!("{}.json", name.get(..at)?)))
}

/// The parameter values for a template, with the file they came from: from the parameter file beside it
/// among the walked files (the plain `x.parameters.json` first, else the first environment file by name),
/// else from one found on disk.
fn parameters_for(
    template: &Path,
    parameter_files: &[(PathBuf, HashMap<String, Value>)],
    opts: &ScanOptions,
    diags: &mut Vec<Diagnostic>,
) -> (Option<PathBuf>, HashMap<String, Value>) {
    let same_file = |a: &Path, b: &Path| {
        a.parent() == b.parent()
            && a.file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                == b.file_name()
                    .map(|n| n.to_string_lossy().to_ascii_lowercase())
    };
    let mut matching: Vec<&(PathBuf, HashMap<String, Value>)> = parameter_files
        .iter()
        .filter(|(p, _)| template_for_parameter_file(p).is_some_and(|t| same_file(&t, template)))
        .collect();
    matching.sort_by_key(|(p, _)| (!is_plain_parameter_file(p), p.clone()));
    if let Some((path, values)) = matching.first() {
        return (Some(path.clone()), values.clone());
    }
    // A template given on its own: its parameter file was not part of the walk.
    let beside = plain_parameter_file_for(template);
    match beside.filter(|p| p.is_file()) {
        Some(path) => match read_parameter_file(&path, opts, diags) {
            Some(values) => (Some(path), values),
            None => (None, HashMap::new()),
        },
        None => (None, HashMap::new()),
    }
}

/// `x.parameters.json` or `parameters.json` (not an environment variant).
fn is_plain_parameter_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name == "parameters.json" || name.ends_with(".parameters.json")
}

/// Where a template's plain parameter file would be.
fn plain_parameter_file_for(template: &Path) -> Option<PathBuf> {
    let name = template.file_name()?.to_str()?;
    if name.eq_ignore_ascii_case("template.json") {
        return Some(template.with_file_name("parameters.json"));
    }
    let stem = name
        .strip_suffix(".json")
        .or_else(|| name.strip_suffix(".JSON"))?;
    Some(template.with_file_name(format!("{stem}.parameters.json")))
}

/// Scan one template reached as a module (from Bicep `module m './x.json'` or a nested deployment):
/// `params` are the parameter values the caller passes that resolved to strings; every resource gets
/// `via_module`. A file that is not an ARM template gives a warning.
pub fn scan_template(
    path: &Path,
    params: &HashMap<String, String>,
    via_module: Option<&str>,
    opts: &ScanOptions,
) -> Found {
    let mut found = Found::default();
    let file = path_string(path);
    let Some(text) = read_source(path, opts, &mut found.diagnostics) else {
        return found;
    };
    let document = match json::parse(&file, &text) {
        Ok(document) => document,
        Err(diagnostic) => {
            found.diagnostics.push(diagnostic);
            return found;
        }
    };
    if !json::schema(&document).is_some_and(is_template_schema) {
        let message =
            "module is not an ARM template (its `$schema` does not name a deploymentTemplate)";
        found.diagnostics.push(Diagnostic::new(
            file,
            0,
            0,
            Severity::Warning,
            "not-arm-template",
            message,
        ));
        return found;
    }
    let supplied = supplied(
        params
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
        &opts.plan.env,
    );
    found.extend(template::scan(
        &file, &text, &document, &supplied, via_module, &file,
    ));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_templates_and_parameter_files() {
        let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}"#;
        let sub = r#"{"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"}"#;
        let params = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"}"#;
        let commented = "// generated\n{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\"}";
        assert!(is_arm_template(template) && is_arm_template(sub) && is_arm_template(commented));
        assert!(!is_arm_template(params) && is_parameter_file(params));
        assert!(!is_arm_template(r#"{"name": "app", "version": "1.0.0"}"#));
        assert!(!is_arm_template(
            r#"{"$schema": "http://json.schemastore.org/tsconfig"}"#
        ));
        assert!(!is_arm_template("{\"$schema\": \"deploymentTemplate\""));
    }

    #[test]
    fn parameter_file_names_map_to_templates() {
        let t = |p: &str| template_for_parameter_file(Path::new(p)).map(|p| path_string(&p));
        assert_eq!(
            t("infra/azuredeploy.parameters.json").as_deref(),
            Some("infra/azuredeploy.json")
        );
        assert_eq!(t("main.parameters.prod.json").as_deref(), Some("main.json"));
        assert_eq!(t("Main.Parameters.json").as_deref(), Some("Main.json"));
        assert_eq!(
            t("export/parameters.json").as_deref(),
            Some("export/template.json")
        );
        assert_eq!(t("main.parametersx.json"), None);
        assert!(contains_ignoring_case(
            "{\"$schema\": \"x/DeploymentTemplate.json#\"}",
            "deploymenttemplate"
        ));
        assert!(!contains_ignoring_case(
            "deploymenttemplat",
            "deploymenttemplate"
        ));
        assert!(contains_ignoring_case(
            "dDEPLOYMENTPARAMETERS",
            "deploymentparameters"
        ));
        assert_eq!(t("package.json"), None);
        assert!(is_plain_parameter_file(Path::new("a/main.parameters.json")));
        assert!(!is_plain_parameter_file(Path::new(
            "a/main.parameters.dev.json"
        )));
    }
}
