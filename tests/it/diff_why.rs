//! `diff` sees changes a resource's own block does not show: module arguments (`why: "module-arguments"`) and
//! the values its block reads (`why: "inputs"`), in Terraform and Bicep written the way the azd templates write
//! them; and names each unparsable file once.

use crate::git_support;

use assert_cmd::Command;
use git_support::Repo;
use serde_json::{Value, json};

// Shaped like Azure-Samples/todo-python-mongo-terraform: a root module calling local modules, variables fed
// from a variable file.
const MAIN_TF: &str = r#"locals {
  tags           = { azd-env-name : var.environment_name }
  sha            = base64encode(sha256("${var.environment_name}${var.location}"))
  resource_token = substr(replace(lower(local.sha), "[^A-Za-z0-9_]", ""), 0, 13)
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-${var.environment_name}"
  location = var.location
  tags     = local.tags
}

# Deploy app service plan
module "appserviceplan" {
  source         = "./modules/appserviceplan"
  location       = var.location
  rg_name        = azurerm_resource_group.rg.name
  tags           = azurerm_resource_group.rg.tags
  os_type        = "Linux"
  resource_token = local.resource_token
  sku_name       = "B1"
}

resource "azurerm_log_analytics_workspace" "workspace" {
  name                = "log-${local.resource_token}"
  location            = var.location
  resource_group_name = azurerm_resource_group.rg.name
  sku                 = var.log_sku
  retention_in_days   = 30
}
"#;

const VARIABLES_TF: &str = r#"variable "location" {
  description = "The supported Azure location where the resource deployed"
  type        = string
}

variable "environment_name" {
  description = "The name of the azd environment to be deployed"
  type        = string
}

variable "log_sku" {
  description = "The Log Analytics pricing tier"
  type        = string
  default     = "PerGB2018"
}
"#;

const TFVARS: &str = "location         = \"eastus2\"\nenvironment_name = \"todo-dev\"\n";

const PLAN_TF: &str = r#"resource "azurerm_service_plan" "plan" {
  name                = "plan-${var.resource_token}"
  location            = var.location
  resource_group_name = var.rg_name
  os_type             = var.os_type
  sku_name            = var.sku_name
  tags                = var.tags
}
"#;

const PLAN_VARIABLES_TF: &str = r#"variable "location" {
  type = string
}
variable "rg_name" {
  type = string
}
variable "tags" {
  type = map(string)
}
variable "os_type" {
  type = string
}
variable "resource_token" {
  type = string
}
variable "sku_name" {
  type = string
}
"#;

fn terraform_repo() -> (Repo, String) {
    let repo = Repo::new();
    repo.write("infra/main.tf", MAIN_TF);
    repo.write("infra/variables.tf", VARIABLES_TF);
    repo.write("infra/terraform.tfvars", TFVARS);
    repo.write("infra/modules/appserviceplan/appserviceplan.tf", PLAN_TF);
    repo.write(
        "infra/modules/appserviceplan/variables.tf",
        PLAN_VARIABLES_TF,
    );
    let base = repo.commit("initial", "2026-10-05 10:00:00 +0000");
    (repo, base)
}

