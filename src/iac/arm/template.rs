//! Walking one parsed ARM template: resources (array or, with `languageVersion` 2.0, an object keyed by
//! symbolic name), nested child resources, and nested deployments with an inline template.
//!
//! Child resources are walked with an explicit work list; nested deployments recurse, but at most
//! [`MAX_NESTED_DEPLOYMENTS`] deep (and the reader has already refused documents nested over 127 levels).
//! Positions are the offsets of the nodes themselves; only the parameters and variables an expression looks
//! up are turned into `serde_json` values for the evaluator.

use super::body;
use super::eval::{self, Scope};
use super::expr;
use crate::catalog;
use crate::iac::Found;
use crate::iac::json::{Member, Node};
use crate::iac::region::{self, RegionValue};
use crate::model::{Condition, Diagnostic, DiagnosticCode, Resource, Severity};
use serde_json::Value;
use std::collections::HashMap;

/// Nested deployments deeper than this are not followed.
const MAX_NESTED_DEPLOYMENTS: usize = 16;

/// The ARM type of a deployment, whose inline template holds more resources.
const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

/// Parameter values given to a template from outside.
#[derive(Debug, Clone, Default)]
pub struct Supplied {
    /// Known values, by name.
    pub values: HashMap<String, Value>,
    /// Parameters given a value that is not known (an azd placeholder whose variable is unknown), by name,
    /// with the placeholder: they are unknown rather than their default.
    pub placeholders: HashMap<String, String>,
}

/// Scan a parsed template. `text` is the text it was read from, for positions; `supplied` are parameter
/// values from a parameter file or a caller; `unit` is the scan unit (the template a scan started at) every
/// resource is found from.
pub fn scan(
    file: &str,
    text: &str,
    root: &Node<'_>,
    supplied: &Supplied,
    via_module: Option<&str>,
    unit: &str,
) -> Found {
    let mut walker = Walker {
        file,
        text,
        line_starts: std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        via_module,
        unit,
        found: Found::default(),
    };
    let mut context = Context::new(
        root,
        text,
        supplied
            .values
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect(),
    );
    context.placeholders = supplied
        .placeholders
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    walker.template(root, &context, 0, Condition::None);
    walker.found
}

/// Where parameter and variable lookups go while evaluating one template's expressions.
struct Context<'v, 'a> {
    /// Values given from outside (parameter file, caller, nested deployment), keyed by lower-case name.
    supplied: HashMap<String, Value>,
    /// The template's `parameters` declarations (types, default values).
    declarations: Option<&'v [Member<'a>]>,
    /// The template's `variables`.
    variables: Option<&'v [Member<'a>]>,
    /// How secrets are referred to in this template (`parameters('adminpassword')`, ...).
    secret_refs: Vec<String>,
    /// Parameters given an unknown azd placeholder, keyed by lower-case name (see [`Supplied`]).
    placeholders: HashMap<String, String>,
}

impl<'v, 'a> Context<'v, 'a> {
    fn new(template: &'v Node<'a>, text: &str, supplied: HashMap<String, Value>) -> Self {
        let declarations = template.get("parameters").and_then(Node::members);
        let variables = template.get("variables").and_then(Node::members);
        let secret_refs = body::secret_references(declarations, variables, text);
        Context {
            supplied,
            declarations,
            variables,
            secret_refs,
            placeholders: HashMap::new(),
        }
    }
}

/// A member of a JSON object by case-insensitive name, as ARM looks names up: the exact key, else the first
/// in key order that matches (the order a `serde_json::Map` would give).
fn get_ci<'m, 'a>(members: &'m [Member<'a>], name: &str) -> Option<&'m Node<'a>> {
    let exact = members.iter().rev().find(|m| m.key == name);
    let any = || {
        members
            .iter()
            .filter(|m| m.key.eq_ignore_ascii_case(name))
            .min_by(|a, b| a.key.cmp(&b.key))
    };
    exact.or_else(any).map(|m| &m.value)
}

