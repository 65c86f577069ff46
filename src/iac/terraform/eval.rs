//! Static evaluation of Terraform expressions, as far as the source alone allows.
//!
//! A [`Scope`] holds what a module instance's expressions can see: `var.*`, `local.*`, the `name`/`location`
//! of its resources and data sources, the outputs of its local modules (`module.*`), and `path.module`.
//! [`settle`] fills locals and resource attributes to a fixed point (they refer to each other in any
//! order). Anything that depends on what only `terraform apply` knows (`each.value`, a data source's answer,
//! an unset variable) fails to evaluate and stays unknown: the caller then reports the expression as written. A handful of pure string functions (`lower`, `format`,
//! `replace`, `coalesce`, `lookup`, `merge`, ...) are provided because region and name expressions use them.

use super::parse::ParsedFile;
use hcl::Value;
use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use std::collections::BTreeMap;

/// Resource attributes recorded for references like `azurerm_resource_group.main.location`.
const RECORDED_ATTRS: &[&str] = &["name", "location", "resource_group_name"];

/// How many rounds [`settle`] makes at most (each round resolves at least one more level of references).
const MAX_ROUNDS: usize = 12;

/// What the expressions of one module instance can refer to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    /// `var.*`: known input values (an unknown variable is absent).
    pub vars: hcl::Map<String, Value>,
    /// `local.*` that could be evaluated.
    pub locals: hcl::Map<String, Value>,
    /// Managed resources: type → name → recorded attributes.
    pub resources: BTreeMap<String, hcl::Map<String, Value>>,
    /// Data sources: type → name → recorded attributes.
    pub data: BTreeMap<String, hcl::Map<String, Value>>,
    /// How blocks with `count` or `for_each` are referred to (`x[0]`, `x["key"]`).
    pub shapes: BTreeMap<BlockKey, Shape>,
    /// `module.*`: outputs of followed local modules.
    pub modules: hcl::Map<String, Value>,
    /// `path.module`.
    pub module_path: String,
}

/// A resource or data block: (is data, type, name).
pub(crate) type BlockKey = (bool, String, String);

/// How references index a repeated block. Every instance is given the block's recorded attributes, which
/// holds for everything that does not use `count.index` or `each` (and those do not evaluate anyway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `count = n`: `x[0]` to `x[n-1]` (one instance while `n` is unknown: a reference implies it exists).
    Count(usize),
    /// `for_each`: `x["key"]` for each known key (none while the collection is unknown).
    ForEach(Vec<String>),
}

/// More instances than this are not materialised (the attributes are the same for all of them).
const MAX_INSTANCES: usize = 64;

impl Scope {
    /// An evaluation context holding everything known so far.
    pub fn context(&self) -> Context<'static> {
        let mut ctx = Context::new();
        ctx.declare_var("var", Value::Object(self.vars.clone()));
        ctx.declare_var("local", Value::Object(self.locals.clone()));
        for (ty, by_name) in &self.resources {
            if let Ok(ident) = hcl::Identifier::new(ty.as_str()) {
                ctx.declare_var(ident, self.shaped(false, ty, by_name));
            }
        }
        let data: hcl::Map<String, Value> = self
            .data
            .iter()
            .map(|(ty, by_name)| (ty.clone(), self.shaped(true, ty, by_name)))
            .collect();
        ctx.declare_var("data", Value::Object(data));
        ctx.declare_var("module", Value::Object(self.modules.clone()));
        let mut path = hcl::Map::new();
        path.insert(
            "module".to_string(),
            Value::String(self.module_path.clone()),
        );
        path.insert("root".to_string(), Value::String(".".into()));
        path.insert("cwd".to_string(), Value::String(".".into()));
        ctx.declare_var("path", Value::Object(path));
        declare_functions(&mut ctx);
        ctx
    }

    /// The blocks of one type as references see them: plain, a list (`count`) or a map (`for_each`).
    fn shaped(&self, data: bool, ty: &str, by_name: &hcl::Map<String, Value>) -> Value {
        let shaped = by_name.iter().map(|(name, attrs)| {
            let key = (data, ty.to_string(), name.clone());
            let value = match self.shapes.get(&key) {
                None => attrs.clone(),
                Some(Shape::Count(n)) => Value::Array(vec![attrs.clone(); (*n).min(MAX_INSTANCES)]),
                Some(Shape::ForEach(keys)) => {
                    let instances = keys.iter().take(MAX_INSTANCES);
                    Value::Object(instances.map(|k| (k.clone(), attrs.clone())).collect())
                }
            };
            (name.clone(), value)
        });
        Value::Object(shaped.collect())
    }
}

