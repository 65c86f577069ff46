//! Repository and config text cannot act through azengage: end to end, with hostile text in the places a pull
//! request controls (resource labels, locations, workflow branch lists, config values) and in config errors.
//!
//! * Every body azengage writes (the PR comment and the job summary) is rendered with a real CommonMark/GFM
//!   parser (pulldown-cmark, tables and strikethrough on) and walked: no raw HTML but azengage's own marker and
//!   `<details>` lines, no link but the footer's, no image, no `@name` GitHub would turn into a mention, no bare
//!   URL GitHub would autolink, no bidirectional control; the zero-width space appears only where the escaping
//!   puts it.
//! * No line of stdout or stderr is a workflow command but azengage's own annotations.
//! * Without a writable temporary directory the PR's change section is still computed (`.git` fallback).

use crate::action_support;

use action_support::fake::FakeGithub;
use action_support::*;
use azengage::action::sinks::is_command;
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::Path;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

const FOOTER_LINK: &str = "https://github.com/azengage/azengage";

/// Pieces of hostile text: mentions in every spelling that still notifies, HTML, links, autolinks, Markdown,
/// table breakers, bidi and zero-width characters, workflow commands.
const FRAGMENTS: &[&str] = &[
    "@alice",
    "@contoso/infra-team",
    "&#64;bob",
    "\\@carol",
    "mail.me@contoso.example",
    "<img src=x onerror=alert(1)>",
    "<b>bold</b>",
    "</details>",
    "<!-- azengage -->",
    "<script>alert(1)</script>",
    "[click](https://evil.example/x)",
    "![img](https://evil.example/i.png)",
    "https://evil.example/path",
    "www.evil.example",
    "<https://evil.example>",
    "`",
    "``",
    "|",
    "| x | y |",
    "*",
    "_",
    "**",
    "~~",
    "#12",
    "\\",
    "\u{202E}",
    "\u{2066}",
    "\u{200B}",
    "\u{FEFF}",
    "::error title=pwned::owned",
    "##[set-output name=score;]100",
    "%0A::warning::x",
    "westeurope",
    "web",
    " ",
];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 1..6).prop_map(|parts| parts.concat())
}

/// `s` as an HCL string body (escapes, and no template interpolation).
fn hcl(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace("${", "$${")
        .replace("%{", "%%{")
}

/// A repository whose PR adds a storage account labelled and located with `text`, and a deploy workflow whose
/// branch list holds `text`.
fn hostile_workspace(text: &str) -> Workspace {
    let ws = workspace(false);
    let tf = format!(
        "{BASE_TF}\nresource \"azurerm_storage_account\" \"{label}\" {{\n  name                     = \"stx\"\n  \
         resource_group_name      = azurerm_resource_group.main.name\n  location                 = \"{label}\"\n  \
         account_tier             = \"Standard\"\n  account_replication_type = \"LRS\"\n}}\n",
        label = hcl(text)
    );
    std::fs::write(ws.repo.join("infra/main.tf"), tf).unwrap();
    let workflows = ws.repo.join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    let branch = serde_json::to_string(text).unwrap();
    std::fs::write(
        workflows.join("deploy.yml"),
        format!(
            "name: deploy\non:\n  push:\n    branches: [main, {branch}]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    \
             steps:\n      - uses: actions/checkout@v5\n      - uses: azure/login@v2\n        with:\n          \
             client-id: ${{{{ secrets.AZURE_CLIENT_ID }}}}\n      - run: az deployment group create -g rg-webshop -f infra/main.bicep\n"
        ),
    )
    .unwrap();
    git(&ws.repo, &["add", "-A"], "2026-11-19T10:00:00Z");
    git(
        &ws.repo,
        &["commit", "-qm", "hostile"],
        "2026-11-19T10:00:00Z",
    );
    let head = git(&ws.repo, &["rev-parse", "HEAD"], "2026-11-19T10:00:00Z");
    write_event(&ws, "pull_request_opened.json", Some(&ws.base), Some(&head));
    ws
}

