//! Parser tests: each construct of the Bicep checklist, then broken input.

use super::ast::*;
use super::parse;

/// Parse `src`, insisting on no errors.
fn ok(src: &str) -> Vec<Stmt> {
    let file = parse(src);
    assert!(
        file.errors.is_empty(),
        "unexpected errors {:?} in\n{src}",
        file.errors
    );
    file.statements
}

fn one(src: &str) -> StmtKind {
    let mut statements = ok(src);
    assert_eq!(statements.len(), 1, "{statements:?}");
    statements.remove(0).kind
}

fn resource(src: &str) -> ResourceDecl {
    match one(src) {
        StmtKind::Resource(r) => r,
        other => panic!("not a resource: {other:?}"),
    }
}

fn var_value(src: &str) -> Expr {
    match one(src) {
        StmtKind::Var { value, .. } => value,
        other => panic!("not a var: {other:?}"),
    }
}

#[test]
fn target_scope_metadata_and_params() {
    let statements = ok(
        "targetScope = 'subscription'\r\nmetadata description = 'x'\n\n@minLength(1)\n@sys.description('env')\nparam environmentName string\nparam tags object = {}\nparam kv resource 'Microsoft.KeyVault/vaults@2023-07-01'\n",
    );
    assert_eq!(statements.len(), 5);
    assert!(
        matches!(&statements[0].kind, StmtKind::TargetScope(Expr { kind: ExprKind::String(s), .. }) if s == "subscription")
    );
    let decorators = &statements[2].decorators;
    assert_eq!(decorators.len(), 2);
    assert_eq!(
        (
            decorators[1].namespace.as_deref(),
            decorators[1].name.as_str()
        ),
        (Some("sys"), "description")
    );
    assert!(
        matches!(&statements[4].kind, StmtKind::Param { ty: Some(TypeExpr { kind: TypeKind::Resource(t), .. }), .. } if t.starts_with("Microsoft.KeyVault"))
    );
}

#[test]
fn resource_with_existing_condition_loop_and_nested_children() {
    let r = resource(
        "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {\n  name: 'x'\n}\n",
    );
    assert!(r.existing);
    let r = resource(
        "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = if (deploy) {\n  name: 'x'\n}\n",
    );
    assert!(matches!(r.body.kind, ExprKind::If { .. }));
    let r = resource(
        "@batchSize(2)\nresource s 'Microsoft.Web/sites@2023-01-01' = [for (site, i) in sites: if (site.enabled) {\n  name: site.name\n}]\n",
    );
    let ExprKind::For {
        item, index, body, ..
    } = &r.body.kind
    else {
        panic!("{:?}", r.body)
    };
    assert_eq!((item.as_str(), index.as_deref()), ("site", Some("i")));
    assert!(matches!(body.kind, ExprKind::If { .. }));
    let r = resource(
        "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'sa'\n  resource blob 'blobServices' = {\n    name: 'default'\n    resource c 'containers@2022-09-01' = {\n      name: 'c'\n    }\n  }\n}\n",
    );
    let Some(ExprKind::Object(items)) = r.body.body_object().map(|b| &b.kind) else {
        panic!()
    };
    let Some(ObjectItem::Resource(blob)) = items.get(1) else {
        panic!("{items:?}")
    };
    assert_eq!(blob.type_string, "blobServices");
}

#[test]
fn keywords_are_contextual() {
    let r = resource(
        "resource r 'Microsoft.Foo/bar@1' = {\n  resource: 'a'\n  if: true\n  existing: 1\n  type: 'x'\n  for: [ 'a' ]\n  param: { var: 1 }\n}\n",
    );
    let Some(ExprKind::Object(items)) = r.body.body_object().map(|b| &b.kind) else {
        panic!()
    };
    assert_eq!(items.len(), 6);
}

#[test]
fn strings_interpolation_and_multi_line() {
    let v = var_value("var v = 'a${b}c${'d${e}'}f'\n");
    let ExprKind::Interpolated { parts, exprs } = &v.kind else {
        panic!("{v:?}")
    };
    assert_eq!(parts, &["a", "c", "f"]);
    assert!(matches!(exprs[1].kind, ExprKind::Interpolated { .. }));
    let v = var_value("var v = '''\nline ${x}\n'''\n");
    assert!(matches!(v.kind, ExprKind::String(ref s) if s == "line ${x}\n"));
    let v = var_value("var v = $'''\nhello ${name}\n'''\n");
    assert!(matches!(v.kind, ExprKind::Interpolated { .. }));
}