/// The value of an expression, or `None` when it depends on something unknown.
pub(crate) fn evaluate(expr: &hcl::Expression, ctx: &Context) -> Option<Value> {
    expr.evaluate(ctx).ok()
}

/// What one pending evaluation writes to.
#[derive(Clone)]
enum Target {
    Local(String),
    Attr(BlockKey, String),
    Count(BlockKey),
    ForEach(BlockKey),
}

/// Evaluate the locals and the recorded resource attributes of `files` into `scope`, round after round, until
/// nothing more resolves.
pub(crate) fn settle(scope: &mut Scope, files: &[&ParsedFile]) {
    let mut pending: Vec<(Target, &hcl::Expression)> = Vec::new();
    for decl in files.iter().flat_map(|f| &f.decls) {
        match decl.keyword.as_str() {
            "locals" => {
                for attr in decl.body.attributes() {
                    pending.push((Target::Local(attr.key().to_string()), attr.expr()));
                }
            }
            "resource" | "data" if decl.labels.len() == 2 => {
                let key: BlockKey = (
                    decl.keyword == "data",
                    decl.label(0).into(),
                    decl.label(1).into(),
                );
                let table = if key.0 {
                    &mut scope.data
                } else {
                    &mut scope.resources
                };
                let by_name = table.entry(key.1.clone()).or_default();
                by_name
                    .entry(key.2.clone())
                    .or_insert_with(|| Value::Object(hcl::Map::new()));
                if let Some(count) = decl.attr("count") {
                    scope.shapes.entry(key.clone()).or_insert(Shape::Count(1));
                    pending.push((Target::Count(key.clone()), count));
                } else if let Some(for_each) = decl.attr("for_each") {
                    scope
                        .shapes
                        .entry(key.clone())
                        .or_insert(Shape::ForEach(Vec::new()));
                    pending.push((Target::ForEach(key.clone()), for_each));
                }
                for attr in RECORDED_ATTRS {
                    if let Some(expr) = decl.attr(attr) {
                        pending.push((Target::Attr(key.clone(), attr.to_string()), expr));
                    }
                }
            }
            _ => {}
        }
    }
    for _ in 0..MAX_ROUNDS {
        let ctx = scope.context();
        let mut resolved = Vec::new();
        pending.retain(|(target, expr)| match evaluate(expr, &ctx) {
            Some(value) => {
                resolved.push((target.clone(), value));
                false
            }
            None => true,
        });
        if resolved.is_empty() {
            break;
        }
        for (target, value) in resolved {
            apply(scope, target, value);
        }
    }
}

fn apply(scope: &mut Scope, target: Target, value: Value) {
    match target {
        Target::Local(name) => {
            scope.locals.insert(name, value);
        }
        Target::Attr((data, ty, name), attr) => {
            let table = if data {
                &mut scope.data
            } else {
                &mut scope.resources
            };
            if let Some(Value::Object(attrs)) = table.entry(ty).or_default().get_mut(&name) {
                attrs.insert(attr, value);
            }
        }
        Target::Count(key) => {
            let n = value
                .as_u64()
                .map_or(1, |n| n.min(MAX_INSTANCES as u64) as usize);
            scope.shapes.insert(key, Shape::Count(n));
        }
        Target::ForEach(key) => {
            let keys = match value {
                Value::Object(map) => map.into_keys().collect(),
                Value::Array(items) => items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            };
            scope.shapes.insert(key, Shape::ForEach(keys));
        }
    }
}

