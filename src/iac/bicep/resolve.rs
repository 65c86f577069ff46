//! Static evaluation of the few expressions azengage needs to know the value of (mostly `location`).
//!
//! It follows literals, `param` defaults, values given from outside (a `.bicepparam` file, an ARM parameter
//! file, a parent module's `params:`), `var`s, string interpolation, `concat`, `format`, `toLower`/`toUpper`,
//! `trim`, a ternary with a known condition, `readEnvironmentVariable` with a default, and properties of
//! object variables. Anything else (`resourceGroup().location`, outputs of other resources) is unknown. Every
//! known value remembers where its text came from, so a misspelled region is reported at the literal.

use super::ast::{Expr, ExprKind, StmtKind};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// How deep a chain of variables and parameters may go (it also stops `var a = b` / `var b = a` cycles).
const MAX_EVAL_DEPTH: u32 = 32;

/// A statically known value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
}

/// Where a known value's text was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// At a byte offset of a parsed Bicep file (an index into the scanner's file table).
    Source {
        /// Index into the scanner's file table.
        file: usize,
        /// Byte offset in that file.
        offset: usize,
    },
    /// Somewhere in a file that is not Bicep (an ARM parameter file).
    File(String),
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// The value.
    pub value: Value,
    /// Where its text is.
    pub origin: Origin,
}

impl Known {
    /// The value when it is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Values given to a template from outside: `Some` when known, `None` when given but not statically known
/// (it still overrides the template's default).
pub type ParamValues = HashMap<String, Option<Known>>;

/// The names in scope in one file: its parameters (with their outside values) and variables.
pub struct Env<'a> {
    file: usize,
    params: HashMap<&'a str, Option<&'a Expr>>,
    vars: HashMap<&'a str, &'a Expr>,
    given: &'a ParamValues,
    /// Parameters marked `@secure()`.
    pub secure_params: HashSet<&'a str>,
    /// Loop variables in scope: they hide parameters and variables of the same name, and are unknown.
    shadowed: RefCell<Vec<String>>,
}

impl<'a> Env<'a> {
    /// The scope of file `file` (its statements) with the parameter values `given` from outside.
    pub fn new(file: usize, statements: &'a [super::ast::Stmt], given: &'a ParamValues) -> Self {
        let mut env = Env {
            file,
            params: HashMap::new(),
            vars: HashMap::new(),
            given,
            secure_params: HashSet::new(),
            shadowed: RefCell::new(Vec::new()),
        };
        for stmt in statements {
            match &stmt.kind {
                StmtKind::Param { name, value, .. } => {
                    env.params.insert(name, value.as_ref());
                    if stmt.decorators.iter().any(|d| d.name == "secure") {
                        env.secure_params.insert(name);
                    }
                }
                StmtKind::Var { name, value, .. } => {
                    env.vars.insert(name, value);
                }
                _ => {}
            }
        }
        env
    }

    /// Bring loop variables into scope; returns a mark for [`Env::unshadow`].
    pub fn shadow(&self, names: Vec<String>) -> usize {
        let mut shadowed = self.shadowed.borrow_mut();
        let mark = shadowed.len();
        shadowed.extend(names);
        mark
    }

    /// Take the loop variables brought in since `mark` out of scope.
    pub fn unshadow(&self, mark: usize) {
        self.shadowed.borrow_mut().truncate(mark);
    }

    /// The value of `expr`, when it is statically known.
    pub fn eval(&self, expr: &Expr) -> Option<Known> {
        self.eval_at(expr, 0)
    }

    fn known(&self, value: Value, expr: &Expr) -> Option<Known> {
        Some(Known {
            value,
            origin: Origin::Source {
                file: self.file,
                offset: expr.span.start,
            },
        })
    }

    fn eval_at(&self, expr: &Expr, depth: u32) -> Option<Known> {
        if depth > MAX_EVAL_DEPTH {
            return None;
        }
        let depth = depth + 1;
        match &expr.kind {
            ExprKind::String(s) => self.known(Value::Str(s.clone()), expr),
            ExprKind::Int(s) => self.known(Value::Int(s.parse().ok()?), expr),
            ExprKind::Bool(b) => self.known(Value::Bool(*b), expr),
            ExprKind::Unary {
                op: super::ast::UnaryOp::Neg,
                operand,
            } => match self.eval_at(operand, depth)?.value {
                Value::Int(i) => self.known(Value::Int(i.checked_neg()?), expr),
                _ => None,
            },
            ExprKind::Paren(inner) | ExprKind::NonNull(inner) => self.eval_at(inner, depth),
            ExprKind::Interpolated { parts, exprs } => {
                let mut out = String::new();
                for (i, part) in parts.iter().enumerate() {
                    out.push_str(part);
                    if let Some(e) = exprs.get(i) {
                        out.push_str(&display(&self.eval_at(e, depth)?.value));
                    }
                }
                self.known(Value::Str(out), expr)
            }
            ExprKind::Ident(name) => self.lookup(name, depth),
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => match self.eval_at(cond, depth)?.value {
                Value::Bool(true) => self.eval_at(then, depth),
                Value::Bool(false) => self.eval_at(otherwise, depth),
                _ => None,
            },
            ExprKind::Member { base, name, .. } => {
                let object = self.object_of(base, depth)?;
                self.eval_at(object.property(name)?, depth)
            }
            ExprKind::Call { callee, args } => self.call(callee, args, expr, depth),
            _ => None,
        }
    }