#[test]
fn operators_accessors_and_precedence() {
    let v = var_value("var v = a.?b[?0].c[^1]!.d ?? x || y && z == 1 ? p : q\n");
    let ExprKind::Ternary { cond, .. } = &v.kind else {
        panic!("{v:?}")
    };
    assert!(matches!(
        cond.kind,
        ExprKind::Binary {
            op: BinaryOp::Coalesce,
            ..
        }
    ));
    let v = var_value("var v = 1 + 2 * 3\n");
    let ExprKind::Binary {
        op: BinaryOp::Add,
        right,
        ..
    } = &v.kind
    else {
        panic!("{v:?}")
    };
    assert!(matches!(
        right.kind,
        ExprKind::Binary {
            op: BinaryOp::Mul,
            ..
        }
    ));
    let v = var_value("var v = vnet::subnet.id\n");
    assert!(
        matches!(v.kind, ExprKind::Member { ref base, .. } if matches!(base.kind, ExprKind::ChildAccess { .. }))
    );
    let v = var_value("var v = !empty(x) && -1 < 0\n");
    assert!(matches!(
        v.kind,
        ExprKind::Binary {
            op: BinaryOp::And,
            ..
        }
    ));
    // A condition continued on following lines.
    let v = var_value("var v = cond\n  ? 'a'\n  : 'b'\n");
    assert!(matches!(v.kind, ExprKind::Ternary { .. }));
}

#[test]
fn lambdas_spread_and_multi_line_calls() {
    let v = var_value("var v = map(items, x => x.name)\n");
    let ExprKind::Call { args, .. } = &v.kind else {
        panic!()
    };
    assert!(matches!(args[1].kind, ExprKind::Lambda { ref params, .. } if params == &["x"]));
    let v = var_value("var v = reduce(items, 0, (cur, next) => cur + next)\n");
    let ExprKind::Call { args, .. } = &v.kind else {
        panic!()
    };
    assert!(matches!(args[2].kind, ExprKind::Lambda { ref params, .. } if params.len() == 2));
    let v = var_value("var v = {\n  ...base\n  extra: [\n    ...list\n    'x', 'y',\n  ]\n}\n");
    let ExprKind::Object(items) = &v.kind else {
        panic!()
    };
    assert!(matches!(items[0], ObjectItem::Spread(_)));
    let v = var_value(
        "var v = reduce(map(ids, (id) => { '${id}': {} }), {}, (cur, next) => union(cur, next))\n",
    );
    assert!(matches!(v.kind, ExprKind::Call { ref args, .. } if args.len() == 3));
    let v = var_value("var v = union(\n  a,\n  b\n)\n");
    assert!(matches!(v.kind, ExprKind::Call { ref args, .. } if args.len() == 2));
    let v = var_value("var v = sys.concat('a', az.resourceGroup().location)\n");
    assert!(matches!(v.kind, ExprKind::Call { .. }));
}

#[test]
fn user_defined_types() {
    let src = "@export()\ntype config = {\n  @sys.description('The name.')\n  name: string\n  size: ('S' | 'M' | 'L')?\n  tags: { *: string }\n  pair: [string, int]\n  items: string[]\n  props: resourceInput<'Microsoft.Storage/storageAccounts@2023-01-01'>.properties\n  'quoted-key': int\n}\ntype choice =\n  | 'a'\n  | 'b'\ntype first = config.pair[0]\ntype all = config.tags.*\ntype each = config.items[*]\n@discriminator('kind')\ntype u = aType | bType\n";
    let statements = ok(src);
    assert_eq!(statements.len(), 6);
    let StmtKind::Type { ty, .. } = &statements[0].kind else {
        panic!()
    };
    let TypeKind::Object(props) = &ty.kind else {
        panic!("{ty:?}")
    };
    assert_eq!(props.len(), 7);
    assert_eq!(props[0].decorators[0].name, "description");
    assert!(matches!(props[2].ty.kind, TypeKind::Object(ref p) if p[0].name.is_none()));
    let StmtKind::Type { ty, .. } = &statements[1].kind else {
        panic!()
    };
    assert!(matches!(ty.kind, TypeKind::Union(ref m) if m.len() == 2));
}

