//! Where a block deploys: its `location` argument evaluated and normalised to a canonical region name.
//!
//! The azurerm provider lower-cases locations and drops spaces (`West Europe` → `westeurope`); the catalog's
//! alias table does the same and knows the few irregular names. A value that names no region is almost always
//! a typo, so it gets a warning naming the nearest region instead of silently counting nowhere.

use super::eval;
use super::parse::Decl;
use crate::iac::region::{self, RegionValue};
use crate::model::Diagnostic;
use hcl::Value;

/// A block's location as resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Located {
    /// Canonical region name, when the expression resolves to one.
    pub location: Option<String>,
    /// The expression as written, whenever the block has a `location` argument.
    pub expr: Option<String>,
}

/// Resolve the `location` argument of `decl` in `ctx`; a string that is not a region adds an
/// `unknown-region` warning to `diags`. A location that is exactly a variable left unknown by an azd
/// placeholder (`placeholders`) says so: its `expr` is the placeholder (`${AZURE_LOCATION}`).
pub(crate) fn resolve(
    decl: &Decl,
    file: &str,
    ctx: &hcl::eval::Context,
    placeholders: &std::collections::BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Located {
    let Some(expr) = decl.attr("location") else {
        return Located::default();
    };
    let written = decl.attr_text("location");
    let text = written.map_or_else(String::new, |w| w.text.clone());
    let (line, column) = written.map_or((decl.line, 0), |w| (w.line, w.column));
    let evaluated = eval::evaluate(expr, ctx);
    // A value still holding an azd placeholder (nested in an object variable) is filled in at deployment.
    let nested = match &evaluated {
        Some(Value::String(s)) => crate::iac::env::unknown_placeholder(s, &Default::default()),
        _ => None,
    };
    let location = match evaluated {
        Some(Value::String(s)) if nested.is_none() && !s.contains("${") => {
            region_or_warn(&s, file, line, column, diags)
        }
        _ => None,
    };
    let placeholder = text
        .trim()
        .strip_prefix("var.")
        .and_then(|name| placeholders.get(name))
        .cloned()
        .or(nested)
        .filter(|_| location.is_none());
    Located {
        location,
        expr: Some(placeholder.unwrap_or(text)),
    }
}

/// The canonical name of a region string, or `None` with a warning when it names none.
pub(crate) fn region_or_warn(
    value: &str,
    file: &str,
    line: u32,
    column: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match region::resolve(value) {
        RegionValue::Region(name) => Some(name),
        RegionValue::NotARegion(message) => {
            diags.push(region::unknown_region(file, line, column, message));
            None
        }
        RegionValue::Later => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::terraform::parse::parse_hcl;

    fn locate(text: &str, scope: &eval::Scope) -> (Located, Vec<Diagnostic>) {
        let decls = parse_hcl("main.tf", text, &mut vec![]);
        let mut diags = vec![];
        let located = resolve(
            &decls[0],
            "main.tf",
            &scope.context(),
            &scope.placeholders,
            &mut diags,
        );
        (located, diags)
    }

    #[test]
    fn literals_display_names_and_variables_resolve() {
        let mut scope = eval::Scope::default();
        scope
            .vars
            .insert("region".into(), Value::String("North Europe".into()));
        let (l, d) = locate(
            "resource \"azurerm_resource_group\" \"a\" {\n  location = \"West Europe\"\n}\n",
            &scope,
        );
        assert_eq!(
            l,
            Located {
                location: Some("westeurope".into()),
                expr: Some("\"West Europe\"".into())
            }
        );
        assert!(d.is_empty());
        let (l, _) = locate(
            "resource \"x\" \"a\" {\n  location = lower(\"${var.region}\")\n}\n",
            &scope,
        );
        assert_eq!(l.location.as_deref(), Some("northeurope"));
        assert_eq!(l.expr.as_deref(), Some("lower(\"${var.region}\")"));
    }

    #[test]
    fn unresolvable_keeps_the_expression() {
        let scope = eval::Scope::default();
        let (l, d) = locate(
            "resource \"x\" \"a\" {\n  location = data.azurerm_resource_group.rg.location\n}\n",
            &scope,
        );
        assert_eq!(l.location, None);
        assert_eq!(
            l.expr.as_deref(),
            Some("data.azurerm_resource_group.rg.location")
        );
        assert!(d.is_empty());
        let (l, _) = locate("resource \"x\" \"a\" {\n  name = \"n\"\n}\n", &scope);
        assert_eq!(l, Located::default());
    }

    #[test]
    fn misspelled_region_warns_with_the_nearest_name() {
        let (l, d) = locate(
            "resource \"x\" \"a\" {\n  location = \"westeurop\"\n}\n",
            &eval::Scope::default(),
        );
        assert_eq!(l.location, None);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].code.as_str(), d[0].line, d[0].column),
            ("unknown-region", 2, 14)
        );
        assert_eq!(
            d[0].message,
            "'westeurop' is not an Azure region (did you mean 'westeurope'?)"
        );
    }
}
