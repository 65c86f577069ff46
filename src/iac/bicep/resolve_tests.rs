use super::*;
use crate::iac::bicep::parser::parse;

fn eval_var(src: &str, given: &ParamValues) -> Option<String> {
    let file = parse(src);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let env = Env::new(0, &file.statements, given);
    let target = file.statements.iter().rev().find_map(|s| match &s.kind {
        StmtKind::Var { name, value, .. } if name == "target" => Some(value),
        _ => None,
    })?;
    env.eval(target)
        .and_then(|k| k.as_str().map(str::to_string))
}

#[test]
fn follows_params_vars_and_string_functions() {
    let none = ParamValues::default();
    let src = "param env string = 'Prod'\nparam loc string = 'West'\nvar suffix = 'europe'\nvar target = toLower('${loc}${suffix}')\n";
    assert_eq!(eval_var(src, &none).as_deref(), Some("westeurope"));
    let src = "var cfg = {\n  region: 'northeurope'\n}\nvar target = cfg.region\n";
    assert_eq!(eval_var(src, &none).as_deref(), Some("northeurope"));
    let src = "var target = format('{0}-{1}', 'a', 1)\n";
    assert_eq!(eval_var(src, &none).as_deref(), Some("a-1"));
    // One pass, as ARM's format() (Bicep compiles to it): a value holding `{1}` stays, `{{` is a brace.
    let src = "var target = format('{0}-{1}-{{x}}', '{1}', 'b')\n";
    assert_eq!(eval_var(src, &none).as_deref(), Some("{1}-b-{x}"));
    let src = "var target = format('{0}-{1}', 'a')\n";
    assert_eq!(
        eval_var(src, &none),
        None,
        "a missing argument fails the deployment"
    );
    let src = "param location string = resourceGroup().location\nvar target = location\n";
    assert_eq!(eval_var(src, &none), None);
    let src = "var a = b\nvar b = a\nvar target = a\n";
    assert_eq!(eval_var(src, &none), None);
}

/// The truth of `var target = <condition>` in `src`, with `given` values.
fn truth(src: &str, given: &ParamValues) -> Option<bool> {
    let file = parse(src);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let env = Env::new(0, &file.statements, given);
    let target = file.statements.iter().rev().find_map(|s| match &s.kind {
        StmtKind::Var { name, value, .. } if name == "target" => Some(value),
        _ => None,
    })?;
    env.eval(target).and_then(|k| k.value.truth())
}

#[test]
fn conditions_as_real_templates_write_them() {
    let none = ParamValues::default();
    let t = |src: &str| truth(src, &none);
    let head = "param useAPIM bool = false\nparam target_ string = 'appservice'\nparam openAiHost string = 'azure'\nparam clientAppId string = ''\nparam items array = []\n";
    assert_eq!(t(&format!("{head}var target = useAPIM\n")), Some(false));
    assert_eq!(t(&format!("{head}var target = !useAPIM\n")), Some(true));
    assert_eq!(
        t(&format!(
            "{head}var target = target_ == 'containerapps' && !empty(clientAppId)\n"
        )),
        Some(false)
    );
    assert_eq!(
        t(&format!(
            "{head}var target = target_ == 'appservice' || useAPIM\n"
        )),
        Some(true)
    );
    assert_eq!(
        t(&format!(
            "{head}var target = startsWith(openAiHost, 'azure')\n"
        )),
        Some(true)
    );
    assert_eq!(
        t(&format!("{head}var target = openAiHost =~ 'AZURE'\n")),
        Some(true)
    );
    assert_eq!(
        t(&format!("{head}var target = length(items) > 0\n")),
        Some(false)
    );
    assert_eq!(
        t(&format!("{head}var target = contains(['a', 'b'], 'b')\n")),
        Some(true)
    );
    // `&&` with a false side is false even when the other side is unknown; otherwise unknown stays unknown.
    assert_eq!(
        t(&format!(
            "{head}var target = useAPIM && resourceGroup().location == 'x'\n"
        )),
        Some(false)
    );
    assert_eq!(
        t(&format!(
            "{head}var target = !useAPIM && resourceGroup().location == 'x'\n"
        )),
        None
    );
    assert_eq!(
        t("param principalId string\nvar target = !empty(principalId)\n"),
        None
    );
}

#[test]
fn azd_strings_and_environment_placeholders() {
    let src = "param useAPIM bool = true\nvar target = useAPIM\n";
    let mut given = ParamValues::default();
    let from_file = |value: Value| {
        Some(Known {
            value,
            origin: Origin::File("main.parameters.json".into()),
        })
    };
    // `"${USE_APIM=false}"` gives the string "false" to a bool parameter.
    given.insert("useAPIM".into(), from_file(Value::Str("false".into())));
    assert_eq!(truth(src, &given), Some(false));
    // An unknown placeholder is unknown: not the default, not the text.
    given.insert(
        "useAPIM".into(),
        from_file(Value::Env("${USE_APIM}".into())),
    );
    assert_eq!(truth(src, &given), None);
    let src = "param location string\nvar target = '${location}-rg'\n";
    given.insert(
        "location".into(),
        from_file(Value::Env("${AZURE_LOCATION}".into())),
    );
    assert_eq!(eval_var(src, &given), None);
}

#[test]
fn read_environment_variable_takes_the_plan_values_then_the_default() {
    let file = parse(
        "var target = readEnvironmentVariable('AZURE_LOCATION', 'westus')\nvar other = readEnvironmentVariable('MISSING')\n",
    );
    let none = ParamValues::default();
    let mut env = Env::new(0, &file.statements, &none);
    let value = |env: &Env, name: &str| {
        let expr = file.statements.iter().find_map(|s| match &s.kind {
            StmtKind::Var { name: n, value, .. } if n == name => Some(value),
            _ => None,
        })?;
        env.eval(expr).map(|k| k.value)
    };
    assert_eq!(value(&env, "target"), Some(Value::Str("westus".into())));
    assert_eq!(value(&env, "other"), Some(Value::Env("${MISSING}".into())));
    let known: BTreeMap<String, String> =
        [("AZURE_LOCATION".to_string(), "swedencentral".to_string())].into();
    env.environment = Some(&known);
    assert_eq!(
        value(&env, "target"),
        Some(Value::Str("swedencentral".into()))
    );
}

#[test]
fn given_values_override_defaults() {
    let src = "param location string = 'westeurope'\nvar target = location\n";
    let mut given = ParamValues::default();
    given.insert("location".into(), None);
    assert_eq!(eval_var(src, &given), None);
    let known = Known {
        value: Value::Str("eastus".into()),
        origin: Origin::File("p.json".into()),
    };
    given.insert("location".into(), Some(known));
    assert_eq!(eval_var(src, &given).as_deref(), Some("eastus"));
}
