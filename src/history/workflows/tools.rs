//! Which deployment tool a command is, by the contract's fixed taxonomy.
//!
//! A command is judged by what runs (its program and subcommands), never by text it merely mentions. Dry runs
//! (`--what-if`, `--dry-run`, `azd provision --preview`, `terraform plan`), reads and deletions are not
//! deployments and name no tool.

use super::shell::{self, Dialect, Vars};

/// `azd up|provision|deploy`.
pub const AZD: &str = "azd";
/// `az deployment ... create`, `az group deployment create`, `az stack ... create`.
pub const AZ_DEPLOYMENT: &str = "az-deployment";
/// `terraform apply`, or a hashicorp action that applies.
pub const TERRAFORM: &str = "terraform";
/// `helm install|upgrade`.
pub const HELM: &str = "helm";
/// `kubectl apply|create|replace|set image|rollout restart`.
pub const KUBECTL: &str = "kubectl";
/// A push to a `*.azurecr.io` registry, `az acr build|import`.
pub const ACR_PUSH: &str = "acr-push";
/// `New-Az*`, `Set-Az*`, `Update-Az*`, `Publish-Az*` cmdlets.
pub const AZURE_POWERSHELL: &str = "azure-powershell";
/// Any other `az` command that writes.
pub const AZURE_CLI: &str = "azure-cli";

/// Nesting limit for commands inside commands (`az aks command invoke --command "..."`).
const MAX_DEPTH: usize = 8;

/// The last `az` subcommands that write (besides the `enable-`/`set-`/`add-`/`update-` prefixes).
const AZ_WRITE_VERBS: &[&str] = &[
    "create",
    "update",
    "set",
    "add",
    "start",
    "restart",
    "scale",
    "deploy",
    "up",
    "import",
    "config-zip",
    "config",
    "upload",
    "upload-batch",
    "sync",
    "swap",
    "assign",
    "apply",
    "publish",
    "replace",
    "activate",
    "bind",
    "attach",
    "upgrade",
    "restore",
    "redeploy",
    "resize",
    "reimage",
    "failover",
    "promote",
    "grant",
    "renew",
    "rotate",
];

/// Prefixes of `az` verbs that write (`enable-addons`, `set-policy`, `add-identity`, `update-settings`).
const AZ_WRITE_PREFIXES: &[&str] = &["enable-", "set-", "add-", "update-"];

/// `az` command groups that configure the CLI itself or Azure DevOps, never Azure resources.
const AZ_NON_RESOURCE_GROUPS: &[&str] = &[
    "login",
    "logout",
    "config",
    "extension",
    "bicep",
    "cloud",
    "upgrade",
    "init",
    "devops",
    "pipelines",
    "repos",
    "boards",
    "artifacts",
];

/// The tools a command (already expanded into words) deploys with; empty for anything else.
pub fn command_tools(words: &[String], dialect: Dialect) -> Vec<&'static str> {
    command_tools_at(words, dialect, 0)
}

fn command_tools_at(words: &[String], dialect: Dialect, depth: usize) -> Vec<&'static str> {
    let Some(first) = words.first() else {
        return Vec::new();
    };
    let args = words.get(1..).unwrap_or_default();
    let tool = match program(first).as_str() {
        "az" => return az_tools(args, depth),
        "azd" => azd(args),
        "terraform" => terraform(args),
        "helm" => helm(args),
        "kubectl" => kubectl(args),
        "docker" | "podman" => docker(args),
        _ if dialect == Dialect::PowerShell => powershell_cmdlet(first, args),
        _ => None,
    };
    tool.into_iter().collect()
}

/// The program's name: path and Windows extension dropped, lower-cased.
pub fn program(word: &str) -> String {
    let base = word
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(word)
        .to_ascii_lowercase();
    [".exe", ".cmd", ".ps1"]
        .iter()
        .find_map(|ext| base.strip_suffix(ext))
        .map_or(base.clone(), str::to_string)
}

