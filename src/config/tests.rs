use super::*;
use jiff::civil::date;

const CONTRACT_EXAMPLE: &str = r#"program:
  kind: founders-hub          # founders-hub | partner-program
  joined: 2026-06-01
  tier: 25k                   # the tier held now
  credits:
    total: 25000
    used: 9000                # or consumed_percent: 36
    expires: 2027-06-01
  review_lead_days: 45
checklist:
  verified_domain: true
  team_members: 2
  demo_video: https://example.com/demo
evidence:
  funding: https://example.com/funding-round
  traction: "1,200 monthly active users, +15% month over month"
  press: [https://example.com/article]
scoring:
  weights: { breadth: 40, consistency: 40, readiness: 20 }
  stale_weeks: 6
rules:
  disable: [hardcoded-region]           # names or ids
  severity: { single-region: error }
fail_on: warning                        # error | warning | note | never
min_score: 60
paths:
  include: ["infra/**"]
  exclude: ["examples/**"]
regions:
  expected: [westeurope, northeurope]
costs:
  path: costs/                          # Cost Management exports (see "Cost exports")
deploy:
  roots: [infra/main.bicep]             # what is deployed (see "What is deployed"); default: found
  env: { AZURE_LOCATION: westeurope }   # values of ${VAR} in azd parameter files when no workflow sets them
"#;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(DEFAULT_PATH, text)
}

