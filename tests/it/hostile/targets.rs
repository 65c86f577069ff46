//! The parsers under attack: one [`Target`] per input language, each run on raw bytes the way the scan would
//! meet them (on disk for the file scanners and the config, decoded text for the in-memory parsers), and the
//! seed fixtures each one is mutated from.

use super::cost_seeds;
use azengage::config::Config;
use azengage::costs::{self, CostData, CostError};
use azengage::history::workflows::analyze_text;
use azengage::iac::source::decode;
use azengage::iac::{ScanOptions, arm, bicep, terraform};
use azengage::model::{Diagnostic, Severity};
use std::path::{Path, PathBuf};

/// One parser entry point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `iac::bicep::parse` on the decoded text, then `bicep::scan_files` on the file.
    Bicep,
    /// A `.bicepparam` file (with its `main.bicep`) through `bicep::scan_files`.
    BicepParam,
    /// A `main.tf` through `terraform::scan_file`.
    Terraform,
    /// A `main.tf.json` through `terraform::scan_file`.
    TerraformJson,
    /// An ARM template through `arm::scan_files`.
    Arm,
    /// Workflow YAML through `history::workflows::analyze_text`.
    Workflow,
    /// `.github/azengage.yml` through `config::Config::find` (the file as a scan reads it: BOM, encoding) and
    /// the rule-name check.
    Config,
    /// A Cost Management CSV export through `costs::read`.
    CostCsv,
    /// A gzipped CSV export (`.csv.gz`) through `costs::read`: the bytes are the gzip stream.
    CostCsvGz,
    /// A Parquet export through `costs::read`: the bytes are the Parquet file.
    CostParquet,
    /// An export run's `manifest.json` (with the blob it lists beside it) through `costs::read` on the folder.
    CostManifest,
}

/// Every target.
pub const ALL: [Target; 11] = [
    Target::Bicep,
    Target::BicepParam,
    Target::Terraform,
    Target::TerraformJson,
    Target::Arm,
    Target::Workflow,
    Target::Config,
    Target::CostCsv,
    Target::CostCsvGz,
    Target::CostParquet,
    Target::CostManifest,
];

/// What one run gave.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    /// Resources found (or workflows/configs accepted).
    pub items: usize,
    /// Diagnostics (syntax errors for the bare Bicep parser; 1 for a rejected workflow or config).
    pub diagnostics: Vec<Diagnostic>,
    /// Tokens or syntax errors the bare parser counted (Bicep only): a proxy for work done.
    pub syntax_errors: usize,
}

/// The `main.bicep` a `.bicepparam` under test points at.
const PARAM_MAIN: &str = "param location string\nparam name string\nresource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: name\n  location: location\n}\n";