/// True when `flag` (e.g. `--what-if`) is among `args`, alone or as `flag=value`.
fn has_flag(args: &[String], flag: &str) -> bool {
    args.iter().any(|a| {
        a == flag
            || a.strip_prefix(flag)
                .is_some_and(|rest| rest.starts_with('='))
    })
}

/// The value of `--name value` / `--name=value` for any of `names`.
pub fn flag_value<'a>(args: &'a [String], names: &[&str]) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, a)| {
        names.iter().find_map(|n| {
            if a == n {
                args.get(i + 1).map(String::as_str)
            } else {
                a.strip_prefix(n).and_then(|rest| rest.strip_prefix('='))
            }
        })
    })
}

/// Words before the first flag (`az webapp deployment source config-zip --src x` → the four subcommands).
fn subcommands(args: &[String]) -> Vec<&str> {
    let global = ["--only-show-errors", "--debug", "--verbose"];
    args.iter()
        .skip_while(|a| global.contains(&a.as_str()))
        .map(String::as_str)
        .take_while(|a| {
            !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        .take_while(|a| !a.starts_with('-'))
        .collect()
}

/// Positional words after skipping flags and the values of flags that take one (`values`).
fn positionals<'a>(args: &'a [String], flags_with_values: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip_next = false;
    for a in args {
        if skip_next {
            skip_next = false;
        } else if a.starts_with('-') {
            skip_next = flags_with_values.contains(&a.as_str());
        } else {
            out.push(a.as_str());
        }
    }
    out
}

fn az_tools(args: &[String], depth: usize) -> Vec<&'static str> {
    let path = subcommands(args);
    if has_flag(args, "--what-if") || has_flag(args, "--dry-run") {
        return Vec::new();
    }
    let tool = match path.as_slice() {
        [] => None,
        ["deployment", "group" | "sub" | "mg" | "tenant", "create"] | ["deployment", "create"] => {
            (!args.iter().any(|a| a == "-w")).then_some(AZ_DEPLOYMENT)
        }
        ["group", "deployment", "create"] => Some(AZ_DEPLOYMENT),
        ["stack", .., "create"] => Some(AZ_DEPLOYMENT),
        ["acr", "build"] => (!has_flag(args, "--no-push")).then_some(ACR_PUSH),
        ["acr", "import"] => Some(ACR_PUSH),
        ["aks", "command", "invoke"] => aks_command_writes(args, depth).then_some(AZURE_CLI),
        ["rest", ..] => rest_writes(args).then_some(AZURE_CLI),
        ["account", "set" | "clear"] | ["acr", "login"] => None,
        [group, ..] if AZ_NON_RESOURCE_GROUPS.contains(group) => None,
        [.., last] => az_verb_writes(last).then_some(AZURE_CLI),
    };
    tool.into_iter().collect()
}

/// True when an `az` command's last subcommand is a write verb.
pub fn az_verb_writes(verb: &str) -> bool {
    AZ_WRITE_VERBS.contains(&verb) || AZ_WRITE_PREFIXES.iter().any(|p| verb.starts_with(p))
}

/// `az rest` writes with PUT, POST or PATCH (its default method is GET).
fn rest_writes(args: &[String]) -> bool {
    flag_value(args, &["--method", "-m"])
        .is_some_and(|m| ["put", "post", "patch"].contains(&m.to_ascii_lowercase().as_str()))
}

/// `az aks command invoke --command "kubectl apply ..."`: counts when the command is a kubectl or helm write.
fn aks_command_writes(args: &[String], depth: usize) -> bool {
    if depth >= MAX_DEPTH {
        return false;
    }
    let Some(command) = flag_value(args, &["--command", "-c"]) else {
        return false;
    };
    shell::parse(command, Dialect::Bash).iter().any(|c| {
        let words = c.expand(&Vars::new());
        command_tools_at(&words, Dialect::Bash, depth + 1)
            .iter()
            .any(|t| *t == KUBECTL || *t == HELM)
    })
}

