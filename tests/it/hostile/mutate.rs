//! Input generators: byte-level mutations of a seed (flip, insert, delete, duplicate, splice, truncate), and the
//! pathological shapes a fuzzer rarely reaches on its own (10,000-level nesting, 10 MB lines).

use super::cost_seeds::{gzip, parquet_of_csv};
use super::targets::Target;

/// A small deterministic PRNG (SplitMix64): the same seed gives the same campaign, so a failure reproduces.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Fragments that matter to these grammars: brackets, quotes, interpolation, comments, line ends, NUL, bytes
/// that are not UTF-8, a BOM, keywords.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b"'",
    b"\"",
    b"'''",
    b"${",
    b"%{",
    b"$(",
    b"\\",
    b"/*",
    b"*/",
    b"//",
    b"#",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b": ",
    b"- ",
    b"&a ",
    b"*a",
    b"<<: *a",
    b"= ",
    b"=>",
    b"?",
    b"::",
    b"..",
    b"resource ",
    b"module ",
    b"for ",
    b"if ",
    b"@",
    b"!",
    b"<<EOT\n",
    b"EOT\n",
    b"\t",
    b"\xe2\x80\xa8",
    b"\"$schema\": ",
    b"[concat(",
    b"|\n",
    b">-\n",
];

/// One random mutation of `seed` (1 to 4 operations stacked). `others` are spliced from.
pub fn mutate(seed: &[u8], others: &[Vec<u8>], rng: &mut Rng) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(8) {
            0 => {
                if let Some(b) = data.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            1 => data.insert(at.min(data.len()), rng.next() as u8),
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + rng.below(64)).min(data.len());
                data.drain(at.min(end)..end);
            }
            4 => {
                let end = (at + rng.below(256)).min(data.len());
                let copy = data[at.min(end)..end].to_vec();
                data.splice(at..at, copy);
            }
            5 => {
                let other = &others[rng.below(others.len())];
                let from = rng.below(other.len());
                let end = (from + rng.below(512)).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
            6 => data.truncate(at),
            _ => {
                // A run of one opening bracket: local deep nesting inside real content.
                let token = [b'{', b'[', b'('][rng.below(3)];
                let run = vec![token; 1 + rng.below(300)];
                data.splice(at..at, run);
            }
        }
    }
    data
}

/// Ways to nest deeply.
#[derive(Debug, Clone, Copy)]
pub enum Nesting {
    /// `[[[[ ... ]]]]`.
    Arrays,
    /// `{a: {a: ... }}` in the language's own object syntax.
    Objects,
    /// `(((( ... ))))`.
    Parens,
    /// Opening brackets only, never closed.
    Unclosed,
}

/// All nesting shapes.
pub const NESTINGS: [Nesting; 4] = [
    Nesting::Arrays,
    Nesting::Objects,
    Nesting::Parens,
    Nesting::Unclosed,
];

