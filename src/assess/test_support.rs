//! Builders for synthetic assessment inputs, shared by the unit tests of the assessment stage.

use super::AssessmentInput;
use crate::config::Config;
use crate::history::{Activity, CadenceMetrics, Workflow};
use crate::inventory::Inventory;
use crate::model::Resource;
use jiff::civil::Date;

/// Parse config text (as `.github/azengage.yml`), panicking on error: test inputs are known good.
pub fn config(text: &str) -> Config {
    let checked = Config::parse(".github/azengage.yml", text)
        .and_then(|c| super::rules::check_config(&c).map(|()| c));
    match checked {
        Ok(c) => c,
        Err(e) => panic!("test config does not load: {e}"),
    }
}

/// An input over borrowed parts.
pub fn input<'a>(
    inventory: &'a Inventory,
    activity: &'a Activity,
    config: &'a Config,
    as_of: Date,
) -> AssessmentInput<'a> {
    AssessmentInput {
        inventory,
        activity,
        config,
        as_of,
        costs: None,
    }
}

/// A deployed resource of `arm_type` with catalog facts filled in, at `file:line`, in `location`.
pub fn resource(arm_type: &str, file: &str, line: u32, location: Option<&str>) -> Resource {
    let mut r = Resource::new(arm_type, format!("r{line}"), file, line);
    r.arm_type = Some(arm_type.to_string());
    r.location = location.map(str::to_string);
    r.location_expr = location.map(|l| format!("'{l}'"));
    crate::inventory::fill_catalog(&mut r);
    r
}

/// An inventory of `resources`.
pub fn inventory(resources: Vec<Resource>) -> Inventory {
    Inventory {
        resources,
        ..Inventory::default()
    }
}

/// Activity from git with these metrics and workflows.
pub fn activity(metrics: CadenceMetrics, workflows: Vec<Workflow>) -> Activity {
    Activity {
        source: "git".to_string(),
        deployments_source: "inferred".to_string(),
        deployments_basis: "inferred from pushes to main that trigger azure-dev.yml".to_string(),
        weekly: Vec::new(),
        workflows,
        metrics,
        shallow: false,
    }
}

/// Steady weekly activity over half a year, active this week.
pub fn steady() -> CadenceMetrics {
    CadenceMetrics {
        weeks: 26,
        active_weeks_13: 12,
        current_streak: 6,
        longest_gap: 1,
        weeks_since_last_activity: Some(0),
        median_days_between_deployments: Some(7.0),
        last_quarter_share: 0.27,
        peak_to_median: 2.0,
    }
}

/// A workflow file; `deploys` sets its tools to `az-deployment`.
pub fn workflow(file: &str, deploys: bool) -> Workflow {
    Workflow {
        file: file.to_string(),
        deploys,
        tools: if deploys {
            vec!["az-deployment".to_string()]
        } else {
            Vec::new()
        },
        triggers: vec!["push".to_string()],
        branches: vec!["main".to_string()],
        regions: Vec::new(),
        name: None,
    }
}