fn azd(args: &[String]) -> Option<&'static str> {
    let verb = positionals(args, &["-e", "--environment", "--cwd", "-C"])
        .first()
        .copied()?;
    let deploys = matches!(verb, "up" | "provision" | "deploy");
    (deploys && !has_flag(args, "--preview")).then_some(AZD)
}

fn terraform(args: &[String]) -> Option<&'static str> {
    let verb = args.iter().find(|a| !a.starts_with('-'))?;
    let destroys = has_flag(args, "-destroy") || has_flag(args, "--destroy");
    (verb == "apply" && !destroys).then_some(TERRAFORM)
}

fn is_dry_run(args: &[String]) -> bool {
    args.iter().any(|a| {
        (a == "--dry-run" || a.starts_with("--dry-run=") || a == "--server-dry-run")
            && a != "--dry-run=none"
    })
}

const HELM_VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--kube-context",
    "--kubeconfig",
    "--registry-config",
];

fn helm(args: &[String]) -> Option<&'static str> {
    let verb = positionals(args, HELM_VALUE_FLAGS).first().copied()?;
    (matches!(verb, "install" | "upgrade") && !is_dry_run(args)).then_some(HELM)
}

const KUBECTL_VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "--kubeconfig",
    "--cluster",
    "--user",
    "-s",
    "--server",
    "-f",
    "--filename",
];

fn kubectl(args: &[String]) -> Option<&'static str> {
    let words = positionals(args, KUBECTL_VALUE_FLAGS);
    let writes = matches!(
        words.as_slice(),
        ["apply" | "create" | "replace", ..] | ["set", "image", ..] | ["rollout", "restart", ..]
    );
    (writes && !is_dry_run(args)).then_some(KUBECTL)
}

/// True when an image reference or registry names an Azure Container Registry (`x.azurecr.io[/repo:tag]`).
pub fn is_acr_reference(image: &str) -> bool {
    let host = image.trim().split('/').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    host.ends_with(".azurecr.io")
}

/// `docker push x.azurecr.io/app`, `docker image push ...`, `docker [buildx] build --push -t x.azurecr.io/app`.
fn docker(args: &[String]) -> Option<&'static str> {
    let words = positionals(
        args,
        &[
            "-t",
            "--tag",
            "-f",
            "--file",
            "--platform",
            "--build-arg",
            "--context",
        ],
    );
    let pushed: Vec<&str> = match words.as_slice() {
        ["push", image, ..] | ["image", "push", image, ..] => vec![image],
        ["build", ..] | ["buildx", "build", ..] if has_flag(args, "--push") => tags(args),
        _ => Vec::new(),
    };
    pushed
        .iter()
        .any(|image| is_acr_reference(image))
        .then_some(ACR_PUSH)
}

fn tags(args: &[String]) -> Vec<&str> {
    args.iter()
        .enumerate()
        .filter_map(|(i, a)| match a.as_str() {
            "-t" | "--tag" => args.get(i + 1).map(String::as_str),
            _ => a.strip_prefix("--tag="),
        })
        .collect()
}

/// `New-Az*`, `Set-Az*`, `Update-Az*`, `Publish-Az*` (incl. `New-Az*Deployment`), unless `-WhatIf`.
/// `Set-AzContext` and `Set-AzDefault` only choose what later commands act on.
fn powershell_cmdlet(first: &str, args: &[String]) -> Option<&'static str> {
    let name = first.to_ascii_lowercase();
    let writes = ["new-az", "set-az", "update-az", "publish-az"]
        .iter()
        .any(|p| name.starts_with(p));
    let selects = name.starts_with("set-azcontext") || name.starts_with("set-azdefault");
    let what_if = args.iter().any(|a| {
        let a = a.to_ascii_lowercase();
        a == "-whatif" || (a.starts_with("-whatif:") && !a.ends_with("$false"))
    });
    (writes && !selects && !what_if).then_some(AZURE_POWERSHELL)
}

#[cfg(test)]
#[path = "tools_tests.rs"]
mod tests;