fn diff_json(repo: &Repo, base: &str) -> Value {
    let out = Command::cargo_bin("azengage")
        .unwrap()
        .current_dir(repo.path())
        .args([
            "diff",
            "--base",
            base,
            "--head",
            "HEAD",
            "--format",
            "json",
            "--as-of",
            "2026-11-02",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn diff_text(repo: &Repo, base: &str, format: &str) -> String {
    let out = Command::cargo_bin("azengage")
        .unwrap()
        .current_dir(repo.path())
        .args([
            "diff",
            "--base",
            base,
            "--head",
            "HEAD",
            "--format",
            format,
            "--as-of",
            "2026-11-02",
            "--color",
            "never",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `(source_type.name, why, inputs)` of the changed resources, sorted.
fn changed(v: &Value) -> Vec<(String, String, Vec<String>)> {
    let mut rows: Vec<(String, String, Vec<String>)> = v["resources"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let inputs = r["inputs"]
                .as_array()
                .map(|a| a.iter().map(|i| i.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            (
                format!(
                    "{}.{}",
                    r["source_type"].as_str().unwrap(),
                    r["name"].as_str().unwrap()
                ),
                r["why"].as_str().unwrap().to_string(),
                inputs,
            )
        })
        .collect();
    rows.sort();
    rows
}

fn row(name: &str, why: &str, inputs: &[&str]) -> (String, String, Vec<String>) {
    (
        name.to_string(),
        why.to_string(),
        inputs.iter().map(|s| s.to_string()).collect(),
    )
}

#[test]
fn a_module_argument_change_marks_the_modules_resources_changed() {
    let (repo, base) = terraform_repo();
    repo.write_and_commit(
        "infra/main.tf",
        &MAIN_TF.replace("sku_name       = \"B1\"", "sku_name       = \"B3\""),
        "2026-10-06 10:00:00 +0000",
    );
    let v = diff_json(&repo, &base);
    assert_eq!(v["files_changed"], json!(["infra/main.tf"]));
    assert_eq!(
        changed(&v),
        vec![row("azurerm_service_plan.plan", "module-arguments", &[])]
    );
    assert_eq!(v["resources"]["added"], json!([]));
    assert_eq!(v["resources"]["removed"], json!([]));
    let text = diff_text(&repo, &base, "text");
    assert!(
        text.contains("~ azurerm_service_plan.plan (Microsoft.Web/serverFarms)  infra/modules/appserviceplan/appserviceplan.tf:1  (module arguments changed)"),
        "{text}"
    );
    assert!(
        !text.contains("No resources added, removed or changed"),
        "{text}"
    );
    let md = diff_text(&repo, &base, "markdown");
    assert!(
        md.contains("| changed (module arguments) | `plan` |"),
        "{md}"
    );
}

#[test]
fn a_variable_file_change_marks_what_reads_the_variable_changed() {
    let (repo, base) = terraform_repo();
    repo.write_and_commit(
        "infra/terraform.tfvars",
        &TFVARS.replace("eastus2", "swedencentral"),
        "2026-10-06 10:00:00 +0000",
    );
    let v = diff_json(&repo, &base);
    assert_eq!(v["files_changed"], json!(["infra/terraform.tfvars"]));
    // The resource group and the workspace read var.location; the plan gets it through the module call's
    // `location = var.location`, whose text did not change.
    assert_eq!(
        changed(&v),
        vec![
            row(
                "azurerm_log_analytics_workspace.workspace",
                "inputs",
                &["var.location"]
            ),
            row("azurerm_resource_group.rg", "inputs", &["var.location"]),
            row("azurerm_service_plan.plan", "inputs", &["var.location"]),
        ]
    );
    let md = diff_text(&repo, &base, "markdown");
    assert!(
        md.contains("| changed (inputs: `var.location`) | `rg` |"),
        "{md}"
    );
}

#[test]
fn defaults_and_locals_are_inputs_too() {
    let (repo, base) = terraform_repo();
    repo.write_and_commit(
        "infra/variables.tf",
        &VARIABLES_TF.replace("PerGB2018", "CapacityReservation"),
        "2026-10-06 10:00:00 +0000",
    );
    let v = diff_json(&repo, &base);
    assert_eq!(
        changed(&v),
        vec![row(
            "azurerm_log_analytics_workspace.workspace",
            "inputs",
            &["var.log_sku"]
        )]
    );
    let defaults = repo.head();
    repo.write_and_commit(
        "infra/main.tf",
        &MAIN_TF.replace(
            "azd-env-name : var.environment_name",
            "azd-env-name : var.environment_name, team : \"web\"",
        ),
        "2026-10-07 10:00:00 +0000",
    );
    let v = diff_json(&repo, &defaults);
    // local.tags: the resource group reads it; the plan gets `tags = azurerm_resource_group.rg.tags`, a
    // reference to another resource, not an input.
    assert_eq!(
        changed(&v),
        vec![row("azurerm_resource_group.rg", "inputs", &["local.tags"])]
    );
    // A variable a resource does not read changes nothing.
    let before = repo.head();
    repo.write_and_commit(
        "infra/variables.tf",
        &format!(
            "{}\nvariable \"unused\" {{\n  default = \"a\"\n}}\n",
            VARIABLES_TF.replace("PerGB2018", "CapacityReservation")
        ),
        "2026-10-08 10:00:00 +0000",
    );
    let v = diff_json(&repo, &before);
    assert_eq!(changed(&v), vec![]);
}

// Shaped like the azd Bicep templates (Azure-Samples/todo-nodejs-mongo): main.bicep calling local modules,
// values from main.parameters.json.
const MAIN_BICEP: &str = r#"targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the the environment which is used to generate a short unique hash used in all resources.')
param environmentName string

@minLength(1)
@description('Primary location for all resources')
param location string

param appServicePlanSku string = 'B1'

var abbrs = { webServerFarms: 'plan-' }
var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module appServicePlan './core/host/appserviceplan.bicep' = {
  name: 'appserviceplan'
  scope: rg
  params: {
    name: '${abbrs.webServerFarms}${environmentName}'
    location: location
    tags: tags
    sku: {
      name: appServicePlanSku
    }
  }
}
"#;

const PLAN_BICEP: &str = r#"metadata description = 'Creates an Azure App Service plan.'
param name string
param location string = resourceGroup().location
param tags object = {}

param kind string = ''
param reserved bool = true
param sku object

resource appServicePlan 'Microsoft.Web/serverfarms@2022-03-01' = {
  name: name
  location: location
  tags: tags
  sku: sku
  kind: kind
  properties: {
    reserved: reserved
  }
}

output id string = appServicePlan.id
"#;

const PARAMETERS_JSON: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "environmentName": {
      "value": "${AZURE_ENV_NAME}"
    },
    "location": {
      "value": "${AZURE_LOCATION}"
    },
    "appServicePlanSku": {
      "value": "B1"
    }
  }
}
"#;

fn bicep_repo() -> (Repo, String) {
    let repo = Repo::new();
    repo.write("infra/main.bicep", MAIN_BICEP);
    repo.write("infra/main.parameters.json", PARAMETERS_JSON);
    repo.write("infra/core/host/appserviceplan.bicep", PLAN_BICEP);
    let base = repo.commit("initial", "2026-10-05 10:00:00 +0000");
    (repo, base)
}

#[test]
fn bicep_module_params_mark_the_modules_resources_changed() {
    let (repo, base) = bicep_repo();
    repo.write_and_commit(
        "infra/main.bicep",
        &MAIN_BICEP.replace(
            "    tags: tags\n    sku:",
            "    tags: tags\n    kind: 'linux'\n    sku:",
        ),
        "2026-10-06 10:00:00 +0000",
    );
    let v = diff_json(&repo, &base);
    assert_eq!(
        changed(&v),
        vec![
            // The module statement itself is a deployment whose body changed.
            row(
                "./core/host/appserviceplan.bicep.appServicePlan",
                "body",
                &[]
            ),
            row(
                "Microsoft.Web/serverfarms@2022-03-01.appServicePlan",
                "module-arguments",
                &[]
            ),
        ]
    );
}

#[test]
fn bicep_parameter_files_and_param_defaults_are_inputs() {
    let (repo, base) = bicep_repo();
    repo.write_and_commit(
        "infra/main.parameters.json",
        &PARAMETERS_JSON.replace("\"B1\"", "\"P1v3\""),
        "2026-10-06 10:00:00 +0000",
    );
    let v = diff_json(&repo, &base);
    assert_eq!(v["files_changed"], json!(["infra/main.parameters.json"]));
    assert_eq!(
        changed(&v),
        vec![
            row(
                "./core/host/appserviceplan.bicep.appServicePlan",
                "inputs",
                &["param.appServicePlanSku"]
            ),
            row(
                "Microsoft.Web/serverfarms@2022-03-01.appServicePlan",
                "inputs",
                &["param.appServicePlanSku"]
            ),
        ]
    );
    // The module's own default, for a param the caller does not pass.
    let before = repo.head();
    repo.write_and_commit(
        "infra/core/host/appserviceplan.bicep",
        &PLAN_BICEP.replace("param reserved bool = true", "param reserved bool = false"),
        "2026-10-07 10:00:00 +0000",
    );
    let v = diff_json(&repo, &before);
    assert_eq!(
        changed(&v),
        vec![row(
            "Microsoft.Web/serverfarms@2022-03-01.appServicePlan",
            "inputs",
            &["param.reserved"]
        )]
    );
    // A var of the caller that reaches the module through its params.
    let before = repo.head();
    repo.write_and_commit(
        "infra/main.bicep",
        &MAIN_BICEP.replace("webServerFarms: 'plan-'", "webServerFarms: 'asp-'"),
        "2026-10-08 10:00:00 +0000",
    );
    let v = diff_json(&repo, &before);
    assert_eq!(
        changed(&v),
        vec![
            row(
                "./core/host/appserviceplan.bicep.appServicePlan",
                "inputs",
                &["var.abbrs"]
            ),
            row(
                "Microsoft.Web/serverfarms@2022-03-01.appServicePlan",
                "inputs",
                &["var.abbrs"]
            ),
        ]
    );
}

#[test]
fn each_unparsable_file_is_named_once() {
    let (repo, base) = terraform_repo();
    repo.write(
        "infra/broken.tf",
        "resource \"azurerm_storage_account\" \"sa\" {\n  name = \n}\n}\n",
    );
    repo.write("infra/also-broken.bicep", "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'x'\n  properties: {\n    a: [\n}\n");
    let middle = repo.commit("broken files", "2026-10-06 10:00:00 +0000");
    // Still broken at head, differently.
    repo.write(
        "infra/broken.tf",
        "resource \"azurerm_storage_account\" \"sa\" {\n  name = = \n}\n}\n",
    );
    repo.commit("still broken", "2026-10-07 10:00:00 +0000");
    for from in [&base, &middle] {
        let v = diff_json(&repo, from);
        let files: Vec<&str> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["file"].as_str().unwrap())
            .collect();
        assert_eq!(
            files,
            vec!["infra/also-broken.bicep", "infra/broken.tf"],
            "{v:#}"
        );
    }
    let text = diff_text(&repo, &middle, "text");
    assert_eq!(text.matches("infra/broken.tf:").count(), 1, "{text}");
    let md = diff_text(&repo, &base, "markdown");
    assert!(
        md.contains("2 files could not be parsed at base or at head"),
        "{md}"
    );
}
