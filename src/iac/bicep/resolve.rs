//! Static evaluation of the few expressions azengage needs to know the value of (mostly `location`).
//!
//! It follows literals, `param` defaults, values given from outside (a `.bicepparam` file, an ARM parameter
//! file, a parent module's `params:`), `var`s, string interpolation, `concat`, `format`, `toLower`/`toUpper`,
//! `trim`, a ternary with a known condition, `readEnvironmentVariable` with a default, and properties of
//! object variables. Anything else (`resourceGroup().location`, outputs of other resources) is unknown. Every
//! known value remembers where its text came from, so a misspelled region is reported at the literal.

use super::ast::{BinaryOp, CompactString, Expr, ExprKind, StmtKind, UnaryOp};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// How deep a chain of variables and parameters may go (it also stops `var a = b` / `var b = a` cycles).
const MAX_EVAL_DEPTH: u32 = 32;

/// A statically known value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// An array whose items are all known.
    Array(Vec<Value>),
    /// An azd placeholder whose variable is not known (`${AZURE_LOCATION}`): unknown, but it says where the
    /// value would come from. Every operation on it is unknown.
    Env(String),
}

impl Value {
    /// The truth of a condition: a boolean, or the strings `true`/`false` an azd placeholder gives a `bool`
    /// parameter (`"${USE_APIM=false}"`).
    pub fn truth(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
}

/// Where a known value's text was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
/// (it still overrides the template's default). Looked up for every name an evaluation meets, so hashed with
/// `FxHash`; nothing depends on its order (`hash_values` sorts).
pub type ParamValues = FxHashMap<String, Option<Known>>;

/// The names in scope in one file: its parameters (with their outside values) and variables.
pub struct Env<'a> {
    file: usize,
    params: FxHashMap<&'a str, Option<&'a Expr>>,
    vars: FxHashMap<&'a str, &'a Expr>,
    given: &'a ParamValues,
    /// Parameters marked `@secure()`.
    pub secure_params: FxHashSet<&'a str>,
    /// Loop variables in scope: they hide parameters and variables of the same name, and are unknown.
    shadowed: RefCell<Vec<CompactString>>,
    /// Environment values `readEnvironmentVariable` reads (the plan's, never the process's).
    pub environment: Option<&'a BTreeMap<String, String>>,
}

