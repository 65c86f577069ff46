//! Static evaluation of Terraform expressions, as far as the source alone allows.
//!
//! A [`Scope`] holds what a module instance's expressions can see: `var.*`, `local.*`, the `name`/`location`
//! of its resources and data sources, the outputs of its local modules (`module.*`), and `path.module`.
//! [`settle`] fills locals and resource attributes to a fixed point (they refer to each other in any
//! order). Anything that depends on what only `terraform apply` knows (`each.value`, a data source's answer,
//! an unset variable) fails to evaluate and stays unknown: the caller then reports the expression as written.
//! Blocks with `count`/`for_each` are referable as `x[0]` / `x["key"]`; functions are in [`super::funcs`].

use super::funcs;
use super::parse::ParsedFile;
use hcl::Value;
use hcl::eval::{Context, Evaluate};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock};

/// The supported functions, declared once: every [`Scope::context`] starts from a copy.
static FUNCTIONS: LazyLock<Context<'static>> = LazyLock::new(|| {
    let mut ctx = Context::new();
    funcs::declare(&mut ctx);
    ctx
});

/// The context of an empty scope (variable defaults and variable files evaluate in it), built once.
static EMPTY: LazyLock<Context<'static>> = LazyLock::new(|| Scope::default().context());

/// The context of an empty scope: functions and the empty `var`, `local`, `data`, `module` and `path` objects.
pub(crate) fn empty_context() -> &'static Context<'static> {
    &EMPTY
}

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
    /// Resource groups the scanned code creates: lower-case name → region. A
    /// `data "azurerm_resource_group"` whose `name` is one of them takes its location.
    pub known_groups: Arc<HashMap<String, String>>,
    /// `path.module`.
    pub module_path: String,
    /// Variables left unknown by an azd placeholder (`var.location` ← `${AZURE_LOCATION}`), with it.
    pub placeholders: std::collections::BTreeMap<String, String>,
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
        let mut ctx = FUNCTIONS.clone();
        ctx.declare_var("var", Value::Object(self.vars.clone()));
        ctx.declare_var("local", Value::Object(self.locals.clone()));
        for (ty, by_name) in &self.resources {
            if let Ok(ident) = hcl::Identifier::new(ty.as_str()) {
                ctx.declare_var(ident, self.shaped(false, ty, by_name));
            }
        }
        ctx.declare_var("data", self.data_object());
        ctx.declare_var("module", Value::Object(self.modules.clone()));
        let mut path = hcl::Map::new();
        path.insert(
            "module".to_string(),
            Value::String(self.module_path.clone()),
        );
        path.insert("root".to_string(), Value::String(".".into()));
        path.insert("cwd".to_string(), Value::String(".".into()));
        ctx.declare_var("path", Value::Object(path));
        ctx
    }

    /// Declare again in `ctx` (built by [`Scope::context`]) the top-level names `changed` says changed, so it
    /// holds what a new context would, without copying everything else again.
    fn refresh(&self, ctx: &mut Context<'static>, changed: &Changed) {
        if changed.locals {
            ctx.declare_var("local", Value::Object(self.locals.clone()));
        }
        for ty in &changed.types {
            let by_name = self.resources.get(ty);
            if let (Some(by_name), Ok(ident)) = (by_name, hcl::Identifier::new(ty.as_str())) {
                ctx.declare_var(ident, self.shaped(false, ty, by_name));
            }
        }
        if changed.data {
            ctx.declare_var("data", self.data_object());
        }
    }

    /// `data.<type>.<name>` as references see it.
    fn data_object(&self) -> Value {
        let data: hcl::Map<String, Value> = self
            .data
            .iter()
            .map(|(ty, by_name)| (ty.clone(), self.shaped(true, ty, by_name)))
            .collect();
        Value::Object(data)
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
///
/// `try(...)` and `coalesce(...)` around the whole expression are evaluated lazily, as Terraform does:
/// `coalesce(var.location, data.azurerm_resource_group.rg.location)` is known when `var.location` is.
pub(crate) fn evaluate(expr: &hcl::Expression, ctx: &Context) -> Option<Value> {
    if let hcl::Expression::FuncCall(call) = expr
        && call.name.namespace.is_empty()
        && !call.expand_final
    {
        match call.name.name.as_str() {
            "try" => return call.args.iter().find_map(|arg| evaluate(arg, ctx)),
            "coalesce" => return lazy_coalesce(&call.args, ctx),
            _ => {}
        }
    }
    expr.evaluate(ctx).ok()
}

/// The items of an object literal that evaluate, when at least one does; a missing item stays unknown
/// (referring to it fails), never a guessed value.
fn partial_object(expr: &hcl::Expression, ctx: &Context) -> Option<Value> {
    let hcl::Expression::Object(items) = expr else {
        return None;
    };
    let known: hcl::Map<String, Value> = items
        .iter()
        .filter_map(|(key, value)| {
            let key = match key {
                hcl::ObjectKey::Identifier(id) => id.to_string(),
                hcl::ObjectKey::Expression(hcl::Expression::String(s)) => s.clone(),
                _ => return None,
            };
            Some((key, evaluate(value, ctx)?))
        })
        .collect();
    (!known.is_empty()).then_some(Value::Object(known))
}

/// The first argument that is neither null nor `""`, as long as every argument before it is known.
fn lazy_coalesce(args: &[hcl::Expression], ctx: &Context) -> Option<Value> {
    for arg in args {
        match evaluate(arg, ctx)? {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            value => return Some(value),
        }
    }
    None
}

/// Which top-level names of a context a round of [`settle`] changed.
#[derive(Default)]
struct Changed {
    locals: bool,
    data: bool,
    /// Managed resource types.
    types: std::collections::BTreeSet<String>,
}

impl Changed {
    fn note(&mut self, target: &Target) {
        let key = match target {
            Target::Local(_) => {
                self.locals = true;
                return;
            }
            Target::Attr(block, _) | Target::Count(block) | Target::ForEach(block) => block,
        };
        if key.0 {
            self.data = true;
        } else if !self.types.contains(key.1) {
            self.types.insert(key.1.to_string());
        }
    }
}

/// A resource or data block as the files write it: (is data, type, name).
type BlockRef<'f> = (bool, &'f str, &'f str);

/// What one pending evaluation writes to (borrowed from the parsed files: a module evaluated once per caller
/// settles many times, and owned keys are made only for what resolves).
#[derive(Clone, Copy)]
enum Target<'f> {
    Local(&'f str),
    Attr(BlockRef<'f>, &'static str),
    Count(BlockRef<'f>),
    ForEach(BlockRef<'f>),
}

/// An owned [`BlockKey`] for `block`.
fn block_key((data, ty, name): BlockRef) -> BlockKey {
    (data, ty.to_string(), name.to_string())
}

/// Evaluate the locals and the recorded resource attributes of `files` into `scope`, round after round, until
/// nothing more resolves; returns the context of the settled scope (what [`Scope::context`] gives).
pub(crate) fn settle(scope: &mut Scope, files: &[&ParsedFile]) -> Context<'static> {
    let mut pending: Vec<(Target, &hcl::Expression)> = Vec::new();
    for decl in files.iter().flat_map(|f| &f.decls) {
        match decl.keyword.as_str() {
            "locals" => {
                for attr in decl.body.attributes() {
                    pending.push((Target::Local(attr.key()), attr.expr()));
                }
            }
            "resource" | "data" if decl.labels.len() == 2 => {
                let block: BlockRef = (decl.keyword == "data", decl.label(0), decl.label(1));
                let table = if block.0 {
                    &mut scope.data
                } else {
                    &mut scope.resources
                };
                if !table.contains_key(block.1) {
                    table.insert(block.1.to_string(), hcl::Map::new());
                }
                if let Some(by_name) = table.get_mut(block.1)
                    && !by_name.contains_key(block.2)
                {
                    by_name.insert(block.2.to_string(), Value::Object(hcl::Map::new()));
                }
                if let Some(count) = decl.attr("count") {
                    scope
                        .shapes
                        .entry(block_key(block))
                        .or_insert(Shape::Count(1));
                    pending.push((Target::Count(block), count));
                } else if let Some(for_each) = decl.attr("for_each") {
                    scope
                        .shapes
                        .entry(block_key(block))
                        .or_insert(Shape::ForEach(Vec::new()));
                    pending.push((Target::ForEach(block), for_each));
                }
                for attr in RECORDED_ATTRS {
                    if let Some(expr) = decl.attr(attr) {
                        pending.push((Target::Attr(block, attr), expr));
                    }
                }
            }
            _ => {}
        }
    }
    let mut ctx = scope.context();
    for _ in 0..MAX_ROUNDS {
        let mut resolved = Vec::new();
        pending.retain(|(target, expr)| match evaluate(expr, &ctx) {
            Some(value) => {
                resolved.push((*target, value));
                false
            }
            None => true,
        });
        if resolved.is_empty() {
            // Last resort: a local written as an object literal keeps the items that do evaluate, so
            // `local.resource_group.location` resolves while `.name` (from a resource) stays unknown.
            pending.retain(
                |(target, expr)| match (target, partial_object(expr, &ctx)) {
                    (Target::Local(name), Some(value)) => {
                        resolved.push((Target::Local(name), value));
                        false
                    }
                    _ => true,
                },
            );
            if resolved.is_empty() {
                break;
            }
        }
        let mut changed = Changed::default();
        for (target, value) in resolved {
            changed.note(&target);
            apply(scope, target, value);
        }
        scope.refresh(&mut ctx, &changed);
    }
    ctx
}

/// The resource groups `scope` creates with a known name and region: (lower-case name, region).
pub(crate) fn created_groups(scope: &Scope) -> Vec<(String, String)> {
    let Some(groups) = scope.resources.get("azurerm_resource_group") else {
        return Vec::new();
    };
    groups
        .values()
        .filter_map(|attrs| {
            let name = attrs.as_object()?.get("name")?.as_str()?;
            let location = attrs.as_object()?.get("location")?.as_str()?;
            let region = crate::catalog::region(location)?;
            Some((name.to_lowercase(), region.name.to_string()))
        })
        .collect()
}

fn apply(scope: &mut Scope, target: Target, value: Value) {
    match target {
        Target::Local(name) => {
            scope.locals.insert(name.to_string(), value);
        }
        Target::Attr((data, ty, name), attr) => {
            let group_location = match &value {
                Value::String(group)
                    if data && ty == "azurerm_resource_group" && attr == "name" =>
                {
                    scope.known_groups.get(&group.to_lowercase()).cloned()
                }
                _ => None,
            };
            let table = if data {
                &mut scope.data
            } else {
                &mut scope.resources
            };
            if let Some(Value::Object(attrs)) = table.get_mut(ty).and_then(|t| t.get_mut(name)) {
                attrs.insert(attr.to_string(), value);
                if let Some(location) = group_location {
                    attrs.insert("location".into(), Value::String(location));
                }
            }
        }
        Target::Count(key) => {
            let n = value
                .as_u64()
                .map_or(1, |n| n.min(MAX_INSTANCES as u64) as usize);
            scope.shapes.insert(block_key(key), Shape::Count(n));
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
            scope.shapes.insert(block_key(key), Shape::ForEach(keys));
        }
    }
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

    /// Azure/terraform-azurerm-aks examples/startup: the group's name comes from a resource with `count`
    /// (unknown until apply), its location from a variable; the network takes `local.resource_group.location`.
    #[test]
    fn an_object_local_keeps_the_items_that_evaluate() {
        let file = parsed(
            r#"
resource "random_id" "prefix" {
  byte_length = 8
}
locals {
  resource_group = {
    name     = var.create_resource_group ? azurerm_resource_group.main[0].name : var.resource_group_name
    location = var.location
  }
}
resource "azurerm_virtual_network" "test" {
  location            = local.resource_group.location
  name                = "${random_id.prefix.hex}-vn"
  resource_group_name = local.resource_group.name
}
"#,
        );
        let mut scope = Scope::default();
        scope
            .vars
            .insert("location".into(), Value::from("koreacentral"));
        scope
            .vars
            .insert("create_resource_group".into(), Value::Bool(true));
        settle(&mut scope, &[&file]);
        assert_eq!(
            eval_str(&scope, "azurerm_virtual_network.test.location").as_deref(),
            Some("koreacentral")
        );
        // The name is not guessed: it stays unknown.
        assert_eq!(eval_str(&scope, "local.resource_group.name"), None);
        assert_eq!(
            eval_str(&scope, "azurerm_virtual_network.test.resource_group_name"),
            None
        );
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
    fn a_data_resource_group_takes_the_location_of_the_group_the_code_creates() {
        let file = parsed(
            r#"
resource "azurerm_resource_group" "shared" {
  name     = "rg-shared"
  location = "West Europe"
}
data "azurerm_resource_group" "shared" {
  name = "RG-Shared"
}
data "azurerm_resource_group" "elsewhere" {
  name = "rg-other"
}
"#,
        );
        let mut first = Scope::default();
        settle(&mut first, &[&file]);
        let groups = created_groups(&first);
        assert_eq!(
            groups,
            vec![("rg-shared".to_string(), "westeurope".to_string())]
        );
        let mut scope = Scope {
            known_groups: Arc::new(groups.into_iter().collect()),
            ..Scope::default()
        };
        settle(&mut scope, &[&file]);
        let get = |e: &str| eval_str(&scope, e);
        assert_eq!(
            get("data.azurerm_resource_group.shared.location").as_deref(),
            Some("westeurope")
        );
        assert_eq!(get("data.azurerm_resource_group.elsewhere.location"), None);
    }

    #[test]
    fn try_and_coalesce_are_lazy() {
        let mut scope = Scope::default();
        scope
            .vars
            .insert("location".into(), Value::String("uksouth".into()));
        scope.vars.insert("empty".into(), Value::Null);
        let get = |e: &str| eval_str(&scope, e);
        assert_eq!(
            get("try(var.settings.location, var.location)").as_deref(),
            Some("uksouth")
        );
        assert_eq!(
            get("coalesce(var.location, data.x.y.location)").as_deref(),
            Some("uksouth")
        );
        assert_eq!(
            get("coalesce(var.empty, \"\", var.location)").as_deref(),
            Some("uksouth")
        );
        assert_eq!(get("coalesce(data.x.y.location, var.location)"), None);
        assert_eq!(get("try(data.x.y.location)"), None);
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
}
