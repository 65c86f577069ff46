use super::*;
use crate::history::workflows::analyze_text;

/// The roots and environment values a workflow's text names, for a repository at `root`.
fn read_text(root: &Path, text: &str) -> FromWorkflows {
    let file = ".github/workflows/deploy.yml";
    let dir = root.join(".github/workflows");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(root.join(file), text).unwrap();
    assert!(analyze_text(None, file, text).unwrap().deploys, "{text}");
    let findings =
        crate::history::workflows::deploy_findings(root, &crate::iac::ScanOptions::default());
    read(root, &findings)
}

fn touch(root: &Path, rel: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "").unwrap();
    path
}

#[test]
fn az_deployment_and_powershell_name_templates_and_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let main = touch(root, "infra/main.bicep");
    let other = touch(root, "deploy/azuredeploy.json");
    let text = r#"on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: |
          az deployment sub create --location westeurope \
            --template-file ./infra/main.bicep \
            --parameters infra/main.bicepparam --parameters env=prod
      - run: az deployment group create -g rg -f infra/main.bicep --what-if
      - shell: pwsh
        run: New-AzResourceGroupDeployment -ResourceGroupName rg -TemplateFile deploy/azuredeploy.json -TemplateParameterFile deploy/azuredeploy.parameters.json
"#;
    let out = read_text(root, text);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(out.roots.len(), 2, "{:#?}", out.roots);
    assert_eq!(out.roots[0].path, main);
    assert_eq!(
        out.roots[0].params.files,
        vec![root.join("infra/main.bicepparam")]
    );
    assert_eq!(
        out.roots[0].params.values,
        vec![("env".to_string(), "prod".to_string())]
    );
    assert!(!out.roots[0].params.conventional);
    let (file, line) = out.roots[0].evidence.clone().unwrap();
    assert_eq!((file, line), (root.join(".github/workflows/deploy.yml"), 8));
    assert_eq!(out.roots[1].path, other);
    assert_eq!(
        out.roots[1].params.files,
        vec![root.join("deploy/azuredeploy.parameters.json")]
    );
}

#[test]
fn terraform_chdir_working_directory_and_var_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    touch(root, "iac/prod/main.tf");
    touch(root, "iac/staging/main.tf");
    let text = r#"on: push
env:
  AZURE_LOCATION: norwayeast
  TF_VAR_sku: ${{ vars.SKU }}
jobs:
  prod:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: ./iac
    steps:
      - run: terraform -chdir=prod plan -out tfplan -var-file=prod.tfvars -var 'replicas=2'
      - run: terraform -chdir=prod apply tfplan
  staging:
    runs-on: ubuntu-latest
    steps:
      - run: terraform apply -auto-approve
        working-directory: ${{ github.workspace }}/iac/staging
      - run: terraform destroy -auto-approve
        working-directory: iac/prod
"#;
    let out = read_text(root, text);
    let paths: Vec<&Path> = out.roots.iter().map(|r| r.path.as_path()).collect();
    assert_eq!(
        paths,
        [
            root.join("iac/prod"),
            root.join("iac/prod"),
            root.join("iac/staging")
        ]
    );
    assert_eq!(
        out.roots[0].params.files,
        vec![root.join("iac/prod/prod.tfvars")]
    );
    assert_eq!(
        out.roots[0].params.values,
        vec![("replicas".to_string(), "2".to_string())]
    );
    assert!(out.roots[1].params.files.is_empty());
    assert_eq!(
        out.env.get("AZURE_LOCATION"),
        Some(&(
            "norwayeast".to_string(),
            ".github/workflows/deploy.yml".to_string()
        ))
    );
    // A value from an expression is not a literal.
    assert!(!out.env.contains_key("TF_VAR_sku"));
}

#[test]
fn actions_and_unresolvable_paths() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let main = touch(root, "infra/main.bicep");
    let text = r#"on: workflow_dispatch
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      TEMPLATE: infra/main.bicep
      AZURE_LOCATION: westeurope
    steps:
      - uses: azure/arm-deploy@v2
        with:
          resourceGroupName: rg
          template: ${{ env.TEMPLATE }}
          parameters: infra/main.parameters.json sku=B1
      - uses: azure/bicep-deploy@v2
        with:
          type: deployment
          operation: create
          scope: resourceGroup
          template-file: ${{ inputs.template }}
  other:
    runs-on: ubuntu-latest
    env:
      AZURE_LOCATION: eastus
    steps:
      - run: az deployment group create -g rg -f "$TEMPLATE_DIR/main.bicep"
"#;
    let out = read_text(root, text);
    assert_eq!(out.roots.len(), 1, "{:#?}", out.roots);
    assert_eq!(out.roots[0].path, main);
    assert_eq!(
        out.roots[0].params.files,
        vec![root.join("infra/main.parameters.json")]
    );
    assert_eq!(
        out.roots[0].params.values,
        vec![("sku".to_string(), "B1".to_string())]
    );
    let unresolved: Vec<(u32, Severity)> = out
        .diagnostics
        .iter()
        .map(|d| (d.line, d.severity))
        .collect();
    assert_eq!(unresolved, [(19, Severity::Info), (25, Severity::Info)]);
    assert!(out.diagnostics.iter().all(|d| d.code == "unresolved-root"));
    // Two jobs set different regions: which one a deployment uses is not known.
    assert!(!out.env.contains_key("AZURE_LOCATION"));
}

#[test]
fn parameter_values_split_like_a_shell() {
    assert_eq!(
        split_parameters("a.json  name='two words' @b.json"),
        ["a.json", "name=two words", "@b.json"]
    );
    let args: Vec<String> = ["--parameters", "a.json", "b=1", "-p=c.json", "--name", "x"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        flag_values(&args, &["--parameters", "-p"]),
        ["a.json", "b=1", "c.json"]
    );
}

#[test]
fn reusable_workflows_take_the_callers_inputs_and_bicepparam_names_its_template() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let main = touch(root, "infra/main.bicep");
    std::fs::write(
        root.join("infra/main.bicepparam"),
        "using './main.bicep'\n\nparam location = 'westeurope'\n",
    )
    .unwrap();
    let app = touch(root, "app/app.bicep");
    std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
    std::fs::write(
        root.join(".github/workflows/deploy-template.yml"),
        r#"on:
  workflow_call:
    inputs:
      template_file_name:
        type: string
        required: true
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      TEMPLATE: ${{ inputs.template_file_name }}
    steps:
      - uses: actions/checkout@v4
      - run: az deployment group create -g rg --template-file "$TEMPLATE"
"#,
    )
    .unwrap();
    let text = r#"on: push
jobs:
  app:
    uses: ./.github/workflows/deploy-template.yml
    with:
      template_file_name: app/app.bicep
  infra:
    runs-on: ubuntu-latest
    steps:
      - uses: azure/bicep-deploy@v2
        with:
          type: deployment
          operation: create
          scope: resourceGroup
          parameters-file: ./infra/main.bicepparam
"#;
    let out = read_text(root, text);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let mut paths: Vec<&Path> = out.roots.iter().map(|r| r.path.as_path()).collect();
    paths.sort();
    assert_eq!(paths, [app.as_path(), main.as_path()]);
    let infra = out.roots.iter().find(|r| r.path == main).unwrap();
    assert_eq!(infra.params.files, vec![root.join("infra/main.bicepparam")]);
}
