//! Evaluating ARM expressions statically, as far as the template alone allows.
//!
//! Only what a file says can be known: parameter values (from a parameter file, a caller, or a literal
//! `defaultValue`), variables, and pure functions over them (`concat`, `format`, `toLower`, `if`, ...).
//! Anything that needs a deployment (`resourceGroup()`, `reference()`, `uniqueString()`, ...) is unknown:
//! evaluation returns `None` and the caller keeps the expression text. Every path is bounded by a work budget,
//! so cyclic variables or huge expressions end in `None`, not in a stack overflow.

use super::expr::{self, Expr, Written};
use serde_json::{Map, Value};

/// Where `parameters('x')` and `variables('x')` look their values up.
pub trait Scope {
    /// The value of parameter `name` (ARM names are case-insensitive) and whether it may hold expressions
    /// (a template's `defaultValue` may; a parameter file's value may not).
    fn parameter(&self, name: &str) -> Option<(Value, bool)>;
    /// The value of variable `name` as the template writes it (it may hold expressions).
    fn variable(&self, name: &str) -> Option<Value>;
}

/// Evaluation steps allowed for one top-level string; each call, member access and lookup costs at least one.
const BUDGET: usize = 200;
/// What following a parameter or variable costs: a cycle of lookups runs out quickly.
const LOOKUP_COST: usize = 20;

/// Read a JSON string as ARM does: a literal, or an expression evaluated in `scope`. `None` when unknown.
pub fn eval_string(s: &str, scope: &dyn Scope) -> Option<Value> {
    let mut budget = BUDGET;
    resolve(Value::String(s.to_string()), true, scope, &mut budget)
}

/// A value that may be an expression string: evaluate it; other values are returned as they are.
fn resolve(
    value: Value,
    expressions: bool,
    scope: &dyn Scope,
    budget: &mut usize,
) -> Option<Value> {
    let Value::String(s) = &value else {
        return Some(value);
    };
    if !expressions {
        return Some(value);
    }
    match expr::classify(s) {
        Written::Literal(text) => Some(Value::String(text.to_string())),
        Written::Expression(src) => eval(&expr::parse(src).ok()?, scope, budget),
    }
}

/// Evaluate a parsed expression.
pub fn eval(e: &Expr, scope: &dyn Scope, budget: &mut usize) -> Option<Value> {
    *budget = budget.checked_sub(1)?;
    match e {
        Expr::Str(s) => Some(Value::String(s.clone())),
        Expr::Int(i) => Some(Value::from(*i)),
        Expr::Bool(b) => Some(Value::Bool(*b)),
        Expr::Null => Some(Value::Null),
        Expr::Member(base, name) => {
            let base = eval(base, scope, budget)?;
            let found = member(&base, name)?;
            resolve(found, true, scope, budget)
        }
        Expr::Index(base, index) => {
            let base = eval(base, scope, budget)?;
            let found = match eval(index, scope, budget)? {
                Value::String(key) => member(&base, &key)?,
                Value::Number(n) => base
                    .as_array()?
                    .get(usize::try_from(n.as_u64()?).ok()?)?
                    .clone(),
                _ => return None,
            };
            resolve(found, true, scope, budget)
        }
        Expr::Call(name, args) => call(&name.to_ascii_lowercase(), args, scope, budget),
    }
}

/// `object.name`, compared case-insensitively as ARM does.
fn member(base: &Value, name: &str) -> Option<Value> {
    let map = base.as_object()?;
    map.get(name)
        .or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
        .cloned()
}

fn call(name: &str, args: &[Expr], scope: &dyn Scope, budget: &mut usize) -> Option<Value> {
    // Functions that must not evaluate every argument first.
    match name {
        "if" => {
            let condition = eval(args.first()?, scope, budget)?.as_bool()?;
            return eval(args.get(if condition { 1 } else { 2 })?, scope, budget);
        }
        "coalesce" => {
            for arg in args {
                let v = eval(arg, scope, budget)?;
                if !v.is_null() {
                    return Some(v);
                }
            }
            return Some(Value::Null);
        }
        _ => {}
    }
    let values = args
        .iter()
        .map(|a| eval(a, scope, budget))
        .collect::<Option<Vec<_>>>()?;
    match name {
        "parameters" | "variables" => lookup(name, values.first()?.as_str()?, scope, budget),
        _ => pure(name, &values),
    }
}

