//! Unit tests of script reading: variables the step assigns, `eval`, wrappers, keywords, echoed text.

use super::*;

fn run(script: &str, dialect: Dialect, env: &[(&str, &str)]) -> Findings {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut findings = Findings::default();
    run_script(script, dialect, &env, &mut findings);
    findings
}

fn tools_of(script: &str) -> Vec<&'static str> {
    run(script, Dialect::Bash, &[]).tools.into_iter().collect()
}

#[test]
fn commands_held_in_variables_assigned_in_the_step_are_resolved() {
    let script = "DEPLOY_CMD=\"az deployment group create -g rg -f infra/main.bicep\"\n$DEPLOY_CMD --parameters env=prod\n";
    assert_eq!(tools_of(script), vec![tools::AZ_DEPLOYMENT]);
    let script = "CMD='terraform apply -auto-approve'\neval \"$CMD\"";
    assert_eq!(tools_of(script), vec![tools::TERRAFORM]);
    let script = "export HELM_CMD=\"helm upgrade --install web ./chart\"\n${HELM_CMD} --wait";
    assert_eq!(tools_of(script), vec![tools::HELM]);
}

#[test]
fn variables_make_a_dry_run_visible() {
    let script = "OPTS=\"--what-if\"\naz deployment group create -g rg -f main.bicep $OPTS";
    assert!(tools_of(script).is_empty());
}

#[test]
fn a_variable_not_assigned_is_not_guessed() {
    assert!(tools_of("$DEPLOY_CMD --parameters env=prod").is_empty());
}

#[test]
fn assignment_before_a_command_is_for_that_command_only() {
    let script = "CMD=\"terraform apply\" make deploy\n$CMD";
    assert!(tools_of(script).is_empty());
}

#[test]
fn echoed_printed_and_sed_text_is_not_run() {
    let script = "echo \"next: az deployment group create -g rg\"\nprintf '%s\\n' 'terraform apply'\nsed -i 's/terraform apply/terraform plan/' Makefile\ngrep 'kubectl apply' README.md\n";
    assert!(tools_of(script).is_empty());
}

#[test]
fn wrappers_and_keywords_are_looked_through() {
    assert_eq!(
        tools_of("sudo -E terraform apply -auto-approve"),
        vec![tools::TERRAFORM]
    );
    assert_eq!(tools_of("timeout 30m azd up --no-prompt"), vec![tools::AZD]);
    assert_eq!(
        tools_of("ARM_USE_OIDC=true terraform apply tfplan"),
        vec![tools::TERRAFORM]
    );
    assert_eq!(
        tools_of("env TF_IN_AUTOMATION=1 terraform apply tfplan"),
        vec![tools::TERRAFORM]
    );
    assert_eq!(
        tools_of("ls k8s/*.yaml | xargs -n 1 kubectl apply -f"),
        vec![tools::KUBECTL]
    );
    assert_eq!(
        tools_of("find k8s -name '*.yaml' -print0 | xargs -0 -I {} kubectl apply -f {}"),
        vec![tools::KUBECTL]
    );
    let script = "if [ \"$ENV\" = prod ]; then\n  helm upgrade --install web ./chart\nfi";
    assert_eq!(tools_of(script), vec![tools::HELM]);
    let script = "for f in k8s/*.yaml; do\n  kubectl apply -f \"$f\"\ndone";
    assert_eq!(tools_of(script), vec![tools::KUBECTL]);
}

#[test]
fn substitutions_run_even_inside_echo() {
    let script = "echo \"endpoint=$(az deployment sub create -l eastus -f main.bicep --query x -o tsv)\" >> $GITHUB_OUTPUT";
    assert_eq!(tools_of(script), vec![tools::AZ_DEPLOYMENT]);
}

#[test]
fn bash_c_and_pwsh_command_are_read() {
    assert_eq!(
        tools_of("bash -c 'azd deploy --no-prompt'"),
        vec![tools::AZD]
    );
    let found = run(
        "pwsh -Command \"New-AzResourceGroup -Name rg -Location westeurope\"",
        Dialect::Bash,
        &[],
    );
    assert_eq!(
        found.tools.into_iter().collect::<Vec<_>>(),
        vec![tools::AZURE_POWERSHELL]
    );
}

#[test]
fn scripts_a_step_calls_are_not_read() {
    assert!(tools_of("./scripts/deploy.sh prod\nbash infra/deploy.sh\nmake deploy").is_empty());
}