/// Whether an HTML chunk is one of azengage's own: the marker, a `<details><summary>` line, `</details>`.
fn own_html(line: &str) -> bool {
    let line = line.trim();
    line.is_empty()
        || line == "</details>"
        || (line.starts_with("<!-- azengage")
            && line.ends_with(" -->")
            && !line[4..line.len() - 3].contains("--"))
        || line
            .strip_prefix("<details><summary>")
            .and_then(|rest| rest.strip_suffix("</summary>"))
            .is_some_and(|inner| !inner.contains(['<', '>']))
}

/// Text GitHub would turn into a mention or an autolink (outside code).
fn live_text(text: &str) -> Option<String> {
    // The link to the comment written is GitHub's own answer, not repository text.
    let text = &text.replace(
        "https://github.com/contoso/webshop/pull/42#issuecomment-",
        "",
    );
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        if *c == '@' && (next.is_ascii_alphanumeric() || next == '-' || next == '_') {
            return Some(format!("a mention at {i}"));
        }
    }
    let lower = text.to_ascii_lowercase();
    for pattern in ["http://", "https://", "ftp://"] {
        if lower.contains(pattern) {
            return Some(format!("a bare URL ({pattern})"));
        }
    }
    let words = lower.split(|c: char| !c.is_alphanumeric() && c != '.');
    if words.clone().any(|w| w.starts_with("www.")) {
        return Some("a www. autolink".into());
    }
    None
}

/// The checks of the module doc on one Markdown body.
fn assert_inert(md: &str, what: &str) {
    for c in md.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}');
        assert!(!bidi, "{what}: raw U+{:04X}\n{md}", u32::from(c));
    }
    let chars: Vec<char> = md.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == '\u{200B}' {
            let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            assert!(
                matches!(before, Some('@' | ':' | 'w' | 'W' | '#')),
                "{what}: a zero-width space the escaping did not put there (after {before:?})"
            );
        }
    }
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    let mut text = String::new();
    let mut in_code_block = false;
    let check = |text: &mut String| {
        if let Some(why) = live_text(text) {
            panic!("{what}: {why} in rendered text {text:?}\n{md}");
        }
        text.clear();
    };
    for event in Parser::new_ext(md, opts) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                for line in h.lines() {
                    assert!(own_html(line), "{what}: raw HTML {line:?}\n{md}");
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                assert_eq!(&*dest_url, FOOTER_LINK, "{what}: a link\n{md}");
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("{what}: an image {dest_url}\n{md}")
            }
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) if !in_code_block => text.push_str(&t),
            Event::Code(_) | Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::TableCell
                | TagEnd::Item
                | TagEnd::BlockQuote(_),
            ) => check(&mut text),
            _ => {}
        }
    }
    check(&mut text);
}

/// No line of `stdout`/`stderr` is a workflow command other than azengage's own annotations.
fn assert_no_forged_command(stdout: &str, stderr: &str) {
    for line in stdout.lines().chain(stderr.lines()) {
        for forged in [
            "::set-output",
            "::add-mask",
            "::stop-commands",
            "::save-state",
            "::set-env",
            "::add-path",
        ] {
            assert!(!line.contains(forged), "{line}");
        }
        assert!(!line.contains("##["), "a v1 command: {line}");
        if is_command(line) {
            let ours = ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|p| line.starts_with(p));
            assert!(ours, "a command azengage did not write: {line}");
            assert_eq!(line.matches("::").count(), 2, "data defused: {line}");
        }
    }
}