impl Scope for Context<'_, '_> {
    fn parameter(&self, name: &str) -> Option<(Value, bool)> {
        if self.placeholders.contains_key(&name.to_ascii_lowercase()) {
            return None;
        }
        if let Some(v) = self.supplied.get(&name.to_ascii_lowercase()) {
            return Some((v.clone(), false));
        }
        let declaration = get_ci(self.declarations?, name)?;
        Some((declaration.get("defaultValue")?.to_serde(), true))
    }

    fn variable(&self, name: &str) -> Option<Value> {
        get_ci(self.variables?, name).map(Node::to_serde)
    }
}

/// How a resource's type is written and what it amounts to.
struct TypeInfo<'a> {
    /// The `type` as the file writes it.
    type_name: &'a str,
    /// The full type, parent segments included, version removed.
    full_type: &'a str,
    /// A version written into the type itself (`Microsoft.Graph/applications@v1.0`).
    type_version: Option<String>,
}

/// A resource waiting to be walked.
struct Pending<'v, 'a> {
    value: &'v Node<'a>,
    /// Full ARM type of the enclosing resource, for nested children.
    parent_type: Option<String>,
    /// The key of a `languageVersion` 2.0 resource.
    symbolic: Option<&'v str>,
    /// The conditions on the way here (enclosing resources and deployments).
    condition: Condition,
}

/// Walks one file's templates, collecting resources and diagnostics.
struct Walker<'t> {
    file: &'t str,
    text: &'t str,
    /// Byte offsets where lines start.
    line_starts: Vec<usize>,
    via_module: Option<&'t str>,
    /// The scan unit (see [`scan`]).
    unit: &'t str,
    found: Found,
}