fn lookup(function: &str, key: &str, scope: &dyn Scope, budget: &mut usize) -> Option<Value> {
    *budget = budget.checked_sub(LOOKUP_COST)?;
    let (value, expressions) = if function == "parameters" {
        scope.parameter(key)?
    } else {
        (scope.variable(key)?, true)
    };
    resolve(value, expressions, scope, budget)
}

/// Functions whose result depends on their arguments only.
fn pure(name: &str, v: &[Value]) -> Option<Value> {
    let str_arg = |i: usize| v.get(i).and_then(Value::as_str);
    let text = |s: String| Some(Value::String(s));
    match name {
        "concat" => concat(v),
        "format" => {
            let texts: Vec<String> = v.get(1..)?.iter().map(to_text).collect();
            crate::iac::format::composite(str_arg(0)?, &texts).map(Value::String)
        }
        "tolower" => text(str_arg(0)?.to_lowercase()),
        "toupper" => text(str_arg(0)?.to_uppercase()),
        "trim" => text(str_arg(0)?.trim().to_string()),
        "string" => text(to_text(v.first()?)),
        "replace" => text(str_arg(0)?.replace(str_arg(1)?, str_arg(2)?)),
        "substring" => substring(
            str_arg(0)?,
            v.get(1).and_then(Value::as_u64)?,
            v.get(2).and_then(Value::as_u64),
        ),
        "split" => Some(Value::Array(
            str_arg(0)?.split(str_arg(1)?).map(Value::from).collect(),
        )),
        "startswith" => Some(Value::Bool(
            str_arg(0)?
                .to_lowercase()
                .starts_with(&str_arg(1)?.to_lowercase()),
        )),
        "endswith" => Some(Value::Bool(
            str_arg(0)?
                .to_lowercase()
                .ends_with(&str_arg(1)?.to_lowercase()),
        )),
        "equals" => Some(Value::Bool(v.first()? == v.get(1)?)),
        "not" => Some(Value::Bool(!v.first()?.as_bool()?)),
        "and" => v
            .iter()
            .map(Value::as_bool)
            .collect::<Option<Vec<_>>>()
            .map(|b| Value::Bool(b.iter().all(|&x| x))),
        "or" => v
            .iter()
            .map(Value::as_bool)
            .collect::<Option<Vec<_>>>()
            .map(|b| Value::Bool(b.iter().any(|&x| x))),
        "empty" => Some(Value::Bool(length(v.first()?).is_none_or(|n| n == 0))),
        "length" => length(v.first()?).map(Value::from),
        "first" => first_or_last(v.first()?, true),
        "last" => first_or_last(v.first()?, false),
        "contains" => contains(v.first()?, v.get(1)?),
        "createarray" => Some(Value::Array(v.to_vec())),
        "createobject" => create_object(v),
        "json" => serde_json::from_str(str_arg(0)?).ok(),
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        "null" => Some(Value::Null),
        "int" => to_text(v.first()?).parse::<i64>().ok().map(Value::from),
        "bool" => bool_of(v.first()?),
        "add" | "sub" | "mul" | "div" | "mod" => {
            arithmetic(name, v.first()?.as_i64()?, v.get(1)?.as_i64()?)
        }
        "tryget" => Some(
            v.get(1..)?
                .iter()
                .try_fold(v.first()?.clone(), |acc, k| match k {
                    Value::String(key) => member(&acc, key),
                    Value::Number(n) => acc
                        .as_array()?
                        .get(usize::try_from(n.as_u64()?).ok()?)
                        .cloned(),
                    _ => None,
                })
                .unwrap_or(Value::Null),
        ),
        _ => None,
    }
}

/// ARM's string form of a value: strings as they are, `True`/`False`, numbers, JSON for the rest.
fn to_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn concat(v: &[Value]) -> Option<Value> {
    if !v.is_empty() && v.iter().all(Value::is_array) {
        return Some(Value::Array(
            v.iter()
                .filter_map(Value::as_array)
                .flatten()
                .cloned()
                .collect(),
        ));
    }
    let mut out = String::new();
    for part in v {
        match part {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => out.push_str(&to_text(part)),
            _ => return None,
        }
    }
    Some(Value::String(out))
}

