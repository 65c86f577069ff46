//! What a module instance gets from its caller: variable values from the `module` block's arguments, and
//! whether the block's `count` or `for_each` leaves it any instance at all.

use super::eval;
use super::parse::Decl;
use super::vars;
use crate::model::Condition;

/// One argument of a `module` block: its name, its value when known, and the azd placeholder it passes on
/// (`location = var.location` where `var.location` ← `${AZURE_LOCATION}`).
pub(super) type ModuleArg = (String, Option<hcl::Value>, Option<String>);

/// Whether a block's `count` or `for_each` leaves it any instance: `count` of 0 (`var.x ? 1 : 0` with `x`
/// false) or `for_each` over an empty collection is false; one that does not evaluate is unknown.
pub(super) fn block_condition(decl: &Decl, ctx: &hcl::eval::Context) -> Condition {
    if let Some(count) = decl.attr("count") {
        let n = match eval::evaluate(count, ctx) {
            Some(hcl::Value::Number(n)) => n.as_f64(),
            Some(hcl::Value::String(s)) => s.trim().parse().ok(),
            Some(hcl::Value::Bool(b)) => Some(f64::from(u8::from(b))),
            _ => None,
        };
        return Condition::from_known(n.map(|n| n > 0.0));
    }
    if let Some(for_each) = decl.attr("for_each") {
        let any = match eval::evaluate(for_each, ctx) {
            Some(hcl::Value::Array(items)) => Some(!items.is_empty()),
            Some(hcl::Value::Object(map)) => Some(!map.is_empty()),
            Some(hcl::Value::Null) => Some(false),
            _ => None,
        };
        return Condition::from_known(any);
    }
    Condition::None
}

/// A child module's variable values: its defaults, overridden by the caller's arguments; an argument that is
/// not statically known makes the variable unknown rather than leaving the default in place.
pub(super) fn child_values(
    declared: &vars::Variables,
    args: &[ModuleArg],
) -> hcl::Map<String, hcl::Value> {
    let mut values = declared.defaults.clone();
    for (name, value, _) in args {
        match value {
            Some(v) => {
                values.insert(name.clone(), v.clone());
            }
            None => {
                values.shift_remove(name);
            }
        }
    }
    values
}