#[test]
fn union_members_with_leading_pipes_on_their_own_lines() {
    // AVM writes long literal unions one member a line, each after a leading `|`.
    let src = "type aclType = {\n  bypass: (\n    | 'None'\n    | 'AzureServices'\n    | 'Logging, Metrics')?\n  action: (\n    'Allow' | 'Deny'\n  )?\n}\n";
    let statements = ok(src);
    let StmtKind::Type { ty, .. } = &statements[0].kind else {
        panic!()
    };
    let TypeKind::Object(props) = &ty.kind else {
        panic!("{ty:?}")
    };
    let TypeKind::Nullable(bypass) = &props[0].ty.kind else {
        panic!("{:?}", props[0].ty)
    };
    assert!(matches!(bypass.kind, TypeKind::Union(ref m) if m.len() == 3));
    assert!(
        matches!(props[1].ty.kind, TypeKind::Nullable(ref t) if matches!(t.kind, TypeKind::Union(ref m) if m.len() == 2))
    );
    let StmtKind::Type { ty, .. } = one("type kind =\n  | 'Standard'\n  | 'Premium'\n") else {
        panic!()
    };
    assert!(matches!(ty.kind, TypeKind::Union(ref m) if m.len() == 2));
    // ... and a property's whole union may start on the line after its ':'.
    let StmtKind::Type { ty, .. } = one(
        "type db = {\n  createMode:\n    | 'Copy'\n    | 'Default'\n    | 'Secondary'?\n  state: 'Enabled' | 'Disabled'?\n}\n",
    ) else {
        panic!()
    };
    let TypeKind::Object(props) = &ty.kind else {
        panic!("{ty:?}")
    };
    assert_eq!(props.len(), 2);
    assert!(matches!(props[0].ty.kind, TypeKind::Union(ref m) if m.len() == 3));
}

#[test]
fn imports_extensions_functions_outputs_tests() {
    let src = "import {naming, tagsType as tags} from './types.bicep'\nimport * as shared from 'br/public:avm/utl/types/avm-common-types:0.5.1'\nimport 'az@1.0.0'\nprovider microsoftGraph\nextension kubernetes with {\n  namespace: 'default'\n  kubeConfig: kc\n} as k8s\nextension 'br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:0.1.8-preview'\nfunc name(prefix string, n int) string => '${prefix}-${n}'\noutput id string = sa.id\noutput sa resource 'Microsoft.Storage/storageAccounts@2023-01-01' = sa\noutput maybe string? = sa.?name\ntest t './main.bicep' = {\n  params: {}\n}\nassert nameOk = length(name) < 24\n";
    let statements = ok(src);
    assert_eq!(statements.len(), 12);
    let quoted =
        one("import {\n  'not-a-valid-identifier' as valid\n  other\n} from 'modules/mod.json'\n");
    assert!(matches!(quoted, StmtKind::Import { ref names, .. } if names == &["valid", "other"]));
    assert!(
        matches!(&statements[0].kind, StmtKind::Import { names, source: Some(s), .. } if names == &["naming", "tags"] && s == "./types.bicep")
    );
    assert!(matches!(&statements[6].kind, StmtKind::Func { params, .. } if params.len() == 2));
}

#[test]
fn bicepparam_statements() {
    let statements = ok(
        "using './main.bicep'\nextends './base.bicepparam'\nimport { env } from './vars.bicep'\nvar prefix = 'app'\nparam location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')\nparam secret = az.getSecret('sub', 'rg', 'kv', 'name')\n",
    );
    assert!(
        matches!(&statements[0].kind, StmtKind::Using { path: Some(p) } if p == "./main.bicep")
    );
    assert!(matches!(
        &statements[4].kind,
        StmtKind::Param {
            ty: None,
            value: Some(_),
            ..
        }
    ));
    assert!(matches!(
        one("using none\n"),
        StmtKind::Using { path: None }
    ));
    let inline = ok(
        "using 'main.bicep'\n@inline()\nparam foo\nparam bar = int(externalInput('sys.cli', 'bar'))\nparam obj = {\n  name : 'vm2'\n}\n",
    );
    assert!(matches!(
        &inline[1].kind,
        StmtKind::Param {
            ty: None,
            value: None,
            ..
        }
    ));
}

#[test]
fn comments_directives_and_commas() {
    let statements = ok(
        "// header\n/* block\n comment */\n#disable-next-line no-unused-params\nparam a string // trailing\n#disable-diagnostics no-hardcoded-location\nvar b = { x: 1, y: 2, }\nvar c = [1, 2, 3,]\n",
    );
    assert_eq!(statements.len(), 3);
}

/// Errors: one diagnostic per problem, and the statements after it still parse.
fn errors(src: &str) -> (Vec<Stmt>, Vec<SyntaxError>) {
    let file = parse(src);
    (file.statements, file.errors)
}