/// `depth` levels of `shape`, written as a value in `target`'s language at the place a value belongs.
pub fn deep(target: Target, shape: Nesting, depth: usize) -> Vec<u8> {
    let (open, close): (&str, &str) = match (target, shape) {
        (_, Nesting::Arrays) => ("[", "]"),
        (_, Nesting::Parens) => ("(", ")"),
        (_, Nesting::Unclosed) => ("[{(", ""),
        (Target::Bicep | Target::BicepParam, Nesting::Objects) => ("{\na: ", "\n}"),
        (Target::Terraform, Nesting::Objects) => ("{ a = ", " }"),
        (Target::TerraformJson | Target::Arm | Target::CostManifest, Nesting::Objects) => {
            ("{\"a\": ", "}")
        }
        (Target::Workflow | Target::Config, Nesting::Objects) => ("{a: ", "}"),
        // A CSV cell holds text: no quotes or commas, so it stays one cell.
        (_, Nesting::Objects) => ("{a: ", "}"),
    };
    let inner = match (target, shape) {
        (Target::Workflow | Target::Config, Nesting::Parens) => "x",
        (Target::TerraformJson | Target::Arm, _) => "1",
        _ => "1",
    };
    let mut value = String::with_capacity((open.len() + close.len()) * depth + 8);
    for _ in 0..depth {
        value.push_str(open);
    }
    value.push_str(inner);
    for _ in 0..depth {
        value.push_str(close);
    }
    let text = match target {
        Target::Bicep => format!(
            "resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {{\n  name: 'st'\n  properties: {value}\n}}\n"
        ),
        Target::BicepParam => format!("using 'main.bicep'\nparam name = {value}\n"),
        Target::Terraform => format!(
            "resource \"azurerm_resource_group\" \"rg\" {{\n  name     = \"rg\"\n  location = \"westeurope\"\n  tags     = {value}\n}}\n"
        ),
        Target::TerraformJson => format!(
            "{{\"resource\": {{\"azurerm_resource_group\": {{\"rg\": {{\"name\": \"rg\", \"tags\": {value}}}}}}}}}"
        ),
        Target::Arm => format!(
            "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"resources\": [{{\"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"st\", \"properties\": {value}}}]}}"
        ),
        Target::Workflow => {
            format!("on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    with: {value}\n")
        }
        Target::Config => format!("program: {value}\n"),
        Target::CostCsv | Target::CostCsvGz | Target::CostParquet => cost_csv(&value),
        Target::CostManifest => {
            format!("{{\"blobs\": [{{\"blobName\": \"part_0_0001.csv\"}}], \"runInfo\": {value}}}")
        }
    };
    encode(target, text)
}

/// A FOCUS export of one row whose `ServiceName` cell is `cell`.
fn cost_csv(cell: &str) -> String {
    format!(
        "ChargePeriodStart,BilledCost,BillingCurrency,ChargeCategory,ServiceName\n2026-06-01T00:00:00Z,1.5,USD,Usage,{cell}\n"
    )
}

/// The file bytes for `text`: the text itself, or for the binary cost targets the CSV gzipped or as Parquet.
fn encode(target: Target, text: String) -> Vec<u8> {
    match target {
        Target::CostCsvGz => gzip(text.as_bytes()),
        Target::CostParquet => parquet_of_csv(&text),
        _ => text.into_bytes(),
    }
}

/// HCL nested blocks (`a {` on its own line, `depth` deep): a shape only Terraform has.
pub fn deep_hcl_blocks(depth: usize) -> Vec<u8> {
    let mut text = String::from("resource \"azurerm_resource_group\" \"rg\" {\n");
    for _ in 0..depth {
        text.push_str("dynamic {\n");
    }
    for _ in 0..depth {
        text.push_str("}\n");
    }
    text.push_str("}\n");
    text.into_bytes()
}

/// Block-style YAML mappings nested `depth` deep by indentation.
pub fn deep_yaml_blocks(depth: usize) -> Vec<u8> {
    let mut text = String::from("on: push\njobs:\n");
    for level in 0..depth {
        text.push_str(&" ".repeat(level + 2));
        text.push_str("a:\n");
    }
    text.into_bytes()
}

/// One line of about `len` bytes: a huge string literal in `target`'s syntax.
pub fn huge_line(target: Target, len: usize) -> Vec<u8> {
    let filler = "x".repeat(len);
    let text = match target {
        Target::Bicep => format!("var big = '{filler}'\n"),
        Target::BicepParam => format!("using 'main.bicep'\nparam name = '{filler}'\n"),
        Target::Terraform => format!("locals {{\n  big = \"{filler}\"\n}}\n"),
        Target::TerraformJson => format!("{{\"locals\": {{\"big\": \"{filler}\"}}}}"),
        Target::Arm => format!(
            "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"variables\": {{\"big\": \"{filler}\"}}, \"resources\": []}}"
        ),
        Target::Workflow => format!("on: push\nname: {filler}\njobs: {{}}\n"),
        Target::Config => format!("program:\n  name: {filler}\n"),
        Target::CostCsv | Target::CostCsvGz | Target::CostParquet => cost_csv(&filler),
        Target::CostManifest => format!("{{\"blobs\": [{{\"blobName\": \"{filler}\"}}]}}"),
    };
    encode(target, text)
}