impl Walker<'_> {
    /// 1-based line of a value. Only the line: counting the column would cost a scan of the line, and
    /// minified templates are one long line.
    fn line(&self, node: &Node<'_>) -> u32 {
        self.line_starts.partition_point(|&s| s <= node.start) as u32
    }

    /// 1-based line and column (in characters) of a value.
    fn position(&self, node: &Node<'_>) -> (u32, u32) {
        let offset = node.start;
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = line
            .checked_sub(1)
            .and_then(|l| self.line_starts.get(l))
            .copied()
            .unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        (line as u32, column as u32)
    }

    fn diagnose(&mut self, at: &Node<'_>, severity: Severity, code: &str, message: String) {
        let (line, column) = self.position(at);
        self.found.diagnostics.push(Diagnostic::new(
            self.file, line, column, severity, code, message,
        ));
    }

    /// Every resource of a template (and of the templates nested in it).
    fn template<'v, 'a>(
        &mut self,
        template: &'v Node<'a>,
        context: &Context<'v, 'a>,
        depth: usize,
        inherited: Condition,
    ) {
        let mut work = Vec::new();
        push_resources(&mut work, template, None, inherited);
        while let Some(mut pending) = work.pop() {
            if pending.value.is_object() {
                pending.condition = pending.condition.and(own_condition(pending.value, context));
            }
            let Some(full_type) = self.resource(&pending, context, depth) else {
                continue;
            };
            let condition = pending.condition;
            push_resources(&mut work, pending.value, Some(&full_type), condition);
        }
    }

    /// Record one resource (following it when it is a deployment); its full type, or `None` when skipped.
    fn resource<'v, 'a>(
        &mut self,
        pending: &Pending<'v, 'a>,
        context: &Context<'v, 'a>,
        depth: usize,
    ) -> Option<String> {
        let body = pending.value;
        if !body.is_object() {
            self.diagnose(
                body,
                Severity::Warning,
                "invalid-resource",
                "resource is not a JSON object".into(),
            );
            return None;
        };
        let Some(type_node) = body.get("type").filter(|t| t.as_str().is_some()) else {
            self.diagnose(
                body,
                Severity::Warning,
                "invalid-resource",
                "resource has no `type`".into(),
            );
            return None;
        };
        let written_type = type_node.as_str().unwrap_or_default();
        let Some(own_type) =
            eval::eval_string(written_type, context).and_then(|v| v.as_str().map(str::to_string))
        else {
            let message = format!(
                "resource type `{written_type}` cannot be resolved statically; resource skipped"
            );
            self.diagnose(type_node, Severity::Warning, "unresolved-type", message);
            return None;
        };
        // Extensibility resources (`import`ed providers in languageVersion 2.0) carry their version in the
        // type: `Microsoft.Graph/applications@v1.0`.
        let (own_type, type_version) = match own_type.split_once('@') {
            Some((t, v)) => (t.to_string(), Some(v.to_string())),
            None => (own_type, None),
        };
        let full_type = full_type(pending.parent_type.as_deref(), &own_type);
        let type_info = TypeInfo {
            type_name: written_type,
            full_type: &full_type,
            type_version,
        };
        let resource = self.build(pending, body, type_info, context);
        self.found.resources.push(resource);
        if full_type.eq_ignore_ascii_case(DEPLOYMENTS) {
            self.deployment(body, context, depth, pending.condition);
        }
        Some(full_type)
    }

    /// The [`Resource`] record for one resource body.
    fn build(
        &mut self,
        pending: &Pending<'_, '_>,
        body: &Node<'_>,
        type_info: TypeInfo<'_>,
        context: &Context<'_, '_>,
    ) -> Resource {
        let TypeInfo {
            type_name: written_type,
            full_type,
            type_version,
        } = type_info;
        let line = self.line(body);
        let written_api = body.get("apiVersion").and_then(Node::as_str);
        let api_version = written_api
            .and_then(|a| evaluated_string(a, context))
            .or(type_version);
        let source_type = match written_api {
            Some(written) => format!(
                "{written_type}@{}",
                api_version.as_deref().unwrap_or(written)
            ),
            None => written_type.to_string(),
        };
        let name = match pending.symbolic {
            Some(symbol) => symbol.to_string(),
            None => body
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_string(),
        };
        let mut resource = Resource::new(source_type, name, self.file, line);
        resource.arm_type = is_arm_type(full_type).then(|| full_type.to_string());
        resource.api_version = api_version;
        resource.via_module = self.via_module.map(str::to_string);
        resource.scanned_from = self.unit.to_string();
        resource.condition = pending.condition;
        resource.existing = body.get("existing").and_then(Node::as_bool) == Some(true);
        resource.kind = body
            .get("kind")
            .and_then(Node::as_str)
            .and_then(|k| evaluated_string(k, context))
            .or_else(|| front_door_kind(full_type, body, context));
        let location = body.get("location").filter(|l| l.as_str().is_some());
        resource.location_expr = location.and_then(Node::as_str).map(str::to_string);
        if let (Some(expr), Some(node)) = (resource.location_expr.clone(), location) {
            resource.location = self.location(&expr, node, context);
            if resource.location.is_none()
                && let Some(placeholder) = placeholder_of(&expr, context)
            {
                resource.location_expr = Some(placeholder);
            }
        }
        resource.uses_secrets = body::uses_secrets(body, &context.secret_refs);
        resource.fingerprint = body::fingerprint(body);
        add_service(&mut resource);
        resource
    }

    /// The canonical region a `location` value names, when it resolves statically. A resolved value that is not
    /// a region gets an `unknown-region` warning (with the nearest region, when one is close); an expression
    /// that cannot be read gets an `invalid-expression` warning.
    fn location(
        &mut self,
        written: &str,
        at: &Node<'_>,
        context: &Context<'_, '_>,
    ) -> Option<String> {
        if let expr::Written::Expression(src) = expr::classify(written)
            && let Err(e) = expr::parse(src)
        {
            let message = format!("cannot read the expression `{written}`: {e}");
            self.diagnose(at, Severity::Warning, "invalid-expression", message);
            return None;
        }
        let value = evaluated_string(written, context)?;
        let mut message = match region::resolve(&value) {
            RegionValue::Region(name) => return Some(name),
            RegionValue::NotARegion(message) => message,
            RegionValue::Later => return None,
        };
        if value != written {
            message.push_str(&format!("; it comes from `{written}`"));
        }
        let code = DiagnosticCode::UnknownRegion.as_str();
        self.diagnose(at, Severity::Warning, code, message);
        None
    }

    /// Follow a nested deployment's inline template; a linked one is noted, not fetched.
    fn deployment<'v, 'a>(
        &mut self,
        body: &'v Node<'a>,
        outer: &Context<'v, 'a>,
        depth: usize,
        condition: Condition,
    ) {
        let Some(properties) = body.get("properties").filter(|p| p.is_object()) else {
            return;
        };
        if let Some(link) = properties.get("templateLink") {
            let target = link
                .get("uri")
                .or_else(|| link.get("relativePath"))
                .or_else(|| link.get("id"));
            let target = target.and_then(Node::as_str).unwrap_or("?");
            let message =
                format!("linked template `{target}` is not fetched; its resources are not listed");
            self.diagnose(link, Severity::Info, "remote-module", message);
        }
        let Some(template) = properties.get("template").filter(|t| t.is_object()) else {
            return;
        };
        if depth >= MAX_NESTED_DEPLOYMENTS {
            let message = format!(
                "nested deployments deeper than {MAX_NESTED_DEPLOYMENTS} levels are not followed"
            );
            self.diagnose(template, Severity::Warning, "too-deep", message);
            return;
        }
        let inner_scope = properties
            .get("expressionEvaluationOptions")
            .and_then(|o| o.get("scope"))
            .and_then(Node::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        if inner_scope {
            let supplied = deployment_parameters(properties, outer);
            let inner = Context::new(template, self.text, supplied);
            self.template(template, &inner, depth + 1, condition);
        } else {
            // Outer scope (the default): the nested template's expressions see the parent's parameters.
            self.template(template, outer, depth + 1, condition);
        }
    }
}