fn declare_functions(ctx: &mut Context) {
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
                other => other.to_string(),
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
    use super::*;
    use crate::iac::terraform::parse::parse_hcl;

    fn parsed(text: &str) -> ParsedFile {
        ParsedFile {
            path: "main.tf".into(),
            file: "main.tf".into(),
            decls: parse_hcl("main.tf", text, &mut vec![]),
        }
    }

    fn eval_str(scope: &Scope, expr: &str) -> Option<String> {
        let expr: hcl::Expression = expr.parse().ok()?;
        evaluate(&expr, &scope.context()).and_then(|v| v.as_str().map(str::to_string))
    }

    #[test]
    fn locals_and_resources_settle_in_any_order() {
        let file = parsed(
            r#"
resource "azurerm_storage_account" "sa" {
  name     = "st${local.suffix}"
  location = azurerm_resource_group.main.location
}
locals {
  suffix = lower(local.env)
  env    = "PROD"
  region = format("%s%s", "west", "europe")
}
resource "azurerm_resource_group" "main" {
  name     = "rg-${local.suffix}"
  location = local.region
}
"#,
        );
        let mut scope = Scope::default();
        settle(&mut scope, &[&file]);
        assert_eq!(
            eval_str(&scope, "azurerm_storage_account.sa.location").as_deref(),
            Some("westeurope")
        );
        assert_eq!(
            eval_str(&scope, "azurerm_storage_account.sa.name").as_deref(),
            Some("stprod")
        );
        assert_eq!(
            eval_str(&scope, "azurerm_resource_group.main.name").as_deref(),
            Some("rg-prod")
        );
    }

    #[test]
    fn count_and_for_each_blocks_are_indexed() {
        let file = parsed(
            r#"
variable "create" {
  default = true
}
resource "azurerm_resource_group" "counted" {
  count    = var.create ? 1 : 0
  location = "westeurope"
}
resource "azurerm_resource_group" "unknown_count" {
  count    = length(data.x.y.ids)
  location = "uksouth"
}
resource "azurerm_resource_group" "each" {
  for_each = toset(["a", "b"])
  location = "northeurope"
}
resource "azurerm_resource_group" "map" {
  for_each = { dev = 1, prod = 2 }
  location = "eastus"
}
"#,
        );
        let mut scope = Scope::default();
        scope.vars.insert("create".into(), Value::Bool(true));
        settle(&mut scope, &[&file]);
        let get = |e: &str| eval_str(&scope, e);
        assert_eq!(
            get("azurerm_resource_group.counted[0].location").as_deref(),
            Some("westeurope")
        );
        assert_eq!(get("azurerm_resource_group.counted[1].location"), None);
        assert_eq!(
            get("azurerm_resource_group.unknown_count[0].location").as_deref(),
            Some("uksouth")
        );
        assert_eq!(
            get("azurerm_resource_group.map[\"prod\"].location").as_deref(),
            Some("eastus")
        );
        assert_eq!(
            get("azurerm_resource_group.each[\"b\"].location").as_deref(),
            Some("northeurope")
        );
        assert_eq!(get("azurerm_resource_group.each[\"c\"].location"), None);
    }

    #[test]
    fn unknown_inputs_stay_unknown() {
        let file = parsed("locals {\n  region = var.location\n  named = each.value.location\n}\n");
        let mut scope = Scope::default();
        settle(&mut scope, &[&file]);
        assert!(scope.locals.is_empty());
        scope
            .vars
            .insert("location".into(), Value::String("West Europe".into()));
        settle(&mut scope, &[&file]);
        assert_eq!(
            scope.locals.get("region").and_then(Value::as_str),
            Some("West Europe")
        );
        assert!(!scope.locals.contains_key("named"));
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