#[test]
fn env_values_resolve_registries_and_regions() {
    let found = run(
        "docker push $REGISTRY/web:${GITHUB_SHA}",
        Dialect::Bash,
        &[("REGISTRY", "contoso.azurecr.io")],
    );
    assert_eq!(
        found.tools.into_iter().collect::<Vec<_>>(),
        vec![tools::ACR_PUSH]
    );
    let found = run(
        "az group create -n rg -l \"$LOC\"",
        Dialect::Bash,
        &[("LOC", "North Europe")],
    );
    assert_eq!(
        found.regions.into_iter().collect::<Vec<_>>(),
        vec!["northeurope"]
    );
    let found = run(
        "LOC=uksouth\naz group create -n rg --location \"$LOC\"",
        Dialect::Bash,
        &[],
    );
    assert_eq!(
        found.regions.into_iter().collect::<Vec<_>>(),
        vec!["uksouth"]
    );
}

#[test]
fn powershell_variables_and_invoke_expression() {
    let script =
        "$cmd = \"az deployment group create -g rg -f main.bicep\"\nInvoke-Expression $cmd";
    let found = run(script, Dialect::PowerShell, &[]);
    assert_eq!(
        found.tools.into_iter().collect::<Vec<_>>(),
        vec![tools::AZ_DEPLOYMENT]
    );
    let script =
        "$location=\"westeurope\"\nNew-AzResourceGroup -Name rg -Location $location -Force";
    let found = run(script, Dialect::PowerShell, &[]);
    assert_eq!(
        found.regions.iter().copied().collect::<Vec<_>>(),
        vec!["westeurope"]
    );
    assert_eq!(
        found.tools.into_iter().collect::<Vec<_>>(),
        vec![tools::AZURE_POWERSHELL]
    );
}

#[test]
fn powershell_assignment_from_a_command_runs_it() {
    let script = "$outputs = az deployment group create -g rg -f main.bicep --query properties.outputs | ConvertFrom-Json";
    let found = run(script, Dialect::PowerShell, &[]);
    assert_eq!(
        found.tools.into_iter().collect::<Vec<_>>(),
        vec![tools::AZ_DEPLOYMENT]
    );
    let quoted = run(
        "$message = 'az deployment group create -g rg'",
        Dialect::PowerShell,
        &[],
    );
    assert!(quoted.tools.is_empty());
}

#[test]
fn powershell_variables_are_not_split_into_words() {
    let script = "$RGroupName = \"rg-uks-sandbox\"\n$RGroupLocation = \"UK South\"\nNew-AzResourceGroup -Name $RGroupName -Location $RGroupLocation -Force";
    let found = run(script, Dialect::PowerShell, &[]);
    assert_eq!(
        found.regions.into_iter().collect::<Vec<_>>(),
        vec!["uksouth"]
    );
    assert_eq!(
        found.tools.into_iter().collect::<Vec<_>>(),
        vec![tools::AZURE_POWERSHELL]
    );
}

#[test]
fn powershell_write_host_text_is_not_run() {
    let found = run(
        "Write-Host \"New-AzResourceGroup -Name rg\"\nWrite-Output 'az group create'",
        Dialect::PowerShell,
        &[],
    );
    assert!(found.tools.is_empty());
}

#[test]
fn eval_recursion_is_bounded() {
    let script = "A='eval $A'\neval $A";
    let _ = tools_of(script);
}

#[test]
fn self_doubling_variables_stay_bounded() {
    let script = "A=x\n".to_string() + &"A=\"$A $A\"\n".repeat(64) + "$A";
    let _ = tools_of(&script);
}

#[test]
fn arbitrary_text_never_panics() {
    const ALPHABET: &[char] = &[
        'a', 'z', ' ', '\n', '\\', '`', '\'', '"', '$', '{', '}', '(', ')', '<', '>', '&', '|',
        ';', '#', '@', '=', '-', ':', '\r', '\t', 'é', '*', '!',
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut text = String::new();
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let len = (seed >> 58) as usize + 1;
        for _ in 0..len * 2 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push(ALPHABET[(seed >> 33) as usize % ALPHABET.len()]);
        }
        let _ = run(&text, Dialect::Bash, &[]);
        let _ = run(&text, Dialect::PowerShell, &[]);
    }
}
