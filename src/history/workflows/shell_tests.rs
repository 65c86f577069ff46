//! Unit tests of the script tokenizer: each case is a shape real workflow `run:` blocks take.

use super::*;

/// The commands of a bash script, each expanded with no variables known.
fn bash(script: &str) -> Vec<Vec<String>> {
    commands(script, Dialect::Bash)
}

fn pwsh(script: &str) -> Vec<Vec<String>> {
    commands(script, Dialect::PowerShell)
}

fn commands(script: &str, dialect: Dialect) -> Vec<Vec<String>> {
    parse(script, dialect)
        .iter()
        .map(|c| c.expand(&Vars::new()))
        .collect()
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

#[test]
fn newlines_and_operators_separate_commands() {
    let got = bash(
        "az login --identity\naz group create -n rg -l eastus && az webapp up; echo done || true",
    );
    assert_eq!(
        got,
        vec![
            words("az login --identity"),
            words("az group create -n rg -l eastus"),
            words("az webapp up"),
            words("echo done"),
            words("true"),
        ]
    );
}

#[test]
fn backslash_continuations_join_lines() {
    let script = "az deployment group create \\\n  --resource-group rg-app \\\n  --template-file infra/main.bicep\n";
    assert_eq!(
        bash(script),
        vec![words(
            "az deployment group create --resource-group rg-app --template-file infra/main.bicep"
        )]
    );
}

#[test]
fn continuation_with_crlf_line_endings() {
    let script = "terraform apply \\\r\n  -auto-approve\r\n";
    assert_eq!(bash(script), vec![words("terraform apply -auto-approve")]);
}

#[test]
fn pipes_split_both_sides() {
    let script = "kubectl create namespace web --dry-run=client -o yaml | kubectl apply -f -";
    assert_eq!(
        bash(script),
        vec![
            words("kubectl create namespace web --dry-run=client -o yaml"),
            words("kubectl apply -f -")
        ]
    );
}

#[test]
fn comments_are_not_commands() {
    let script = "# terraform apply -auto-approve\nterraform plan # then terraform apply\n  # az group create";
    assert_eq!(bash(script), vec![words("terraform plan")]);
}

#[test]
fn hash_inside_a_word_is_not_a_comment() {
    assert_eq!(
        bash("echo a#b ${#x}"),
        vec![vec![
            "echo".to_string(),
            "a#b".to_string(),
            "${#x}".to_string()
        ]]
    );
}

#[test]
fn here_document_bodies_are_skipped() {
    let script = "cat <<EOF > deploy.sh\naz deployment group create -g rg\nterraform apply\nEOF\nterraform plan\n";
    assert_eq!(bash(script), vec![words("cat"), words("terraform plan")]);
}

#[test]
fn quoted_and_dashed_here_document_delimiters() {
    let script = "cat <<-'END_OF_DOC'\n\taz webapp up\n\tEND_OF_DOC\nhelm version\n";
    assert_eq!(bash(script), vec![words("cat"), words("helm version")]);
    let script = "kubectl apply -f - <<\"YAML\"\napiVersion: v1\nkind: Namespace\nYAML\n";
    assert_eq!(bash(script), vec![words("kubectl apply -f -")]);
}

#[test]
fn here_strings_are_not_here_documents() {
    assert_eq!(
        bash("grep -q x <<< \"$OUT\"\naz webapp up"),
        vec![words("grep -q x"), words("az webapp up")]
    );
}

#[test]
fn quotes_group_words_and_are_removed() {
    let got = bash(r#"az webapp config appsettings set --settings "A=1 B=2" 'C=$HOME'"#);
    let expected: Vec<String> = [
        "az",
        "webapp",
        "config",
        "appsettings",
        "set",
        "--settings",
        "A=1 B=2",
        "C=$HOME",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(got, vec![expected]);
}

#[test]
fn echoed_commands_stay_one_argument() {
    let got = bash("echo \"Run: az deployment group create -g rg\"");
    assert_eq!(
        got,
        vec![vec![
            "echo".to_string(),
            "Run: az deployment group create -g rg".to_string()
        ]]
    );
}

#[test]
fn redirections_and_their_targets_are_dropped() {
    let got = bash(
        "az deployment group create -g rg -f main.bicep > out.json 2>&1\necho \"url=x\" >> $GITHUB_OUTPUT",
    );
    assert_eq!(
        got,
        vec![
            words("az deployment group create -g rg -f main.bicep"),
            words("echo url=x")
        ]
    );
    assert_eq!(
        bash("terraform apply -no-color &> apply.log"),
        vec![words("terraform apply -no-color")]
    );
}

#[test]
fn command_substitutions_run_before_their_command() {
    let got =
        bash("OUT=$(az deployment sub create -l eastus -f main.bicep --query properties.outputs)");
    assert_eq!(
        got.first(),
        Some(&words(
            "az deployment sub create -l eastus -f main.bicep --query properties.outputs"
        ))
    );
    assert_eq!(got.len(), 2);
    let got = bash("echo `terraform apply -auto-approve`");
    assert_eq!(got.first(), Some(&words("terraform apply -auto-approve")));
}

#[test]
fn github_expressions_stay_whole() {
    let got = bash("az group create -l ${{ inputs.location }} -n ${{ env.RG }}");
    let expected: Vec<String> = [
        "az",
        "group",
        "create",
        "-l",
        "${{ inputs.location }}",
        "-n",
        "${{ env.RG }}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(got, vec![expected]);
}

#[test]
fn subshells_and_brace_groups_are_looked_into() {
    let got = bash(
        "( cd infra && terraform apply -auto-approve )\n{ helm upgrade --install web ./chart; }",
    );
    assert_eq!(
        got,
        vec![
            words("cd infra"),
            words("terraform apply -auto-approve"),
            words("helm upgrade --install web ./chart")
        ]
    );
}

#[test]
fn variables_expand_and_split_when_unquoted() {
    let vars: Vars = [("CMD".to_string(), "az deployment group create".to_string())]
        .into_iter()
        .collect();
    let cmd = parse("$CMD -g rg \"$CMD\"", Dialect::Bash);
    let got = cmd.first().map(|c| c.expand(&vars)).unwrap_or_default();
    assert_eq!(
        got,
        [
            "az",
            "deployment",
            "group",
            "create",
            "-g",
            "rg",
            "az deployment group create"
        ]
    );
}

#[test]
fn unknown_variables_stay_as_written_and_defaults_apply() {
    let got = bash("az group create -l ${LOCATION:-westeurope} -n $RG_NAME");
    assert_eq!(
        got,
        vec![words("az group create -l westeurope -n $RG_NAME")]
    );
}

#[test]
fn unterminated_quotes_do_not_panic() {
    assert_eq!(bash("echo \"never closed").len(), 1);
    assert_eq!(bash("echo 'never closed").len(), 1);
    assert_eq!(bash("x=$(az group list").len(), 2);
    assert_eq!(bash("\\").len(), 0);
    assert!(bash("cat <<EOF\nno end").len() == 1);
}

#[test]
fn deep_nesting_is_bounded() {
    let script = format!("{}az webapp up{}", "$(".repeat(200), ")".repeat(200));
    let _ = bash(&script);
}

#[test]
fn powershell_backtick_continuations_and_comments() {
    let script = "# New-AzResourceGroup -Name x\nNew-AzResourceGroupDeployment `\n  -ResourceGroupName rg `\n  -TemplateFile main.bicep\n<# Set-AzWebApp\n  -Name x #>\nGet-AzContext";
    assert_eq!(
        pwsh(script),
        vec![
            words("New-AzResourceGroupDeployment -ResourceGroupName rg -TemplateFile main.bicep"),
            words("Get-AzContext")
        ]
    );
}

#[test]
fn powershell_here_strings_are_one_literal() {
    let script = "$body = @\"\nNew-AzWebApp -Name x\n\"@\nGet-AzWebApp";
    let got = pwsh(script);
    assert_eq!(got.len(), 2);
    assert_eq!(got.get(1), Some(&words("Get-AzWebApp")));
}

#[test]
fn powershell_script_blocks_run_their_commands() {
    let script =
        "if ($env:DEPLOY -eq 'true') { New-AzResourceGroup -Name rg -Location westeurope -WhatIf }";
    let got = pwsh(script);
    assert!(
        got.contains(&words(
            "New-AzResourceGroup -Name rg -Location westeurope -WhatIf"
        )),
        "{got:?}"
    );
}

#[test]
fn powershell_parenthesised_arguments_keep_the_command_whole() {
    let got = pwsh("New-AzResourceGroup -Name (\"rg-\" + $suffix) -Location eastus -WhatIf");
    let last = got.last().cloned().unwrap_or_default();
    assert_eq!(
        last,
        words("New-AzResourceGroup -Name () -Location eastus -WhatIf")
    );
}

#[test]
fn powershell_env_variables_and_escaped_quotes() {
    let vars: Vars = [("AZURE_LOCATION".to_string(), "westeurope".to_string())]
        .into_iter()
        .collect();
    let cmd = parse(
        "az group create -l $env:AZURE_LOCATION -n 'it''s'",
        Dialect::PowerShell,
    );
    let got = cmd.first().map(|c| c.expand(&vars)).unwrap_or_default();
    assert_eq!(
        got,
        ["az", "group", "create", "-l", "westeurope", "-n", "it's"]
    );
}

#[test]
fn comments_inside_substitutions_and_blocks_do_not_open_quotes() {
    let got = bash(
        "OUT=$(\n  # don't fail (yet)\n  az deployment sub create -l eastus -f main.bicep\n)\nterraform apply",
    );
    assert!(
        got.contains(&words("az deployment sub create -l eastus -f main.bicep")),
        "{got:?}"
    );
    assert_eq!(got.last(), Some(&words("terraform apply")));
    let got = pwsh(
        "if ($deploy) {\n  # it's the production slot\n  Publish-AzWebApp -Name web\n}\nGet-AzContext",
    );
    assert!(
        got.contains(&words("Publish-AzWebApp -Name web")),
        "{got:?}"
    );
    assert_eq!(got.last(), Some(&words("Get-AzContext")));
}
