//! Where a workflow deploys: regions it passes literally.
//!
//! Three places say it (contract): `--location`/`-l` arguments of what a step runs, `location:` inputs of
//! actions, and env entries named like `AZURE_LOCATION` with a literal value. Only values that name a physical
//! Azure region count, in canonical form (`West Europe` → `westeurope`); expressions do not resolve.

use super::tools::program;
use crate::catalog;

/// The canonical name of the physical region `value` names, if it names one.
pub fn region_name(value: &str) -> Option<&'static str> {
    catalog::region(value.trim())
        .filter(|r| r.physical)
        .map(|r| r.name)
}

/// True when an env entry's name says it holds a region (`AZURE_LOCATION`, `location`, `AWS_REGION`-style).
pub fn is_region_variable(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.contains("LOCATION") || upper.contains("REGION")
}

/// Regions from env entries named like a location (`AZURE_LOCATION: westeurope`).
pub fn from_env<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<&'static str> {
    entries
        .into_iter()
        .filter(|(name, _)| is_region_variable(name))
        .filter_map(|(_, value)| region_name(value))
        .collect()
}

/// Regions from action or reusable-workflow inputs: `location:` (and `region:`, as `azure/arm-deploy` names it).
pub fn from_inputs<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<&'static str> {
    entries
        .into_iter()
        .filter(|(name, _)| {
            name.eq_ignore_ascii_case("location") || name.eq_ignore_ascii_case("region")
        })
        .filter_map(|(_, value)| region_name(value))
        .collect()
}

/// Regions an Azure command passes as `--location x`, `-l x`, `--location=x` (`az`, `azd`), or `-Location x`
/// (Az PowerShell cmdlets). Other programs' `-l` means something else and is not read.
pub fn from_command(words: &[String]) -> Vec<&'static str> {
    let Some(first) = words.first() else {
        return Vec::new();
    };
    let name = program(first);
    let cmdlet = name
        .split_once('-')
        .is_some_and(|(_, noun)| noun.starts_with("az"));
    if !(name == "az" || name == "azd" || cmdlet) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut words_iter = words.iter().skip(1).peekable();
    while let Some(word) = words_iter.next() {
        let lower = word.to_ascii_lowercase();
        let flag_takes_next = if cmdlet {
            lower == "-location"
        } else {
            word == "--location" || word == "-l"
        };
        let inline = if cmdlet {
            lower
                .starts_with("-location:")
                .then(|| word.get("-location:".len()..))
                .flatten()
        } else {
            word.strip_prefix("--location=")
                .or_else(|| word.strip_prefix("-l="))
        };
        let value = match (flag_takes_next, inline) {
            (true, _) => words_iter.peek().map(|v| v.as_str()),
            (false, Some(v)) => Some(v),
            (false, None) => None,
        };
        found.extend(value.and_then(region_name));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn location_flags_of_az_and_azd() {
        assert_eq!(
            from_command(&words("az group create -n rg-web -l westeurope")),
            vec!["westeurope"]
        );
        assert_eq!(
            from_command(&words("az group create --name rg --location eastus2")),
            vec!["eastus2"]
        );
        assert_eq!(
            from_command(&words(
                "az deployment sub create --location=swedencentral -f main.bicep"
            )),
            vec!["swedencentral"]
        );
        assert_eq!(
            from_command(&words("azd env new dev --location westus3")),
            vec!["westus3"]
        );
        let cmdlet: Vec<String> = vec![
            "New-AzResourceGroup".into(),
            "-Location".into(),
            "West Europe".into(),
        ];
        assert_eq!(from_command(&cmdlet), vec!["westeurope"]);
    }

    #[test]
    fn other_programs_and_non_regions_are_ignored() {
        assert!(from_command(&words("ls -l eastus")).is_empty());
        assert!(from_command(&words("az group create -l $AZURE_LOCATION")).is_empty());
        assert!(from_command(&words("az group create -l ${{ inputs.location }}")).is_empty());
        assert!(from_command(&words("az group create -l global")).is_empty());
    }

    #[test]
    fn env_entries_named_like_a_location() {
        let env = [
            ("AZURE_LOCATION", "westeurope"),
            ("REGION", "East US"),
            ("APP_NAME", "eastus"),
            ("LOCATION", "${{ vars.X }}"),
        ];
        assert_eq!(from_env(env), vec!["westeurope", "eastus"]);
    }

    #[test]
    fn location_inputs() {
        assert_eq!(
            from_inputs([("location", "northeurope"), ("name", "westus")]),
            vec!["northeurope"]
        );
        assert_eq!(from_inputs([("region", "uksouth")]), vec!["uksouth"]);
    }
}