/// Queue the `resources` of `container` (a template or a parent resource), array or symbolic object (walked
/// in key order, as always).
fn push_resources<'v, 'a>(
    work: &mut Vec<Pending<'v, 'a>>,
    container: &'v Node<'a>,
    parent: Option<&str>,
    condition: Condition,
) {
    let Some(resources) = container.get("resources") else {
        return;
    };
    let parent_type = parent.map(str::to_string);
    if let Some(items) = resources.items() {
        work.extend(items.iter().rev().map(|value| Pending {
            value,
            parent_type: parent_type.clone(),
            symbolic: None,
            condition,
        }));
    } else if let Some(members) = resources.members() {
        let mut members: Vec<&Member<'a>> = members.iter().collect();
        members.sort_by(|a, b| b.key.cmp(&a.key));
        work.extend(members.into_iter().map(|m| Pending {
            value: &m.value,
            parent_type: parent_type.clone(),
            symbolic: Some(m.key.as_ref()),
            condition,
        }));
    }
}

/// The condition a resource body states: `condition` (a boolean or an expression) and `copy.count`
/// (0 copies: false).
fn own_condition(body: &Node<'_>, context: &Context<'_, '_>) -> Condition {
    let evaluate = |v: &Node<'_>| match v.as_str() {
        Some(s) => eval::eval_string(s, context),
        None => Some(v.to_serde()),
    };
    let mut condition = Condition::None;
    if let Some(written) = body.get("condition") {
        let truth = evaluate(written).and_then(|v| match v {
            Value::Bool(b) => Some(b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        });
        condition = condition.and(Condition::from_known(truth));
    }
    if let Some(count) = body
        .get("copy")
        .and_then(|c| c.get("count"))
        .map(|c| evaluate(c).and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok())))
    {
        condition = condition.and(Condition::from_known(count.map(|n| n > 0)));
    }
    condition
}

/// The azd placeholder a location written as `[parameters('location')]` stands for, when the parameter
/// was given one whose variable is not known.
fn placeholder_of(written: &str, context: &Context<'_, '_>) -> Option<String> {
    let inner = written
        .trim()
        .strip_prefix("[parameters(")?
        .strip_suffix(")]")?;
    let name = inner.trim().trim_matches('\'');
    context
        .placeholders
        .get(&name.to_ascii_lowercase())
        .cloned()
}