impl<'a> Env<'a> {
    /// The scope of file `file` (its statements) with the parameter values `given` from outside.
    pub fn new(file: usize, statements: &'a [super::ast::Stmt], given: &'a ParamValues) -> Self {
        // Sized once: a module's scope is built for every template that reaches it.
        let count = |is: fn(&StmtKind) -> bool| statements.iter().filter(|s| is(&s.kind)).count();
        let params = count(|k| matches!(k, StmtKind::Param { .. }));
        let vars = count(|k| matches!(k, StmtKind::Var { .. }));
        let mut env = Env {
            file,
            params: FxHashMap::with_capacity_and_hasher(params, Default::default()),
            vars: FxHashMap::with_capacity_and_hasher(vars, Default::default()),
            given,
            secure_params: FxHashSet::default(),
            shadowed: RefCell::new(Vec::new()),
            environment: None,
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

    /// The file (its index in the scanner's file table) whose scope this is.
    pub fn file(&self) -> usize {
        self.file
    }

    /// Bring loop variables into scope; returns a mark for [`Env::unshadow`].
    pub fn shadow(&self, names: Vec<CompactString>) -> usize {
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
            ExprKind::String(s) => self.known(Value::Str(s.to_string()), expr),
            ExprKind::Int(s) => self.known(Value::Int(s.parse().ok()?), expr),
            ExprKind::Bool(b) => self.known(Value::Bool(*b), expr),
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => match self.eval_at(operand, depth)?.value {
                Value::Int(i) => self.known(Value::Int(i.checked_neg()?), expr),
                _ => None,
            },
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => {
                let truth = self.eval_at(operand, depth)?.value.truth()?;
                self.known(Value::Bool(!truth), expr)
            }
            ExprKind::Binary { op, left, right } => self.binary(*op, left, right, expr, depth),
            ExprKind::Array(items) => {
                let values: Option<Vec<Value>> = items
                    .iter()
                    .map(|item| match &item.kind {
                        ExprKind::Spread(_) => None,
                        _ => self.eval_at(item, depth).map(|k| k.value),
                    })
                    .collect();
                self.known(Value::Array(values?), expr)
            }
            ExprKind::Paren(inner) | ExprKind::NonNull(inner) => self.eval_at(inner, depth),
            ExprKind::Interpolated { parts, exprs } => {
                let mut out = String::new();
                for (i, part) in parts.iter().enumerate() {
                    out.push_str(part);
                    if let Some(e) = exprs.get(i) {
                        out.push_str(&display(&self.eval_at(e, depth)?.value)?);
                    }
                }
                self.known(Value::Str(out), expr)
            }
            ExprKind::Ident(name) => self.lookup(name, depth),
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => match self.eval_at(cond, depth)?.value.truth()? {
                true => self.eval_at(then, depth),
                false => self.eval_at(otherwise, depth),
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
        if let Some(value) = self.condition_call(name, args, depth) {
            return self.known(value, expr);
        }
        let (value, origin) = match name {
            "toLower" => text(0).map(|(s, o)| (s.to_lowercase(), o))?,
            "toUpper" => text(0).map(|(s, o)| (s.to_uppercase(), o))?,
            "trim" => text(0).map(|(s, o)| (s.trim().to_string(), o))?,
            "string" => (
                display(&arg(0)?.value)?,
                Origin::Source {
                    file: self.file,
                    offset: expr.span.start,
                },
            ),
            "concat" => {
                let parts: Option<Vec<String>> = (0..args.len())
                    .map(|i| arg(i).and_then(|k| display(&k.value)))
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
                    .map(|i| arg(i).and_then(|k| display(&k.value)))
                    .collect();
                (crate::iac::format::composite(&template, &values?)?, origin)
            }
            // In a `.bicepparam` file: the process environment is not read (results must be reproducible);
            // the plan's environment values are, then the default.
            "readEnvironmentVariable" => {
                let (variable, _) = text(0)?;
                if let Some(value) = self.environment.and_then(|e| e.get(&variable)) {
                    (
                        value.clone(),
                        Origin::Source {
                            file: self.file,
                            offset: expr.span.start,
                        },
                    )
                } else if args.len() > 1 {
                    return arg(1);
                } else {
                    return self.known(Value::Env(format!("${{{variable}}}")), expr);
                }
            }
            _ => return None,
        };
        Some(Known {
            value: Value::Str(value),
            origin,
        })
    }
}

impl Env<'_> {
    /// `a op b` for the operators conditions use. `&&` and `||` are known as soon as one side decides.
    fn binary(
        &self,
        op: BinaryOp,
        left: &Expr,
        right: &Expr,
        expr: &Expr,
        depth: u32,
    ) -> Option<Known> {
        let truth = |e: &Expr| self.eval_at(e, depth).and_then(|k| k.value.truth());
        let value = match op {
            BinaryOp::And => match (truth(left), truth(right)) {
                (Some(false), _) | (_, Some(false)) => Value::Bool(false),
                (Some(true), Some(true)) => Value::Bool(true),
                _ => return None,
            },
            BinaryOp::Or => match (truth(left), truth(right)) {
                (Some(true), _) | (_, Some(true)) => Value::Bool(true),
                (Some(false), Some(false)) => Value::Bool(false),
                _ => return None,
            },
            BinaryOp::Coalesce => return self.eval_at(left, depth),
            _ => {
                let (a, b) = (
                    self.eval_at(left, depth)?.value,
                    self.eval_at(right, depth)?.value,
                );
                compare_or_compute(op, &a, &b)?
            }
        };
        self.known(value, expr)
    }

    /// Functions whose results matter for conditions and loops.
    fn condition_call(&self, name: &str, args: &[Expr], depth: u32) -> Option<Value> {
        let arg = |i: usize| {
            args.get(i)
                .and_then(|a| self.eval_at(a, depth))
                .map(|k| k.value)
        };
        match name {
            "empty" => match arg(0)? {
                Value::Str(s) => Some(Value::Bool(s.is_empty())),
                Value::Array(items) => Some(Value::Bool(items.is_empty())),
                _ => None,
            },
            "length" => match arg(0)? {
                Value::Str(s) => Some(Value::Int(s.chars().count() as i64)),
                Value::Array(items) => Some(Value::Int(items.len() as i64)),
                _ => None,
            },
            "contains" => match (arg(0)?, arg(1)?) {
                (Value::Str(s), Value::Str(part)) => Some(Value::Bool(s.contains(&part))),
                (Value::Array(items), item) if !matches!(item, Value::Env(_)) => {
                    Some(Value::Bool(items.contains(&item)))
                }
                _ => None,
            },
            "bool" => arg(0)?.truth().map(Value::Bool),
            "startsWith" | "endsWith" => match (arg(0)?, arg(1)?) {
                (Value::Str(s), Value::Str(affix)) => {
                    let (s, affix) = (s.to_lowercase(), affix.to_lowercase());
                    Some(Value::Bool(if name == "startsWith" {
                        s.starts_with(&affix)
                    } else {
                        s.ends_with(&affix)
                    }))
                }
                _ => None,
            },
            "int" => match arg(0)? {
                Value::Int(i) => Some(Value::Int(i)),
                Value::Str(s) => s.trim().parse().ok().map(Value::Int),
                _ => None,
            },
            "range" => match (arg(0)?, arg(1)?) {
                (Value::Int(start), Value::Int(count)) if (0..=10_000).contains(&count) => Some(
                    Value::Array((0..count).map(|i| Value::Int(start + i)).collect()),
                ),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Equality, ordering and integer arithmetic of two known values.
fn compare_or_compute(op: BinaryOp, a: &Value, b: &Value) -> Option<Value> {
    if matches!(a, Value::Env(_)) || matches!(b, Value::Env(_)) {
        return None;
    }
    let ints = match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some((*x, *y)),
        _ => None,
    };
    Some(match op {
        BinaryOp::Eq => Value::Bool(loosely_equal(a, b)),
        BinaryOp::NotEq => Value::Bool(!loosely_equal(a, b)),
        BinaryOp::EqInsensitive | BinaryOp::NotEqInsensitive => {
            let same = match (a, b) {
                (Value::Str(x), Value::Str(y)) => x.eq_ignore_ascii_case(y),
                _ => loosely_equal(a, b),
            };
            Value::Bool(same == (op == BinaryOp::EqInsensitive))
        }
        BinaryOp::Lt => Value::Bool(ints?.0 < ints?.1),
        BinaryOp::Le => Value::Bool(ints?.0 <= ints?.1),
        BinaryOp::Gt => Value::Bool(ints?.0 > ints?.1),
        BinaryOp::Ge => Value::Bool(ints?.0 >= ints?.1),
        BinaryOp::Add => match (a, b) {
            (Value::Str(x), Value::Str(y)) => Value::Str(format!("{x}{y}")),
            _ => Value::Int(ints?.0.checked_add(ints?.1)?),
        },
        BinaryOp::Sub => Value::Int(ints?.0.checked_sub(ints?.1)?),
        BinaryOp::Mul => Value::Int(ints?.0.checked_mul(ints?.1)?),
        BinaryOp::Div => Value::Int(ints?.0.checked_div(ints?.1)?),
        BinaryOp::Mod => Value::Int(ints?.0.checked_rem(ints?.1)?),
        BinaryOp::And | BinaryOp::Or | BinaryOp::Coalesce => return None,
    })
}

/// `==` between known values; a `"true"`/`"false"` string from an azd placeholder equals the boolean.
fn loosely_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Bool(_), Value::Str(_)) | (Value::Str(_), Value::Bool(_)) => {
            a.truth().is_some() && a.truth() == b.truth()
        }
        _ => a == b,
    }
}

/// A value as interpolation shows it; `None` for values that have no text (arrays, unknown placeholders).
fn display(value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(_) | Value::Env(_) => None,
    }
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
