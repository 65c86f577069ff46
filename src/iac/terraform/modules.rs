//! What a `module` block's `source` points at: a local directory to follow, an Azure Verified Module that
//! resolves by name, or another remote module that is not fetched.
//!
//! Terraform treats a source as local only when it starts with `./` or `../`; everything else (registry
//! addresses, `git::`, `github.com/...`, URLs) is remote.

use crate::catalog;
use crate::paths::lexical;
use std::path::{Path, PathBuf};

/// The kinds of module source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ModuleSource {
    /// A local directory, joined to the calling module's directory and normalised.
    Local(PathBuf),
    /// An Azure Verified Module resource module, with the ARM type it deploys.
    Avm(String),
    /// Any other remote module.
    Remote,
}

/// Classify a module source as written, relative to the calling module's directory.
pub(crate) fn classify(source: &str, caller_dir: &Path) -> ModuleSource {
    let local = ["./", "../", ".\\", "..\\"]
        .iter()
        .any(|p| source.starts_with(p))
        || source == "."
        || source == "..";
    if local {
        let joined = lexical(&caller_dir.join(source));
        // A caller in the current directory (`main.tf` given alone) writes no prefix; neither do its modules.
        let joined = match joined.strip_prefix(".") {
            Ok(rest) if caller_dir.as_os_str().is_empty() && !rest.as_os_str().is_empty() => {
                rest.to_path_buf()
            }
            _ => joined,
        };
        return ModuleSource::Local(joined);
    }
    match catalog::avm_terraform_module(source) {
        Some(arm_type) => ModuleSource::Avm(arm_type),
        None => ModuleSource::Remote,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_sources_join_and_normalise() {
        assert_eq!(
            classify("./modules/app", Path::new("infra")),
            ModuleSource::Local("infra/modules/app".into())
        );
        assert_eq!(
            classify("../shared", Path::new("infra/envs/dev")),
            ModuleSource::Local("infra/envs/shared".into())
        );
        assert_eq!(
            classify("../../m", Path::new("a")),
            ModuleSource::Local("../m".into())
        );
        assert_eq!(
            classify("./x", Path::new(".")),
            ModuleSource::Local("./x".into())
        );
        assert_eq!(
            classify("../x", Path::new("./infra")),
            ModuleSource::Local("./x".into())
        );
        assert_eq!(
            classify("../x", Path::new(".")),
            ModuleSource::Local("../x".into())
        );
        assert_eq!(
            classify("./m", Path::new("")),
            ModuleSource::Local("m".into())
        );
        assert_eq!(lexical(Path::new("/a/../../b")), PathBuf::from("/b"));
    }

    #[test]
    fn avm_and_remote_sources() {
        assert_eq!(
            classify(
                "Azure/avm-res-storage-storageaccount/azurerm",
                Path::new(".")
            ),
            ModuleSource::Avm("Microsoft.Storage/storageAccounts".into())
        );
        assert_eq!(
            classify(
                "registry.terraform.io/Azure/avm-res-keyvault-vault/azurerm",
                Path::new(".")
            ),
            ModuleSource::Avm("Microsoft.KeyVault/vaults".into())
        );
        assert_eq!(
            classify("Azure/naming/azurerm", Path::new(".")),
            ModuleSource::Remote
        );
        assert_eq!(
            classify("git::https://github.com/org/mod.git?ref=v1", Path::new(".")),
            ModuleSource::Remote
        );
        assert_eq!(
            classify("app.terraform.io/org/mod/azurerm", Path::new(".")),
            ModuleSource::Remote
        );
    }
}