fn substring(s: &str, start: u64, len: Option<u64>) -> Option<Value> {
    let chars: Vec<char> = s.chars().collect();
    let start = usize::try_from(start).ok()?;
    let end = match len {
        Some(n) => start.checked_add(usize::try_from(n).ok()?)?,
        None => chars.len(),
    };
    chars
        .get(start..end)
        .map(|c| Value::String(c.iter().collect()))
}

fn length(v: &Value) -> Option<usize> {
    match v {
        Value::String(s) => Some(s.chars().count()),
        Value::Array(a) => Some(a.len()),
        Value::Object(o) => Some(o.len()),
        Value::Null => Some(0),
        _ => None,
    }
}

fn first_or_last(v: &Value, first: bool) -> Option<Value> {
    match v {
        Value::Array(a) => Some(
            (if first { a.first() } else { a.last() })
                .cloned()
                .unwrap_or(Value::Null),
        ),
        Value::String(s) => {
            let c = if first {
                s.chars().next()
            } else {
                s.chars().last()
            };
            Some(Value::String(c.map(String::from).unwrap_or_default()))
        }
        _ => None,
    }
}

fn contains(container: &Value, item: &Value) -> Option<Value> {
    let hit = match container {
        Value::String(s) => s.to_lowercase().contains(&item.as_str()?.to_lowercase()),
        Value::Array(a) => a.contains(item),
        Value::Object(o) => o
            .keys()
            .any(|k| k.eq_ignore_ascii_case(item.as_str().unwrap_or_default())),
        _ => return None,
    };
    Some(Value::Bool(hit))
}

fn create_object(v: &[Value]) -> Option<Value> {
    let mut map = Map::new();
    for pair in v.chunks(2) {
        let [key, value] = pair else { return None };
        map.insert(key.as_str()?.to_string(), value.clone());
    }
    Some(Value::Object(map))
}

/// Integer arithmetic as ARM does it; overflow and division by zero are unknown rather than a panic.
fn arithmetic(name: &str, a: i64, b: i64) -> Option<Value> {
    let result = match name {
        "add" => a.checked_add(b),
        "sub" => a.checked_sub(b),
        "mul" => a.checked_mul(b),
        "div" => a.checked_div(b),
        _ => a.checked_rem(b),
    };
    result.map(Value::from)
}

