//! The Terraform functions that static evaluation supports: pure string and collection functions that
//! region and name expressions use (`lower`, `format`, `replace`, `coalesce`, `lookup`, `merge`, `toset`,
//! ...). Anything else is an unknown function, and the expression using it stays unresolved.

use hcl::Value;
use hcl::eval::{Context, FuncArgs, FuncDef, ParamType};

/// Declare the supported functions in `ctx`.
pub(crate) fn declare(ctx: &mut Context) {
    let variadic = |f| FuncDef::builder().variadic_param(ParamType::Any).build(f);
    let funcs: [(&str, hcl::eval::Func); 17] = [
        ("lower", f_lower),
        ("upper", f_upper),
        ("trimspace", f_trimspace),
        ("replace", f_replace),
        ("format", f_format),
        ("coalesce", f_coalesce),
        ("lookup", f_lookup),
        ("join", f_join),
        ("tostring", f_tostring),
        ("merge", f_merge),
        ("element", f_element),
        ("substr", f_substr),
        ("trimprefix", f_trimprefix),
        ("trimsuffix", f_trimsuffix),
        ("toset", f_toset),
        ("tolist", f_collection),
        ("tomap", f_collection),
    ];
    for (name, func) in funcs {
        ctx.declare_func(name, variadic(func));
    }
}

/// Argument `i` as a string (numbers and booleans convert, as in Terraform).
fn arg_str(args: &FuncArgs, i: usize) -> Result<String, String> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(Value::Bool(b)) => Ok(b.to_string()),
        _ => Err(format!("argument {} must be a string", i + 1)),
    }
}

fn f_lower(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::String(arg_str(&args, 0)?.to_lowercase()))
}

fn f_upper(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::String(arg_str(&args, 0)?.to_uppercase()))
}

fn f_trimspace(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::String(arg_str(&args, 0)?.trim().to_string()))
}

fn f_tostring(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::String(arg_str(&args, 0)?))
}

fn f_trimprefix(args: FuncArgs) -> Result<Value, String> {
    let (s, prefix) = (arg_str(&args, 0)?, arg_str(&args, 1)?);
    Ok(Value::String(
        s.strip_prefix(prefix.as_str()).unwrap_or(&s).to_string(),
    ))
}

fn f_trimsuffix(args: FuncArgs) -> Result<Value, String> {
    let (s, suffix) = (arg_str(&args, 0)?, arg_str(&args, 1)?);
    Ok(Value::String(
        s.strip_suffix(suffix.as_str()).unwrap_or(&s).to_string(),
    ))
}

fn f_replace(args: FuncArgs) -> Result<Value, String> {
    let (s, from, to) = (arg_str(&args, 0)?, arg_str(&args, 1)?, arg_str(&args, 2)?);
    if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
        return Err("regular expressions are not evaluated".into());
    }
    Ok(Value::String(s.replace(&from, &to)))
}

fn f_substr(args: FuncArgs) -> Result<Value, String> {
    let s: Vec<char> = arg_str(&args, 0)?.chars().collect();
    let number = |i: usize| {
        args.get(i)
            .and_then(Value::as_i64)
            .ok_or("offset and length must be numbers")
    };
    let offset = usize::try_from(number(1)?).map_err(|_| "negative offset")?;
    let length = number(2)?;
    let end = if length < 0 {
        s.len()
    } else {
        offset.saturating_add(length as usize).min(s.len())
    };
    Ok(Value::String(
        s.get(offset.min(end)..end)
            .unwrap_or_default()
            .iter()
            .collect(),
    ))
}

/// `format` with the verbs names use: `%s`, `%d`, `%v` and `%%`.
fn f_format(args: FuncArgs) -> Result<Value, String> {
    let spec = arg_str(&args, 0)?;
    let mut out = String::new();
    let mut next = 1;
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd' | 'v') => {
                out.push_str(&arg_str(&args, next)?);
                next += 1;
            }
            _ => return Err("unsupported format verb".into()),
        }
    }
    Ok(Value::String(out))
}