impl Target {
    /// The file name the input is written to.
    pub fn file_name(self) -> &'static str {
        match self {
            Target::Bicep => "main.bicep",
            Target::BicepParam => "main.bicepparam",
            Target::Terraform => "main.tf",
            Target::TerraformJson => "main.tf.json",
            Target::Arm => "azuredeploy.json",
            Target::Workflow => "deploy.yml",
            Target::Config => "azengage.yml",
            Target::CostCsv => "export.csv",
            Target::CostCsvGz => "export.csv.gz",
            Target::CostParquet => "export.parquet",
            Target::CostManifest => "manifest.json",
        }
    }

    /// A cost export target: no size limit (exports are large and streamed) and no `encoding` diagnostic.
    pub fn is_costs(self) -> bool {
        matches!(
            self,
            Target::CostCsv | Target::CostCsvGz | Target::CostParquet | Target::CostManifest
        )
    }

    /// Its input is a binary format (gzip, Parquet): text edits such as CRLF line ends would corrupt it.
    pub fn is_binary(self) -> bool {
        matches!(self, Target::CostCsvGz | Target::CostParquet)
    }

    /// Run the parser on `bytes`; file scanners write them to `dir/<file_name>` first (`dir` is reused).
    pub fn run(self, bytes: &[u8], dir: &Path, opts: &ScanOptions) -> Outcome {
        match self {
            Target::Bicep => {
                let mut outcome = self.scan_file(bytes, dir, opts);
                let text = decode("main.bicep", bytes.to_vec(), &mut Vec::new());
                outcome.syntax_errors = bicep::parse(&text).errors.len();
                outcome
            }
            Target::BicepParam => {
                write(&dir.join("main.bicep"), PARAM_MAIN.as_bytes());
                self.scan_file(bytes, dir, opts)
            }
            Target::Terraform | Target::TerraformJson | Target::Arm => {
                self.scan_file(bytes, dir, opts)
            }
            Target::Workflow => {
                let text = decode("deploy.yml", bytes.to_vec(), &mut Vec::new());
                match analyze_text(None, ".github/workflows/deploy.yml", &text) {
                    Ok(_) => Outcome {
                        items: 1,
                        ..Outcome::default()
                    },
                    Err(diag) => Outcome {
                        diagnostics: vec![diag],
                        ..Outcome::default()
                    },
                }
            }
            Target::Config => {
                write(&dir.join(".github/azengage.yml"), bytes);
                let loaded = Config::find(dir).and_then(|c| {
                    azengage::assess::rules::check_config(&c)?;
                    Ok(c)
                });
                match loaded {
                    Ok(_) => Outcome {
                        items: 1,
                        ..Outcome::default()
                    },
                    Err(e) => Outcome {
                        diagnostics: vec![error(".github/azengage.yml", "config", e.to_string())],
                        ..Outcome::default()
                    },
                }
            }
            Target::CostCsv | Target::CostCsvGz | Target::CostParquet => {
                let path = dir.join(self.file_name());
                write(&path, bytes);
                cost_outcome(costs::read(&path))
            }
            Target::CostManifest => {
                let root = dir.join("costs");
                let run = root.join("exports/focus-daily/20260601-20260630/a1b2c3d4");
                write(&run.join("manifest.json"), bytes);
                write(&run.join("part_0_0001.csv"), cost_seeds::manifest_blob());
                cost_outcome(costs::read(&root))
            }
        }
    }

    fn scan_file(self, bytes: &[u8], dir: &Path, opts: &ScanOptions) -> Outcome {
        let path = dir.join(self.file_name());
        write(&path, bytes);
        let found = match self {
            Target::Bicep => bicep::scan_files(std::slice::from_ref(&path), opts),
            Target::BicepParam => bicep::scan_files(&[dir.join("main.bicep"), path], opts),
            Target::Arm => arm::scan_files(&[path], opts),
            _ => terraform::scan_file(&path, opts),
        };
        Outcome {
            items: found.resources.len(),
            diagnostics: found.diagnostics,
            syntax_errors: 0,
        }
    }

    /// The fixtures this target is mutated from: every fixture file of its language, plus built-ins.
    pub fn seeds(self) -> Vec<Vec<u8>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let wanted = |p: &Path| {
            let name = p
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            let in_workflows = p.components().any(|c| c.as_os_str() == "workflows");
            match self {
                Target::Bicep => name.ends_with(".bicep"),
                Target::BicepParam => name.ends_with(".bicepparam"),
                Target::Terraform => name.ends_with(".tf") || name.ends_with(".tfvars"),
                Target::TerraformJson => name.ends_with(".tf.json"),
                Target::Arm => {
                    name.ends_with(".json")
                        && !name.ends_with(".tf.json")
                        && p.components()
                            .any(|c| c.as_os_str() == "arm" || c.as_os_str() == "bicep")
                }
                Target::Workflow => {
                    in_workflows && (name.ends_with(".yml") || name.ends_with(".yaml"))
                }
                Target::Config => {
                    p.components().any(|c| c.as_os_str() == "assess") && name.ends_with(".yml")
                }
                _ => false,
            }
        };
        match self {
            Target::CostCsv => return cost_seeds::csv(),
            Target::CostCsvGz => return cost_seeds::csv_gz(),
            Target::CostParquet => return cost_seeds::parquet(),
            Target::CostManifest => return cost_seeds::manifests(),
            _ => {}
        }
        let mut files: Vec<PathBuf> = walk(&root).into_iter().filter(|p| wanted(p)).collect();
        files.sort();
        let mut seeds: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
        match self {
            Target::Config => seeds.push(azengage::config::starter_config().as_bytes().to_vec()),
            Target::TerraformJson => seeds.push(TF_JSON_SEED.as_bytes().to_vec()),
            _ => {}
        }
        assert!(!seeds.is_empty(), "no seed fixtures for {self:?}");
        seeds
    }
}

/// A `.tf.json` seed written the way CDKTF emits them (the fixtures hold none).
const TF_JSON_SEED: &str = r#"{
  "resource": {
    "azurerm_resource_group": { "rg": { "name": "rg-app", "location": "westeurope" } },
    "azurerm_storage_account": {
      "st": { "name": "stapp", "resource_group_name": "${azurerm_resource_group.rg.name}",
              "location": "${azurerm_resource_group.rg.location}", "account_tier": "Standard",
              "account_replication_type": "LRS" }
    }
  }
}
"#;

/// What reading cost exports gave: rows counted, or the error as one diagnostic.
fn cost_outcome(read: Result<CostData, CostError>) -> Outcome {
    match read {
        Ok(data) => Outcome {
            items: usize::try_from(data.acc.rows).unwrap_or(usize::MAX),
            diagnostics: data.diagnostics,
            syntax_errors: 0,
        },
        Err(e) => Outcome {
            diagnostics: vec![error("costs", "costs", e.to_string())],
            ..Outcome::default()
        },
    }
}

fn error(file: &str, code: &str, message: String) -> Diagnostic {
    Diagnostic::new(file, 0, 0, Severity::Error, code, message)
}

/// Write `bytes` to `path`, creating the directory.
pub fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create test dir");
    }
    std::fs::write(path, bytes).expect("write test input");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}