#[test]
fn unexpected_token_gives_one_error_and_parsing_resumes() {
    let (statements, errs) = errors(
        "param a string\nvar = 3\nresource r 'Microsoft.Web/sites@2023-01-01' = {\n  name: 'x'\n}\n",
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].offset, 19);
    assert!(
        statements
            .iter()
            .any(|s| matches!(s.kind, StmtKind::Resource(_)))
    );
    let (statements, errs) = errors("garbage here )))\nparam b int\n");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(statements.len(), 1);
}

#[test]
fn bad_property_skips_to_next_line() {
    let (statements, errs) = errors(
        "resource r 'Microsoft.Web/sites@2023-01-01' = {\n  name: 'x' 'y'\n  location: 'westeurope'\n  = 3\n}\n",
    );
    assert_eq!(errs.len(), 2, "{errs:?}");
    let StmtKind::Resource(r) = &statements[0].kind else {
        panic!()
    };
    assert!(r.body.property("location").is_some());
}

#[test]
fn missing_brace_is_found_at_the_next_statement() {
    let src = "resource a 'Microsoft.Web/serverfarms@2023-01-01' = {\n  name: 'plan'\n  properties: {\n    reserved: true\n}\n\nresource b 'Microsoft.Web/sites@2023-01-01' = {\n  name: 'site'\n}\n";
    let (statements, errs) = errors(src);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].message.contains('}'), "{errs:?}");
    let names: Vec<_> = statements
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Resource(r) => Some(r.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn missing_brace_before_a_decorated_statement() {
    let src = "resource a 'Microsoft.Web/sites@2023-01-01' = {\n  name: 'a'\n\n@description('second')\nresource b 'Microsoft.Web/sites@2023-01-01' = {\n  name: 'b'\n}\n";
    let (statements, errs) = errors(src);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(statements.len(), 2);
    // Decorators in the first column inside an object type are still fine.
    ok("type t = {\n@description('x')\nname: string\n}\n");
}

#[test]
fn unterminated_strings_and_garbage_bytes() {
    let (statements, errs) = errors("var a = 'abc\nvar b = 'ok'\n");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(statements.len(), 2);
    let (statements, errs) = errors("var a = '${x\nparam p string\n");
    assert!(!errs.is_empty());
    assert!(
        statements
            .iter()
            .any(|s| matches!(&s.kind, StmtKind::Param { name, .. } if name == "p"))
    );
    let garbage: String = (0u8..=255).map(char::from).cycle().take(5000).collect();
    let (_, errs) = errors(&garbage);
    assert!(!errs.is_empty() && errs.len() <= 101, "{}", errs.len());
    let (_, errs) = errors("var x = '''never closed\n");
    assert_eq!(errs.len(), 1, "{errs:?}");
}

#[test]
fn deep_nesting_is_cut_off_without_overflow() {
    for (open, close) in [
        ("[", "]"),
        ("(", ")"),
        ("{a:", "}"),
        ("'${", "}'"),
        ("!", ""),
        ("-", ""),
        ("union(", ", {})"),
    ] {
        let src = format!(
            "var x = {}1{}\nparam after string\n",
            open.repeat(10_000),
            close.repeat(10_000)
        );
        let (statements, errs) = errors(&src);
        // One error says why; the brackets left open by the bail-out add none.
        assert_eq!(errs.len(), 1, "{open}: {errs:?}");
        assert!(errs[0].message.contains("nesting"), "{open}: {errs:?}");
        assert!(
            statements
                .iter()
                .any(|s| matches!(&s.kind, StmtKind::Param { name, .. } if name == "after")),
            "{open}"
        );
    }
    // Declarations nest through more functions per level than expressions do.
    for (prefix, open, close) in [
        ("type t = ", "{a: ", "}"),
        ("type t = ", "[", "]"),
        ("type t = ", "(", ")"),
        ("resource r 'A.B/c@1' = ", "{\n resource c 'd' = ", "\n}"),
        ("resource r 'A.B/c@1' = ", "[for x in y: if (x) ", "]"),
        ("var f = ", "(a, b) => ", ""),
        ("var f = ", "a ? b : ", ""),
    ] {
        let src = format!(
            "{prefix}{}{{}}{}\nparam after string\n",
            open.repeat(10_000),
            close.repeat(10_000)
        );
        let (statements, errs) = errors(&src);
        assert!(
            errs.iter().any(|e| e.message.contains("nesting")),
            "{open}: {errs:?}"
        );
        assert!(
            statements
                .iter()
                .any(|s| matches!(&s.kind, StmtKind::Param { name, .. } if name == "after")),
            "{open}"
        );
    }
    let chain = format!(
        "var x = a{}\nvar y = 1{}\ntype t = string{}\n",
        ".b".repeat(10_000),
        " + 1".repeat(10_000),
        "[]".repeat(10_000)
    );
    let (_, errs) = errors(&chain);
    assert_eq!(
        errs.iter()
            .filter(|e| e.message.contains("nesting"))
            .count(),
        3,
        "{errs:?}"
    );
}

#[test]
fn spans_cover_expressions() {
    let src = "resource r 'Microsoft.Web/sites@2023-01-01' = {\n  location: toLower(location)\n}\n";
    let r = resource(src);
    let location = r.body.property("location").unwrap();
    assert_eq!(
        &src[location.span.start..location.span.end],
        "toLower(location)"
    );
    assert_eq!(
        &src[r.type_span.start..r.type_span.end],
        "'Microsoft.Web/sites@2023-01-01'"
    );
}

#[test]
fn avm_style_multi_line_expressions() {
    let src = r#"param services serviceType = kind != 'FileStorage'
  ? {
      retentionEnabled: true
      retentionDays: 7
    }
  : {}

var identities = reduce(
  map(
    union(
      (managed.?userAssignedResourceIds ?? []),
      (!empty(cmk.?identityId)
        ? [cmk.?identityId]
        : [])
    ),
    (id) => { '${id}': {} }
  ),
  {},
  (cur, next) => union(cur, next)
) // flat array to object

var roles = [
  for (ra, index) in (assignments ?? []): union(ra, {
    roleDefinitionId: names[?ra.roleDefinitionIdOrName] ?? (contains(
        ra.roleDefinitionIdOrName,
        '/providers/Microsoft.Authorization/roleDefinitions/'
      )
      ? ra.roleDefinitionIdOrName
      : subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ra.roleDefinitionIdOrName))
  })
]

var days = policy.versionDeletePolicyDays!
"#;
    let statements = ok(src);
    assert_eq!(statements.len(), 4);
    assert!(matches!(
        &statements[0].kind,
        StmtKind::Param {
            value: Some(Expr {
                kind: ExprKind::Ternary { .. },
                ..
            }),
            ..
        }
    ));
    assert!(matches!(
        &statements[3].kind,
        StmtKind::Var {
            value: Expr {
                kind: ExprKind::NonNull(_),
                ..
            },
            ..
        }
    ));
}