fn f_coalesce(args: FuncArgs) -> Result<Value, String> {
    args.iter()
        .find(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
        .cloned()
        .ok_or_else(|| "no non-null argument".into())
}

fn f_lookup(args: FuncArgs) -> Result<Value, String> {
    let key = arg_str(&args, 1)?;
    match args.first() {
        Some(Value::Object(map)) => map
            .get(&key)
            .or(args.get(2))
            .cloned()
            .ok_or_else(|| format!("no key {key:?} and no default")),
        _ => Err("lookup needs a map".into()),
    }
}

fn f_join(args: FuncArgs) -> Result<Value, String> {
    let sep = arg_str(&args, 0)?;
    let mut parts = Vec::new();
    for list in args.iter().skip(1) {
        for item in list.as_array().ok_or("join needs lists")? {
            parts.push(match item {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return Err("join needs lists of strings".into()),
            });
        }
    }
    Ok(Value::String(parts.join(&sep)))
}

fn f_merge(args: FuncArgs) -> Result<Value, String> {
    let mut merged = hcl::Map::new();
    for arg in args.iter() {
        match arg {
            Value::Object(map) => merged.extend(map.clone()),
            Value::Null => {}
            _ => return Err("merge needs maps".into()),
        }
    }
    Ok(Value::Object(merged))
}

/// `tolist`, `tomap`: the collection itself.
fn f_collection(args: FuncArgs) -> Result<Value, String> {
    match args.first() {
        Some(value @ (Value::Array(_) | Value::Object(_))) => Ok(value.clone()),
        _ => Err("a collection is needed".into()),
    }
}

/// `toset`: the first occurrence of each element, in order.
fn f_toset(args: FuncArgs) -> Result<Value, String> {
    let items = args
        .first()
        .and_then(Value::as_array)
        .ok_or("toset needs a list")?;
    let mut unique: Vec<Value> = Vec::new();
    for item in items {
        if !unique.contains(item) {
            unique.push(item.clone());
        }
    }
    Ok(Value::Array(unique))
}

fn f_element(args: FuncArgs) -> Result<Value, String> {
    let list = args
        .first()
        .and_then(Value::as_array)
        .ok_or("element needs a list")?;
    let index = args
        .get(1)
        .and_then(Value::as_u64)
        .ok_or("element needs an index")?;
    if list.is_empty() {
        return Err("empty list".into());
    }
    list.get(index as usize % list.len())
        .cloned()
        .ok_or_else(|| "index out of range".into())
}

#[cfg(test)]
mod tests {
    use crate::iac::terraform::eval::{Scope, evaluate};

    fn eval_str(scope: &Scope, expr: &str) -> Option<String> {
        let expr: hcl::Expression = expr.parse().ok()?;
        evaluate(&expr, &scope.context()).and_then(|v| v.as_str().map(str::to_string))
    }

    #[test]
    fn string_functions() {
        let scope = Scope::default();
        assert_eq!(
            eval_str(&scope, r#"upper(trimspace(" ab "))"#).as_deref(),
            Some("AB")
        );
        assert_eq!(
            eval_str(&scope, r#"replace("West Europe", " ", "")"#).as_deref(),
            Some("WestEurope")
        );
        assert_eq!(
            eval_str(&scope, r#"coalesce(null, "", "x")"#).as_deref(),
            Some("x")
        );
        assert_eq!(
            eval_str(&scope, r#"lookup({a = "1"}, "b", "d")"#).as_deref(),
            Some("d")
        );
        assert_eq!(
            eval_str(&scope, r#"join("-", ["a", "b"], ["c"])"#).as_deref(),
            Some("a-b-c")
        );
        assert_eq!(
            eval_str(&scope, r#"substr("westeurope", 0, 4)"#).as_deref(),
            Some("west")
        );
        assert_eq!(
            eval_str(&scope, r#"element(["a", "b"], 3)"#).as_deref(),
            Some("b")
        );
        assert_eq!(
            eval_str(&scope, r#"merge({a = "x"}, {a = "y"}).a"#).as_deref(),
            Some("y")
        );
        assert_eq!(
            eval_str(&scope, r#"format("%d%%", 5)"#).as_deref(),
            Some("5%")
        );
        assert_eq!(eval_str(&scope, r#"replace("a", "/a/", "b")"#), None);
    }
}