    fn lookup(&self, name: &str, depth: u32) -> Option<Known> {
        if self.shadowed.borrow().iter().any(|s| s == name) {
            return None;
        }
        if let Some(given) = self.given.get(name) {
            return given.clone();
        }
        if let Some(default) = self.params.get(name) {
            return self.eval_at((*default)?, depth);
        }
        self.eval_at(self.vars.get(name)?, depth)
    }

    /// The object literal an expression names (a variable, or a parameter default), for `x.prop`.
    fn object_of(&self, expr: &'a Expr, depth: u32) -> Option<&'a Expr> {
        if depth > MAX_EVAL_DEPTH {
            return None;
        }
        match &expr.kind {
            ExprKind::Object(_) => Some(expr),
            ExprKind::Ident(name) if !self.given.contains_key(name.as_str()) => {
                let target = self
                    .vars
                    .get(name.as_str())
                    .copied()
                    .or_else(|| self.params.get(name.as_str()).copied()?)?;
                self.object_of(target, depth + 1)
            }
            ExprKind::Member { base, name, .. } => {
                self.object_of(self.object_of(base, depth + 1)?.property(name)?, depth + 1)
            }
            ExprKind::Paren(inner) => self.object_of(inner, depth + 1),
            _ => None,
        }
    }

    fn call(&self, callee: &Expr, args: &[Expr], expr: &Expr, depth: u32) -> Option<Known> {
        let name = match &callee.kind {
            ExprKind::Ident(name) => name.as_str(),
            ExprKind::Member { base, name, .. } if matches!(&base.kind, ExprKind::Ident(ns) if ns == "sys" || ns == "az") => {
                name.as_str()
            }
            _ => return None,
        };
        let arg = |i: usize| args.get(i).and_then(|a| self.eval_at(a, depth));
        let text =
            |i: usize| arg(i).and_then(|k| k.as_str().map(|s| (s.to_string(), k.origin.clone())));
        let (value, origin) = match name {
            "toLower" => text(0).map(|(s, o)| (s.to_lowercase(), o))?,
            "toUpper" => text(0).map(|(s, o)| (s.to_uppercase(), o))?,
            "trim" => text(0).map(|(s, o)| (s.trim().to_string(), o))?,
            "string" => (
                display(&arg(0)?.value),
                Origin::Source {
                    file: self.file,
                    offset: expr.span.start,
                },
            ),
            "concat" => {
                let parts: Option<Vec<String>> = (0..args.len())
                    .map(|i| arg(i).map(|k| display(&k.value)))
                    .collect();
                (
                    parts?.concat(),
                    Origin::Source {
                        file: self.file,
                        offset: expr.span.start,
                    },
                )
            }
            "format" => {
                let (template, origin) = text(0)?;
                let values: Option<Vec<String>> = (1..args.len())
                    .map(|i| arg(i).map(|k| display(&k.value)))
                    .collect();
                (crate::iac::format::composite(&template, &values?)?, origin)
            }
            // In a `.bicepparam` file: the environment is not read (results must be reproducible), the
            // default is used when there is one.
            "readEnvironmentVariable" => return arg(1),
            _ => return None,
        };
        Some(Known {
            value: Value::Str(value),
            origin,
        })
    }
}

/// A value as interpolation shows it.
fn display(value: &Value) -> String {
    match value {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::bicep::parser::parse;

    fn eval_var(src: &str, given: &ParamValues) -> Option<String> {
        let file = parse(src);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let env = Env::new(0, &file.statements, given);
        let target = file.statements.iter().rev().find_map(|s| match &s.kind {
            StmtKind::Var { name, value, .. } if name == "target" => Some(value),
            _ => None,
        })?;
        env.eval(target)
            .and_then(|k| k.as_str().map(str::to_string))
    }

    #[test]
    fn follows_params_vars_and_string_functions() {
        let none = ParamValues::new();
        let src = "param env string = 'Prod'\nparam loc string = 'West'\nvar suffix = 'europe'\nvar target = toLower('${loc}${suffix}')\n";
        assert_eq!(eval_var(src, &none).as_deref(), Some("westeurope"));
        let src = "var cfg = {\n  region: 'northeurope'\n}\nvar target = cfg.region\n";
        assert_eq!(eval_var(src, &none).as_deref(), Some("northeurope"));
        let src = "var target = format('{0}-{1}', 'a', 1)\n";
        assert_eq!(eval_var(src, &none).as_deref(), Some("a-1"));
        // One pass, as ARM's format() (Bicep compiles to it): a value holding `{1}` stays, `{{` is a brace.
        let src = "var target = format('{0}-{1}-{{x}}', '{1}', 'b')\n";
        assert_eq!(eval_var(src, &none).as_deref(), Some("{1}-b-{x}"));
        let src = "var target = format('{0}-{1}', 'a')\n";
        assert_eq!(
            eval_var(src, &none),
            None,
            "a missing argument fails the deployment"
        );
        let src = "param location string = resourceGroup().location\nvar target = location\n";
        assert_eq!(eval_var(src, &none), None);
        let src = "var a = b\nvar b = a\nvar target = a\n";
        assert_eq!(eval_var(src, &none), None);
    }

    #[test]
    fn given_values_override_defaults() {
        let src = "param location string = 'westeurope'\nvar target = location\n";
        let mut given = ParamValues::new();
        given.insert("location".into(), None);
        assert_eq!(eval_var(src, &given), None);
        let known = Known {
            value: Value::Str("eastus".into()),
            origin: Origin::File("p.json".into()),
        };
        given.insert("location".into(), Some(known));
        assert_eq!(eval_var(src, &given).as_deref(), Some("eastus"));
    }
}
