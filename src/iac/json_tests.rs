use super::*;
use proptest::prelude::*;

fn serde(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text).ok()
}

#[test]
fn positions_order_and_borrowing() {
    let text = "{\n  \"b\": [1, {\"y\": \"v\\\"w\"}],\n  \"a\": null\n}";
    let root = parse(text, Dialect::Strict).expect("json");
    let keys: Vec<_> = root
        .members()
        .unwrap()
        .iter()
        .map(|m| m.key.as_ref())
        .collect();
    assert_eq!(keys, ["b", "a"], "source order");
    let b = root.get("b").unwrap();
    assert_eq!(&text[b.start..b.end], "[1, {\"y\": \"v\\\"w\"}]");
    let y = b.items().unwrap()[1].get("y").unwrap();
    assert_eq!(y.as_str(), Some("v\"w"));
    assert!(matches!(y.value, Value::String(Cow::Owned(_))));
    assert!(matches!(root.members().unwrap()[0].key, Cow::Borrowed("b")));
    assert_eq!(
        root.members().unwrap()[1].key_at,
        text.find("\"a\"").unwrap()
    );
    assert_eq!(root.to_serde(), serde(text).unwrap());
}

#[test]
fn arm_comments_and_duplicate_keys() {
    let text = "// generated\n{ /* one */ \"a\": 1, \"url\": \"http://x//y\", \"a\": 2 } /* end";
    let root = parse(text, Dialect::Arm).expect("arm json");
    assert_eq!(root.get("a").and_then(|a| a.to_serde().as_i64()), Some(2));
    assert_eq!(root.members().unwrap().len(), 2);
    assert_eq!(root.get("url").and_then(Node::as_str), Some("http://x//y"));
    assert!(parse(text, Dialect::Strict).is_err());
    let strict = parse("{\"a\": 1, \"a\": 2}", Dialect::Strict).expect("json");
    assert_eq!(strict.members().unwrap().len(), 2);
}

#[test]
fn refuses_what_serde_json_refuses() {
    for bad in [
        "",
        "{",
        "[1,]",
        "{\"a\":1,}",
        "01",
        "1.",
        "-",
        "1e",
        ".5",
        "+1",
        "\"\\x\"",
        "\"a\nb\"",
        "tru",
        "{\"a\" 1}",
        "[1 2]",
        "1e400",
        "\"\\ud800\"",
        "\"\\udc00\\ud800\"",
        "{} x",
        "{'a': 1}",
        "nul",
    ] {
        assert!(serde(bad).is_none(), "serde_json accepts {bad:?}");
        assert!(parse(bad, Dialect::Strict).is_err(), "accepted {bad:?}");
    }
    for good in [
        "0",
        "-0.5e-3",
        "1E+2",
        "\"\\ud83d\\ude00\"",
        " [ ] ",
        "18446744073709551616",
        "\"\\/\"",
    ] {
        let node = parse(good, Dialect::Strict).expect(good);
        assert_eq!(Some(node.to_serde()), serde(good), "{good}");
    }
}

#[test]
fn nesting_stops_where_serde_json_stops() {
    let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(serde(&nested(127)).is_some() && parse(&nested(127), Dialect::Arm).is_ok());
    assert!(serde(&nested(128)).is_none() && parse(&nested(128), Dialect::Arm).is_err());
    let err = parse(&"[{\"a\":".repeat(10_000), Dialect::Strict).err();
    assert_eq!(
        err.map(|e| e.message),
        Some("JSON nested too deeply".to_string())
    );
}

fn json_text() -> impl Strategy<Value = String> {
    let atoms = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("-12.5e3".to_string()),
        Just("007".to_string()),
        "\"[a-z\\\\\"/ u0-9é]{0,6}\"",
        Just("\"\\u00e9\\n\"".to_string()),
    ];
    atoms.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(("[ab]{1,2}", inner), 0..5).prop_map(|v| {
                let members: Vec<String> = v
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\" : {v}"))
                    .collect();
                format!("{{ {} }}", members.join(" ,"))
            }),
        ]
    })
}

proptest! {
    /// Valid or mangled, every document is accepted exactly when serde_json accepts it, and read to the same
    /// value (last duplicate key winning in the ARM dialect).
    #[test]
    fn agrees_with_serde_json(text in json_text(), cut in 0usize..200, junk in "[\\[\\]{},: \"a1]{0,2}") {
        for candidate in [text.clone(), format!("{}{junk}{}", &text[..text.floor_char_boundary(cut.min(text.len()))], &text[text.floor_char_boundary(cut.min(text.len()))..])] {
            let ours = parse(&candidate, Dialect::Arm);
            let theirs = serde(&candidate);
            prop_assert_eq!(ours.is_ok(), theirs.is_some(), "{}", candidate);
            if let (Ok(node), Some(value)) = (ours, theirs) {
                prop_assert_eq!(node.to_serde(), value);
                prop_assert_eq!(node.end, candidate.trim_end().len());
            }
        }
    }
}

