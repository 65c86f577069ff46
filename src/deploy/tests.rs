//! Roots from the config, `azure.yaml` and the fallback, on small repositories written in temp dirs.

use super::*;
use crate::iac::Found;
use crate::model::{Condition, Resource, WhyNot};

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn context(root: &Path) -> Context {
    Context {
        repo_root: root.to_path_buf(),
        project_root: root.to_path_buf(),
        ..Context::default()
    }
}

fn plan_for(ctx: &Context, root: &Path) -> Plan {
    let paths = [root.to_path_buf()];
    let mut discovered = discover(&paths, &mut Vec::new());
    plan(ctx, &paths, &mut discovered, &ScanOptions::default())
}

fn resource(file: &Path, unit: &Path, condition: Condition) -> Resource {
    let mut r = Resource::new(
        "Microsoft.Web/sites@2023-01-01",
        "site",
        path_string(file),
        3,
    );
    r.arm_type = Some("Microsoft.Web/sites".into());
    r.scanned_from = path_string(unit);
    r.condition = condition;
    r
}

#[test]
fn paths_classify_by_segment_and_test_template_names() {
    let class = |p: &str| classify(Path::new(p));
    assert_eq!(class("infra/main.tests.bicep"), PathClass::Test);
    assert_eq!(class("Tests/e2e/main.bicep"), PathClass::Test);
    assert_eq!(class("quickstarts/demo/main.tf"), PathClass::Sample);
    assert_eq!(class("docs/x.bicep"), PathClass::Sample);
    assert_eq!(class("infra/testing/main.bicep"), PathClass::Deployable);
    assert_eq!(class("infra/examples.bicep"), PathClass::Deployable);
}

#[test]
fn the_fallback_skips_what_ordinary_files_use_but_not_what_only_tests_use() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let main = write(root, "infra/main.bicep", "");
    let module = write(root, "infra/modules/app.bicep", "");
    let test = write(root, "infra/main.test.bicep", "");
    let units: std::collections::BTreeSet<PathBuf> = [&main, &module, &test]
        .iter()
        .map(|p| absolute(p))
        .collect();
    let edges = vec![
        (path_string(&main), path_string(&module)),
        (path_string(&test), path_string(&main)),
    ];
    let roots = decide::fallback_for_tests(&units, &edges);
    assert_eq!(roots.into_iter().collect::<Vec<_>>(), [absolute(&main)]);
    // A module library: every template uses another in a ring, so every ordinary one is a root.
    let ring = vec![
        (path_string(&main), path_string(&module)),
        (path_string(&module), path_string(&main)),
    ];
    let roots = decide::fallback_for_tests(&units, &ring);
    assert_eq!(roots.len(), 2);
}

#[test]
fn azure_yaml_names_the_root_and_config_roots_replace_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "azure.yaml",
        "name: app\ninfra:\n  path: deploy\n  module: app\n",
    );
    let app = write(root, "deploy/app.bicep", "");
    let other = write(root, "deploy/other.bicep", "");
    let ctx = context(root);
    let plan = plan_for(&ctx, root);
    assert_eq!(plan.named.len(), 1);
    assert_eq!(plan.named[0].path, app);
    assert_eq!(plan.named[0].found_by, FoundBy::AzureYaml);
    assert_eq!(plan.named[0].evidence, Some((root.join("azure.yaml"), 4)));

    let ctx = Context {
        config_roots: vec!["deploy/other.bicep".into(), "deploy/missing.bicep".into()],
        config_evidence: Some((root.join(".github/azengage.yml"), 3)),
        ..context(root)
    };
    let plan = plan_for(&ctx, root);
    assert_eq!(plan.named.len(), 1);
    assert_eq!(plan.named[0].path, other);
    assert_eq!(plan.named[0].found_by, FoundBy::Config);
    assert_eq!(plan.diagnostics.len(), 1);
    assert_eq!(plan.diagnostics[0].code, "root-not-found");
    assert_eq!(plan.diagnostics[0].line, 3);
}

#[test]
fn a_missing_azure_yaml_template_is_a_warning_not_a_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "azure.yaml", "name: app\n");
    write(root, "infra/other.bicep", "");
    let plan = plan_for(&context(root), root);
    assert!(plan.named.is_empty());
    assert_eq!(plan.diagnostics.len(), 1);
    assert_eq!(plan.diagnostics[0].severity, Severity::Warning);
}

#[test]
fn resources_are_marked_by_their_unit_and_condition() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "azure.yaml", "name: app\n");
    let main = write(root, "infra/main.bicep", "");
    let app = write(root, "infra/app.bicep", "");
    let sample = write(root, "samples/a.bicep", "");
    let ctx = context(root);
    let plan = plan_for(&ctx, root);
    let found = Found {
        resources: vec![
            resource(&app, &main, Condition::Unknown),
            resource(&main, &main, Condition::False),
            resource(&app, &app, Condition::None),
            resource(&sample, &sample, Condition::None),
        ],
        units: [&main, &app, &sample]
            .iter()
            .map(|p| path_string(p))
            .collect(),
        applied: vec![(
            path_string(&main),
            path_string(&root.join("infra/main.parameters.json")),
        )],
        ..Found::default()
    };
    let decided = decide(found, &plan, &[root.to_path_buf()], root);
    let marks: Vec<(bool, Option<WhyNot>, Option<&str>)> = decided
        .resources
        .iter()
        .map(|r| (r.deployed, r.why_not, r.root.as_deref()))
        .collect();
    assert_eq!(
        marks,
        [
            (true, None, Some("infra/main.bicep")),
            (false, Some(WhyNot::Condition), None),
            (false, Some(WhyNot::Unreferenced), None),
            (false, Some(WhyNot::Sample), None),
        ]
    );
    assert_eq!(decided.roots.len(), 1);
    assert_eq!(decided.roots[0].evidence.as_deref(), Some("azure.yaml:1"));
    assert_eq!(decided.roots[0].parameters, ["infra/main.parameters.json"]);
    assert_eq!(
        decided.summary,
        "Deployed from infra/main.bicep (azure.yaml)."
    );
}

#[test]
fn azure_yaml_files_of_samples_name_no_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "samples/python/azure.yaml", "name: sample\n");
    write(root, "samples/python/infra/main.bicep", "");
    write(root, "apps/api/azure.yaml", "name: api\n");
    let api = write(root, "apps/api/infra/main.bicep", "");
    let plan = plan_for(&context(root), root);
    let named: Vec<&Path> = plan.named.iter().map(|n| n.path.as_path()).collect();
    assert_eq!(named, [api.as_path()]);
}

#[test]
fn the_directories_a_checkout_lives_in_do_not_make_it_a_sample() {
    let dir = tempfile::tempdir().unwrap();
    // A CI runner's work directory or a user's folder may be called `tests` or `docs`.
    let root = dir.path().join("docs/tests/repo");
    let main = write(&root, "infra/main.bicep", "");
    let shared = write(dir.path(), "docs/tests/shared/storage.bicep", "");
    let plan = plan_for(&context(&root), &root);
    let found = Found {
        resources: vec![
            resource(&main, &main, Condition::None),
            resource(&shared, &main, Condition::None),
        ],
        units: vec![path_string(&main)],
        edges: vec![(path_string(&main), path_string(&shared))],
        ..Found::default()
    };
    let decided = decide(found, &plan, std::slice::from_ref(&root), &root);
    assert!(
        decided.resources.iter().all(|r| r.deployed),
        "{:#?}",
        decided.resources
    );
    assert_eq!(decided.roots[0].found_by, FoundBy::Fallback);
    assert_eq!(decided.roots[0].path, "infra/main.bicep");
}