#[test]
fn functions_and_extensions_in_their_less_common_forms() {
    let src = "func buildUrl(\n  https bool,\n  hostname string\n) string => '${https ? 'https' : 'http'}://${hostname}'\n\noutput same bool =like ('abc', 'a*')\nfunc pick() array => map(barTest(), a => 'Hello ${a}!')\nextension az\nextension kubernetes as k8s\nresource custom 'az:My.Rp/TestType@2020-01-01' = {\n  name: 'x'\n}\nmodule m 'child.bicep' = [for i in range(0, 4): {\n  extensionConfigs: {\n    k8s: k8s.config\n  }\n}]\n";
    let statements = ok(src);
    assert_eq!(statements.len(), 7);
    assert!(matches!(&statements[0].kind, StmtKind::Func { params, .. } if params.len() == 2));
}

#[test]
fn type_declarations_in_every_form() {
    let src = "@sealed()\ntype deep = {\n  objectProp: {\n    @minValue(1)\n    nested: int [] [] ?\n  }\n  recursion: deep?\n}\ntype prop = deep.objectProp.nested\ntype tuples = ['a', 'b']\n|['c']\ntype single = | 'alone'\ntype mixed = ('x'|{ shape: '*', size: '*'}|10|-10|true|!true|null)[]\nparam inline {\n  foo: string\n  bar: 100|200\n  baz: sys.bool\n} = {\n  foo: 'foo'\n  bar: 100\n  baz: false\n}\nparam union {p: 'ping'}|{p: 'pong'} = {p: 'pong'}\ntype nonNullable = deep!\ntype maybe = (typeA | typeB)!\n@discriminator('type')\noutput o typeA | typeB | ({ type: 'c', value: int }) = { type: 'c', value: 1 }\nvar pick = list[0][?'key']\n";
    let statements = ok(src);
    assert_eq!(statements.len(), 11);
}