proptest! {
    /// Reading only some top-level members fails exactly where the full read fails (same offset, same
    /// message), and gives the members kept as the full read gives them.
    #[test]
    fn top_level_read_agrees_with_the_full_read(text in json_text(), cut in 0usize..200, junk in "[\\[\\]{},: \"a1]{0,2}") {
        let at = text.floor_char_boundary(cut.min(text.len()));
        for candidate in [text.clone(), format!("{}{junk}{}", &text[..at], &text[at..])] {
            for dialect in [Dialect::Arm, Dialect::Strict] {
                let full = parse(&candidate, dialect);
                let top = parse_top_level(&candidate, dialect, &["a"]);
                match (full, top) {
                    (Ok(full), Ok(top)) => {
                        prop_assert_eq!(full.get("a"), top.get("a"));
                        prop_assert_eq!(top.get("b"), None);
                        prop_assert_eq!((full.start, full.end), (top.start, top.end));
                        if !full.is_object() {
                            prop_assert_eq!(full, top);
                        }
                    }
                    (Err(full), Err(top)) => prop_assert_eq!(full, top),
                    (full, top) => prop_assert!(false, "{:?} against {:?} for {}", full, top, candidate),
                }
            }
        }
    }
}

#[test]
fn top_level_read_of_a_compiled_template() {
    let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "metadata": {"_generator": {"name": "bicep", "version": "0.30.23"}},
        "resources": [{"type": "Microsoft.Storage/storageAccounts", "name": "[parameters('name')]"}]}"#;
    let top = parse_top_level(text, Dialect::Arm, &["$schema", "metadata"]).expect("json");
    assert_eq!(
        top.get("$schema").and_then(Node::as_str),
        Some("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#")
    );
    let generator = top.get("metadata").and_then(|m| m.get("_generator"));
    assert_eq!(
        generator.and_then(|g| g.get("name")).and_then(Node::as_str),
        Some("bicep")
    );
    assert!(top.get("resources").is_none());
    let broken = text.replace("\"name\": \"[parameters", "\"name\" \"[parameters");
    assert_eq!(
        parse_top_level(&broken, Dialect::Arm, &["$schema"]).err(),
        parse(&broken, Dialect::Arm).err()
    );
}

#[test]
fn leading_members_read_a_compiled_template_head_only() {
    let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "metadata": {"_generator": {"name": "bicep", "version": "0.36.1.42791"}, "name": "db"},
  "resources": {"db": {"type": "Microsoft.Sql/servers/databases", "name": "[parameters('name')]"}}
}"#;
    let full = parse_top_level(text, Dialect::Arm, &["$schema", "metadata"]).expect("json");
    let metadata_end = full.get("metadata").map(|m| m.end).unwrap_or_default();
    // Every head at least as long as the two members gives them as the full read does; every shorter one
    // gives nothing (never a half-read member).
    for cut in 0..=text.len() {
        let head = &text[..cut];
        let leading = leading_members(head, Dialect::Arm, &["$schema", "metadata"]);
        if cut < metadata_end {
            assert_eq!(leading, None, "head of {cut} bytes");
        } else {
            let leading = leading.expect("both members in the head");
            assert_eq!(leading.get("$schema"), full.get("$schema"));
            assert_eq!(leading.get("metadata"), full.get("metadata"));
            assert_eq!(leading.get("contentVersion"), None);
        }
    }
    // What follows the members is not read: a broken body does not matter.
    let broken = text.replace("\"type\":", "\"type\"");
    assert!(parse(&broken, Dialect::Arm).is_err());
    assert!(leading_members(&broken, Dialect::Arm, &["$schema", "metadata"]).is_some());
    // An object that closes before a member is met, or text that is not JSON first, gives nothing.
    assert_eq!(
        leading_members(
            r#"{"$schema": "x"}"#,
            Dialect::Arm,
            &["$schema", "metadata"]
        ),
        None
    );
    assert_eq!(
        leading_members(
            r#"{"$schema" "x", "metadata": {}}"#,
            Dialect::Arm,
            &["$schema", "metadata"]
        ),
        None
    );
    assert_eq!(leading_members("[1]", Dialect::Arm, &["$schema"]), None);
}