/// The values a nested deployment passes to its inner-scoped template, evaluated in the parent's scope; those
/// that cannot be resolved are left out (the inner template then falls back to its defaults).
fn deployment_parameters(properties: &Node<'_>, outer: &Context<'_, '_>) -> HashMap<String, Value> {
    let Some(parameters) = properties.get("parameters").and_then(Node::members) else {
        return HashMap::new();
    };
    let mut values = HashMap::new();
    // In key order, as a map holds them: of two names differing only in case the later one wins.
    let mut members: Vec<&Member<'_>> = parameters.iter().collect();
    members.sort_by(|a, b| a.key.cmp(&b.key));
    for member in members {
        let Some(given) = member.value.get("value") else {
            continue;
        };
        let value = match given.as_str() {
            Some(s) => eval::eval_string(s, outer),
            None => Some(given.to_serde()),
        };
        if let Some(value) = value {
            values.insert(member.key.to_ascii_lowercase(), value);
        }
    }
    values
}

/// Fill in the catalog's service, category and solution area for an Azure resource.
fn add_service(resource: &mut Resource) {
    let arm_type = resource.arm_type.as_deref();
    if let Some(service) = arm_type.and_then(|t| catalog::service_for(t, resource.kind.as_deref()))
    {
        resource.service = Some(service.name.to_string());
        resource.category = Some(service.category.to_string());
        resource.solution_area = Some(service.solution_area.to_string());
    }
}

/// `frontdoor` for a `Microsoft.Cdn/profiles` whose `sku.name` is a Front Door Standard/Premium sku
/// (`Standard_AzureFrontDoor`, `Premium_AzureFrontDoor`, literal or from a parameter): Azure reports such
/// profiles with that kind, and the catalog counts them as Azure Front Door, as the Bicep scanner does.
fn front_door_kind(full_type: &str, body: &Node, context: &Context<'_, '_>) -> Option<String> {
    if !full_type.eq_ignore_ascii_case("Microsoft.Cdn/profiles") {
        return None;
    }
    let sku = body.get("sku")?.get("name")?.as_str()?;
    let name = evaluated_string(sku, context)?.to_ascii_lowercase();
    name.ends_with("_azurefrontdoor")
        .then(|| "frontdoor".to_string())
}

/// A JSON string evaluated to a string (literal, or an expression that resolves to one).
fn evaluated_string(written: &str, context: &Context<'_, '_>) -> Option<String> {
    match eval::eval_string(written, context)? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// The full type of a resource: a nested child may write only its last segment (`databases`) or, like a
/// top-level resource, the whole type (`Microsoft.Sql/servers/databases`).
fn full_type(parent: Option<&str>, own: &str) -> String {
    let is_full = own
        .split('/')
        .next()
        .is_some_and(|namespace| namespace.contains('.'));
    match parent {
        Some(parent) if !is_full => format!("{parent}/{own}"),
        _ => own.to_string(),
    }
}

/// True for an Azure resource type (`Microsoft.X/y...`, `Sendgrid.Email/accounts`): a dotted namespace and at
/// least one type segment. Kubernetes extensibility types (`apps/Deployment`) are not.
fn is_arm_type(full_type: &str) -> bool {
    matches!(full_type.split_once('/'), Some((namespace, rest)) if namespace.contains('.') && !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dotted_namespaces_are_azure_types() {
        assert!(is_arm_type("Microsoft.Web/sites"));
        assert!(is_arm_type("Microsoft.Graph/applications"));
        assert!(!is_arm_type("apps/Deployment"));
        assert!(!is_arm_type("Microsoft.Web"));
    }

    #[test]
    fn child_types_are_completed_from_the_parent() {
        assert_eq!(
            full_type(Some("Microsoft.Sql/servers"), "databases"),
            "Microsoft.Sql/servers/databases"
        );
        assert_eq!(
            full_type(
                Some("Microsoft.Sql/servers"),
                "Microsoft.Sql/servers/databases"
            ),
            "Microsoft.Sql/servers/databases"
        );
        assert_eq!(
            full_type(None, "Microsoft.Web/sites"),
            "Microsoft.Web/sites"
        );
    }
}