async fn stand_in() -> (MockServer, FakeGithub) {
    let server = MockServer::start().await;
    let fake = FakeGithub::new();
    Mock::given(any())
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    (server, fake)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hostile_repository_text_in_a_pr_stays_inert(text in hostile()) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async {
            let ws = hostile_workspace(&text);
            let (server, fake) = stand_in().await;
            let ran = run(&ws, env(&ws, "pull_request", Some(&server.uri()), &[]), "2026-11-20").await;
            assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
            let comments = fake.comments();
            assert_eq!(comments.len(), 1, "{}", ran.summary);
            assert_inert(&comments[0].body, "comment");
            assert_inert(&ran.summary, "job summary");
            assert_no_forged_command(&ran.stdout, &ran.stderr);
        });
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_config_forges_no_command_and_no_html() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    // An invalid value, quoted back in the error on stderr and in the job summary.
    let hostile = "never\n::error title=pwned::owned\n::set-output name=score::100\n##[set-output name=band;]strong\n\
                   <img src=x onerror=alert(1)> @alice";
    let config = format!("fail_on: {}\n", serde_json::to_string(hostile).unwrap());
    std::fs::write(ws.repo.join(".github/azengage.yml"), config).unwrap();
    let (server, fake) = stand_in().await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("fail_on"),
        "the error names the key: {}",
        ran.stderr
    );
    assert_no_forged_command(&ran.stdout, &ran.stderr);
    for line in ran.stderr.lines() {
        assert!(!line.trim_start().starts_with("::"), "{line}");
    }
    assert!(!ran.summary.contains("<img"), "{}", ran.summary);
    assert_inert(&ran.summary, "job summary");
    assert!(fake.comments().is_empty());

    // A valid config whose free text is hostile: the run goes on, and nothing it writes is live.
    let tier = "<img src=x> @alice ::error::x ##[set-output name=a;]b \u{202E}";
    let config = format!(
        "{CONFIG}evidence:\n  traction: {t}\n",
        t = serde_json::to_string(tier).unwrap()
    )
    .replace(
        "tier: 25k",
        &format!("tier: {}", serde_json::to_string(tier).unwrap()),
    );
    std::fs::write(ws.repo.join(".github/azengage.yml"), config).unwrap();
    let _ = std::fs::remove_file(&ws.summary);
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert_no_forged_command(&ran.stdout, &ran.stderr);
    assert_inert(&ran.summary, "job summary");
    assert_inert(&fake.comments()[0].body, "comment");
    assert!(
        fake.comments()[0].body.contains("\\u{202e}"),
        "the bidi control is shown"
    );
}

#[test]
fn without_a_temp_dir_the_change_section_is_still_there() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let out = assert_cmd::Command::cargo_bin("azengage")
        .unwrap()
        .arg("action")
        .env_clear()
        .env("TMPDIR", "/nonexistent/azengage-test-tmp")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", &ws.event)
        .env("GITHUB_REPOSITORY", "contoso/webshop")
        .env("GITHUB_WORKSPACE", &ws.repo)
        .env("GITHUB_STEP_SUMMARY", &ws.summary)
        .env("GITHUB_OUTPUT", &ws.output)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let summary = std::fs::read_to_string(&ws.summary).unwrap();
    assert!(
        summary.contains("## What this pull request changes"),
        "{summary}"
    );
    assert!(summary.contains("| added | `storefront` |"), "{summary}");
    assert!(!summary.contains("could not be read"), "{summary}");
    let fallback = ws.repo.join(".git/azengage-tmp");
    assert!(Path::new(&fallback).is_dir(), "the .git fallback was used");
    assert_eq!(
        std::fs::read_dir(&fallback).unwrap().count(),
        0,
        "scratch copies removed"
    );
    assert_eq!(
        output(
            &std::fs::read_to_string(&ws.output).unwrap(),
            "infra-changed"
        )
        .as_deref(),
        Some("true")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_70000_character_value_empties_no_list_and_keeps_the_score() {
    let long = format!("@alice{}", "x".repeat(70_000));
    let ws = hostile_workspace(&long);
    let (server, fake) = stand_in().await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    let body = fake.comments()[0].body.clone();
    assert!(body.len() <= 65_536, "{}", body.len());
    assert!(body.contains("**Engagement estimate: "), "the score stays");
    assert!(!body.contains("shortened"), "nothing had to be cut: {body}");
    let heading = body
        .lines()
        .find(|l| l.starts_with("### Suggestions ("))
        .expect("suggestions heading");
    let count: usize = heading
        .trim_start_matches("### Suggestions (")
        .trim_end_matches(')')
        .parse()
        .unwrap();
    let table = body.split(heading).nth(1).unwrap();
    let rows = table
        .lines()
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .take_while(|l| l.starts_with("| "))
        .count();
    assert!(count >= 3, "{heading}");
    assert_eq!(rows, count, "every suggestion listed: {table}");
    // Table cells keep 200 characters, prose (a suggestion's detail) 1,000.
    if let Some(line) = body.lines().find(|l| l.contains(&"x".repeat(1_000))) {
        panic!(
            "not clipped: {}",
            line.chars().take(400).collect::<String>()
        );
    }
    assert_inert(&body, "comment");
}
