//! Environment values in parameter files: azd writes `"location": {"value": "${AZURE_LOCATION}"}` and
//! `"useAPIM": {"value": "${USE_APIM=false}"}` into `main.parameters.json` (and `main.tfvars.json`), and fills
//! them from the environment when it deploys. azengage never reads its own process environment (results must
//! not depend on the machine); the values it knows come from the deploy workflows' literal `env:` entries and
//! the config's `deploy.env` (both gathered into [`crate::iac::DeployPlan::env`]).
//!
//! `${VAR=default}` (also `:=`, `-`, `:-`, as azd's envsubst writes them) is its default, as the contract
//! fixes: the default is what the template's authors wrote for the deployment the repository describes, and
//! a value set somewhere else must not silently turn on what the file switches off. `${VAR}` without a
//! default takes the known value of `VAR`; anything else stays unknown and remembers the placeholder, so a
//! location can say where it would come from (`${AZURE_LOCATION}`).

#![warn(clippy::string_slice, clippy::indexing_slicing)]

use std::collections::BTreeMap;

/// A parameter-file string after substitution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Every placeholder had a value (or there were none).
    Known(String),
    /// A placeholder had no value: the first such placeholder, as `${NAME}`.
    Unknown(String),
}

/// Substitute every `${...}` placeholder in `text` with the values in `env`.
///
/// ```
/// use azengage::iac::env::{Resolved, substitute};
/// let env = [("AZURE_LOCATION".to_string(), "westeurope".to_string())].into();
/// assert_eq!(substitute("${AZURE_LOCATION}", &env), Resolved::Known("westeurope".into()));
/// assert_eq!(substitute("${USE_APIM=false}", &env), Resolved::Known("false".into()));
/// assert_eq!(substitute("rg-${AZURE_ENV_NAME}", &env), Resolved::Unknown("${AZURE_ENV_NAME}".into()));
/// ```
pub fn substitute(text: &str, env: &BTreeMap<String, String>) -> Resolved {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, after)) = rest.split_once("${") {
        let Some((inside, tail)) = after.split_once('}') else {
            break;
        };
        out.push_str(before);
        let Some((name, default)) = placeholder(inside) else {
            // Not a placeholder azd would expand (`${{ ... }}`, `${ }`): kept as written.
            out.push_str("${");
            rest = after;
            continue;
        };
        match default.or_else(|| env.get(name).map(String::as_str)) {
            Some(value) => out.push_str(value),
            None => return Resolved::Unknown(format!("${{{name}}}")),
        }
        rest = tail;
    }
    out.push_str(rest);
    Resolved::Known(out)
}

/// The variable and default of a placeholder's inside (`VAR`, `VAR=default`, `VAR:-default`, ...).
fn placeholder(inside: &str) -> Option<(&str, Option<&str>)> {
    let name_end = inside
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inside.len());
    let (name, operator) = inside.split_at_checked(name_end)?;
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if operator.is_empty() {
        return Some((name, None));
    }
    [":=", ":-", "=", "-"]
        .iter()
        .find_map(|op| operator.strip_prefix(op))
        .map(|default| (name, Some(default)))
}

/// The placeholder `text` is exactly (`${AZURE_LOCATION}`), when it is one and its variable is not known:
/// what a location that stays unknown says it comes from.
pub fn unknown_placeholder(text: &str, env: &BTreeMap<String, String>) -> Option<String> {
    match substitute(text, env) {
        Resolved::Unknown(p) if text.trim().starts_with("${") && text.trim().ends_with('}') => {
            Some(p)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn placeholders_take_written_defaults_then_known_values() {
        let e = env(&[("AZURE_LOCATION", "swedencentral"), ("USE_APIM", "true")]);
        let s = |t: &str| substitute(t, &e);
        assert_eq!(
            s("${AZURE_LOCATION}"),
            Resolved::Known("swedencentral".into())
        );
        // The written default wins over a value known for the variable (the contract's rule 5).
        assert_eq!(s("${USE_APIM=false}"), Resolved::Known("false".into()));
        assert_eq!(s("${USE_VECTORS=true}"), Resolved::Known("true".into()));
        assert_eq!(s("${SKU:-S1}"), Resolved::Known("S1".into()));
        assert_eq!(s("${EMPTY=}"), Resolved::Known(String::new()));
        assert_eq!(s("plain text"), Resolved::Known("plain text".into()));
        assert_eq!(
            s("${AZURE_ENV_NAME}-${AZURE_LOCATION}"),
            Resolved::Unknown("${AZURE_ENV_NAME}".into())
        );
        // GitHub expressions and malformed text are not azd placeholders.
        assert_eq!(s("${{ vars.X }}"), Resolved::Known("${{ vars.X }}".into()));
        assert_eq!(s("${unclosed"), Resolved::Known("${unclosed".into()));
    }

    #[test]
    fn an_unknown_whole_placeholder_names_itself() {
        let e = env(&[]);
        assert_eq!(
            unknown_placeholder("${AZURE_LOCATION}", &e).as_deref(),
            Some("${AZURE_LOCATION}")
        );
        assert_eq!(unknown_placeholder("${LOC=westus}", &e), None);
        assert_eq!(unknown_placeholder("rg-${AZURE_ENV_NAME}", &e), None);
    }
}