fn error(text: &str) -> String {
    match parse(text) {
        Ok(c) => panic!("expected an error, got {c:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_contract_example_loads_with_every_key() {
    let c = parse(CONTRACT_EXAMPLE).unwrap();
    assert_eq!(c.program.kind, Some(ProgramKind::FoundersHub));
    assert_eq!(c.program.joined, Some(date(2026, 6, 1)));
    assert_eq!(c.program.tier.as_deref(), Some("25k"));
    assert_eq!(c.program.credits.total, Some(25000.0));
    assert_eq!(c.program.credits.consumed_percent(), Some(36.0));
    assert_eq!(c.program.credits.expires, Some(date(2027, 6, 1)));
    assert_eq!(c.review_lead_days(), 45);
    assert_eq!(c.checklist.team_members, Some(2));
    assert_eq!(c.evidence.press, vec!["https://example.com/article"]);
    assert_eq!(c.scoring.weights, Weights::default());
    assert_eq!(c.rules.disable, vec!["hardcoded-region"]);
    assert_eq!(
        c.rules.severity.get("single-region"),
        Some(&RuleSeverity::Error)
    );
    assert_eq!(c.fail_on, Some(FailOn::Warning));
    assert_eq!(c.min_score, Some(60));
    assert_eq!(c.paths.include, vec!["infra/**"]);
    assert_eq!(c.regions.expected, vec!["westeurope", "northeurope"]);
    assert_eq!(c.costs.path.as_deref(), Some("costs/"));
    assert_eq!(c.deploy.roots, vec!["infra/main.bicep"]);
    assert_eq!(
        c.deploy_env().get("AZURE_LOCATION").map(String::as_str),
        Some("westeurope")
    );
}

#[test]
fn deploy_roots_and_environment_values() {
    let c = parse(
        "deploy:\n  roots: terraform/envs/prod\n  env:\n    USE_APIM: true\n    REPLICAS: 3\n",
    )
    .unwrap();
    assert_eq!(c.deploy.roots, vec!["terraform/envs/prod"]);
    let env = c.deploy_env();
    assert_eq!(
        (
            env.get("USE_APIM").map(String::as_str),
            env.get("REPLICAS").map(String::as_str)
        ),
        (Some("true"), Some("3"))
    );
    assert_eq!(
        c.key_location("deploy.roots"),
        (Some(DEFAULT_PATH.to_string()), Some(2))
    );
    let e = error("deploy:\n  roots: [/etc/main.bicep]\n");
    assert!(e.contains(":2:") && e.contains("relative"), "{e}");
    let e = error("deploy:\n  env:\n    AZURE-LOCATION: westeurope\n");
    assert!(
        e.contains("AZURE-LOCATION") && e.contains("environment variable name"),
        "{e}"
    );
    let e = error("deploy:\n  root: [infra]\n");
    assert!(e.contains("roots") && e.contains("env"), "{e}");
}

#[test]
fn starter_config_loads_and_has_defaults() {
    let c = parse(starter_config()).unwrap();
    assert_eq!(c.program.kind, Some(ProgramKind::FoundersHub));
    assert_eq!(c.review_lead_days(), DEFAULT_REVIEW_LEAD_DAYS);
    assert_eq!(c.stale_weeks(), DEFAULT_STALE_WEEKS);
    assert_eq!(c.fail_on, Some(FailOn::Never));
    assert_eq!(c.scoring.weights, Weights::default());
}

#[test]
fn empty_and_comment_only_files_are_defaults() {
    assert_eq!(parse("").unwrap().program, Program::default());
    let c = parse("# nothing configured yet\n").unwrap();
    assert_eq!(c.fail_on, None);
    assert_eq!(c.stale_weeks(), 6);
}

#[test]
fn unknown_key_names_line_column_and_valid_keys() {
    let text = "program:\n  kind: founders-hub\n  credit:\n    total: 25000\n";
    assert_eq!(
        error(text),
        ".github/azengage.yml:3:3: unknown key 'credit' in program; valid keys: kind, joined, tier, \
         credits, review_lead_days"
    );
}

#[test]
fn unknown_top_level_key() {
    let msg = error("fail_on: warning\nthreshold: 50\n");
    assert!(msg.starts_with(".github/azengage.yml:2:1: unknown key 'threshold' at the top level; valid keys: program, checklist"), "{msg}");
}

#[test]
fn bad_enum_value_lists_choices() {
    let msg = error("fail_on: warnings\n");
    assert_eq!(
        msg,
        ".github/azengage.yml:1:10: invalid value 'warnings' for fail_on; valid choices: error, warning, note, never"
    );
    let msg = error("program:\n  kind: founders\n");
    assert!(msg.contains("2:9: invalid value 'founders' for program.kind; valid choices: founders-hub, partner-program"), "{msg}");
    let msg = error("rules:\n  severity:\n    single-region: fatal\n");
    assert!(msg.contains("valid choices: error, warning, note"), "{msg}");
}

#[test]
fn used_and_consumed_percent_together_is_an_error() {
    let text = "program:\n  credits:\n    total: 25000\n    used: 9000\n    consumed_percent: 36\n";
    assert_eq!(
        error(text),
        ".github/azengage.yml:5:5: give either program.credits.used or program.credits.consumed_percent, not both"
    );
}

#[test]
fn negative_weight_is_an_error() {
    let msg = error("scoring:\n  weights:\n    breadth: -5\n");
    assert_eq!(
        msg,
        ".github/azengage.yml:3:5: scoring.weights.breadth must be a non-negative number, not -5"
    );
    let flow = error("scoring:\n  weights: { breadth: 0, consistency: 0, readiness: 0 }\n");
    assert!(
        flow.starts_with(".github/azengage.yml:2:3: scoring.weights must not all be zero"),
        "{flow}"
    );
}

#[test]
fn partial_weights_keep_the_other_defaults() {
    let c = parse("scoring:\n  weights: { breadth: 60 }\n").unwrap();
    assert_eq!(
        (
            c.scoring.weights.breadth,
            c.scoring.weights.consistency,
            c.scoring.weights.readiness
        ),
        (60.0, 40.0, 20.0)
    );
}

#[test]
fn dates_and_numbers_are_checked() {
    let msg = error("program:\n  joined: 2026-13-01\n");
    assert!(msg.starts_with(".github/azengage.yml:2:"), "{msg}");
    assert!(msg.contains("program.joined"), "{msg}");
    let msg = error("min_score: 120\n");
    assert_eq!(
        msg,
        ".github/azengage.yml:1:1: min_score must be between 0 and 100, not 120"
    );
    let msg = error("program:\n  credits:\n    used: 100\n");
    assert!(msg.contains("needs program.credits.total"), "{msg}");
}

#[test]
fn expected_regions_must_be_regions() {
    let msg = error("regions:\n  expected: [westeurop]\n");
    assert_eq!(
        msg,
        ".github/azengage.yml:2:3: regions.expected: 'westeurop' is not an Azure region (did you mean 'westeurope'?)"
    );
}

#[test]
fn invalid_yaml_has_a_position() {
    let msg = error("program:\n  kind: [founders-hub\n");
    assert!(msg.starts_with(".github/azengage.yml:"), "{msg}");
    assert!(
        msg.split(':')
            .nth(1)
            .is_some_and(|l| l.parse::<u32>().is_ok()),
        "{msg}"
    );
}

#[test]
fn press_accepts_a_single_link() {
    let c = parse("evidence:\n  press: https://example.com/a\n").unwrap();
    assert_eq!(c.evidence.press, vec!["https://example.com/a"]);
}

#[test]
fn key_location_points_at_the_key() {
    let c = parse(CONTRACT_EXAMPLE).unwrap();
    assert_eq!(
        c.key_location("program.credits.expires"),
        (Some(DEFAULT_PATH.to_string()), Some(8))
    );
    assert_eq!(c.key_location("checklist").1, Some(10));
    assert_eq!(Config::default().key_location("checklist"), (None, None));
}

#[test]
fn find_and_load_read_files() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(Config::find(dir.path()).unwrap(), Config::default());
    std::fs::create_dir_all(dir.path().join(".github")).unwrap();
    std::fs::write(dir.path().join(DEFAULT_PATH), "fail_on: note\n").unwrap();
    let c = Config::find(dir.path()).unwrap();
    assert_eq!(c.fail_on, Some(FailOn::Note));
    assert_eq!(c.source.map(|s| s.file), Some(DEFAULT_PATH.to_string()));
    let missing = Config::load(&dir.path().join("nope.yml")).unwrap_err();
    assert!(matches!(missing, ConfigError::Io { .. }));
}

#[test]
fn a_bom_is_skipped_and_positions_stay_right() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github")).unwrap();
    let file = dir.path().join(DEFAULT_PATH);
    // As Notepad and Visual Studio write it: a UTF-8 BOM and CRLF line ends.
    std::fs::write(
        &file,
        "\u{feff}fail_on: warning\r\nprogram:\r\n  credits:\r\n    total: 25000\r\n    expires: 2027-06-01\r\n",
    )
    .unwrap();
    let c = Config::find(dir.path()).unwrap();
    assert_eq!(c.fail_on, Some(FailOn::Warning));
    assert_eq!(c.program.credits.total, Some(25000.0));
    assert_eq!(c.key_location("program.credits.expires").1, Some(5));
    std::fs::write(&file, "\u{feff}program:\n  credit: 1\n").unwrap();
    let msg = Config::find(dir.path()).unwrap_err().to_string();
    assert!(
        msg.starts_with(".github/azengage.yml:2:3: unknown key 'credit' in program"),
        "{msg}"
    );
}

#[test]
fn a_file_that_is_not_utf8_names_where() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("azengage.yml");
    // "fail_on: note\nprogram:\n  tier: 25k €" with the euro sign in Windows-1252.
    std::fs::write(&file, b"fail_on: note\nprogram:\n  tier: 25k \x80\n").unwrap();
    let msg = Config::load(&file).unwrap_err().to_string();
    assert!(
        msg.ends_with("azengage.yml:3:13: the file is not UTF-8; save it as UTF-8"),
        "{msg}"
    );
    // UTF-16 with its BOM, as Notepad's "Unicode" writes it.
    let utf16: Vec<u8> = "\u{feff}fail_on: note\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(&file, utf16).unwrap();
    let msg = Config::load(&file).unwrap_err().to_string();
    assert!(
        msg.ends_with("azengage.yml:1:1: the file is not UTF-8; save it as UTF-8"),
        "{msg}"
    );
}