fn bool_of(v: &Value) -> Option<Value> {
    match v {
        Value::Bool(b) => Some(Value::Bool(*b)),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
        Value::Number(n) => Some(Value::Bool(n.as_i64() != Some(0))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Parameters and variables from JSON objects, as a template and a parameter file would give them.
    struct TestScope {
        supplied: Value,
        defaults: Value,
        variables: Value,
    }

    impl Scope for TestScope {
        fn parameter(&self, name: &str) -> Option<(Value, bool)> {
            member(&self.supplied, name)
                .map(|v| (v, false))
                .or_else(|| member(&self.defaults, name).map(|v| (v, true)))
        }
        fn variable(&self, name: &str) -> Option<Value> {
            member(&self.variables, name)
        }
    }

    fn scope() -> TestScope {
        TestScope {
            supplied: json!({ "location": "West Europe", "literalBracket": "[not evaluated]" }),
            defaults: json!({
                "prefix": "Contoso",
                "env": "[variables('environment')]",
                "rgLocation": "[resourceGroup().location]",
                "config": { "primary": "northeurope", "regions": ["eastus", "westus2"], "derived": "[parameters('prefix')]" }
            }),
            variables: json!({
                "environment": "prod",
                "loop": "[variables('loop')]",
                "pingPong": "[variables('pongPing')]",
                "pongPing": "[concat(variables('pingPong'), 'x')]",
                "location": "[toLower(replace(parameters('location'), ' ', ''))]"
            }),
        }
    }

    fn eval_str(s: &str) -> Option<Value> {
        eval_string(s, &scope())
    }

    #[test]
    fn literals_and_escapes() {
        assert_eq!(eval_str("westeurope"), Some(json!("westeurope")));
        assert_eq!(
            eval_str("[[resourceGroup().location]"),
            Some(json!("[resourceGroup().location]"))
        );
        assert_eq!(eval_str("['it''s']"), Some(json!("it's")));
    }

    #[test]
    fn parameters_from_file_defaults_and_variables() {
        assert_eq!(
            eval_str("[parameters('LOCATION')]"),
            Some(json!("West Europe"))
        );
        assert_eq!(
            eval_str("[parameters('literalBracket')]"),
            Some(json!("[not evaluated]"))
        );
        assert_eq!(eval_str("[parameters('env')]"), Some(json!("prod")));
        assert_eq!(
            eval_str("[variables('location')]"),
            Some(json!("westeurope"))
        );
        assert_eq!(eval_str("[parameters('missing')]"), None);
    }

    #[test]
    fn string_functions() {
        assert_eq!(
            eval_str("[toLower(concat(parameters('prefix'), '-', variables('environment')))]"),
            Some(json!("contoso-prod"))
        );
        assert_eq!(
            eval_str("[format('{0}-{1}-{{x}}', parameters('prefix'), 3)]"),
            Some(json!("Contoso-3-{x}"))
        );
        assert_eq!(eval_str("[format('{0:N0}', 'a', 'b')]"), Some(json!("a")));
        assert_eq!(eval_str("[format('{2}', 'a')]"), None);
        assert_eq!(
            eval_str("[toUpper(substring('westeurope', 0, 4))]"),
            Some(json!("WEST"))
        );
        assert_eq!(eval_str("[substring('abc', 2, 5)]"), None);
        assert_eq!(eval_str("[string(true)]"), Some(json!("True")));
        assert_eq!(
            eval_str("[concat(createArray('a'), createArray('b'))]"),
            Some(json!(["a", "b"]))
        );
    }

    #[test]
    fn member_index_and_logic() {
        assert_eq!(
            eval_str("[parameters('config').primary]"),
            Some(json!("northeurope"))
        );
        assert_eq!(
            eval_str("[parameters('config').regions[1]]"),
            Some(json!("westus2"))
        );
        assert_eq!(
            eval_str("[parameters('config')['Regions'][0]]"),
            Some(json!("eastus"))
        );
        assert_eq!(
            eval_str("[parameters('config').derived]"),
            Some(json!("Contoso"))
        );
        assert_eq!(
            eval_str("[first(parameters('config').regions)]"),
            Some(json!("eastus"))
        );
        assert_eq!(
            eval_str("[if(equals(variables('environment'), 'prod'), 'westeurope', 'eastus')]"),
            Some(json!("westeurope"))
        );
        assert_eq!(
            eval_str("[if(not(empty(parameters('prefix'))), 'yes', resourceGroup().location)]"),
            Some(json!("yes"))
        );
        assert_eq!(
            eval_str("[coalesce(null(), 'fallback')]"),
            Some(json!("fallback"))
        );
        assert_eq!(
            eval_str("[tryGet(parameters('config'), 'nothing')]"),
            Some(Value::Null)
        );
    }

    #[test]
    fn deployment_time_values_are_unknown() {
        assert_eq!(eval_str("[resourceGroup().location]"), None);
        assert_eq!(eval_str("[parameters('rgLocation')]"), None);
        assert_eq!(
            eval_str("[concat('x', uniqueString(resourceGroup().id))]"),
            None
        );
        assert_eq!(eval_str("[reference('st').primaryEndpoints.blob]"), None);
        assert_eq!(eval_str("[deployment().location]"), None);
    }

    #[test]
    fn cycles_and_garbage_end_without_panic() {
        assert_eq!(eval_str("[variables('loop')]"), None);
        assert_eq!(eval_str("[variables('pingPong')]"), None);
        assert_eq!(eval_str("[concat(]"), None);
        assert_eq!(eval_str("[parameters(1)]"), None);
        assert_eq!(eval_str("[int('x')]"), None);
        let wide = format!("[concat({})]", vec!["'a'"; 5_000].join(","));
        assert_eq!(
            eval_str(&wide),
            None,
            "the work budget bounds wide expressions too"
        );
    }
}
