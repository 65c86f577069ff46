//! Kinds Azure reports that the source does not write.

use super::super::ast::Expr;
use super::super::resolve::Env;

/// `frontdoor` for a `Microsoft.Cdn/profiles` whose `sku.name` is a Front Door Standard/Premium sku
/// (`Standard_AzureFrontDoor`, `Premium_AzureFrontDoor`): Azure reports such profiles with that kind, and the
/// catalog counts them as Azure Front Door rather than the classic CDN the type alone names.
pub(super) fn front_door_kind(env: &Env, full_type: &str, body: Option<&Expr>) -> Option<String> {
    front_door_sku_kind(env, full_type, body?.property("sku")?.property("name"))
}

/// The same for a profile whose sku name is given as `sku` (the AVM `avm/res/cdn/profile` module's
/// `sku` parameter becomes the profile's `sku.name`).
pub(super) fn front_door_sku_kind(
    env: &Env,
    full_type: &str,
    sku_name: Option<&Expr>,
) -> Option<String> {
    if !full_type.eq_ignore_ascii_case("Microsoft.Cdn/profiles") {
        return None;
    }
    let name = env.eval(sku_name?)?.as_str()?.to_ascii_lowercase();
    name.ends_with("_azurefrontdoor")
        .then(|| "frontdoor".to_string())
}
