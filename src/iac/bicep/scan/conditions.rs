//! The conditions a resource or module body states, evaluated with the values in scope: `if (...)`, loops
//! over known empty or non-empty collections, and filters inside loops.

use super::super::ast::{Expr, ExprKind};
use super::super::resolve::Env;
use crate::model::Condition;

/// The condition a resource or module body itself states: `if (...)`, a loop over a known empty (false),
/// non-empty (true) or unknown collection, and the filter inside a loop (`[for x in xs: if (x.on) {...}]`).
pub(super) fn body_condition(env: &Env, body: &Expr, depth: u32) -> Condition {
    use super::super::resolve::Value;
    if depth > 4 {
        return Condition::None;
    }
    match &body.kind {
        ExprKind::If { cond, body: inner } => {
            let own = Condition::from_known(env.eval(cond).and_then(|k| k.value.truth()));
            own.and(body_condition(env, inner, depth + 1))
        }
        ExprKind::For {
            source,
            body: inner,
            ..
        } => {
            let over = match env.eval(source).map(|k| k.value) {
                Some(Value::Array(items)) if items.is_empty() => Condition::False,
                Some(Value::Array(_)) => Condition::True,
                _ => Condition::Unknown,
            };
            let mark = env.shadow(body.loop_variables());
            let filter = body_condition(env, inner, depth + 1);
            env.unshadow(mark);
            over.and(filter)
        }
        ExprKind::Paren(inner) => body_condition(env, inner, depth + 1),
        _ => Condition::None,
    }
}
