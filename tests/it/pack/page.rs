//! The page over the printer tests' scan: valid HTML5, no script and nothing external, hostile text inert,
//! the scan's figures, and a snapshot of the whole page.

use crate::report::fixture::{HOSTILE, factor, report_with_costs};
use azengage::assess::FigureSource;
use azengage::report::html::{PackDetails, to_html};
use azengage::scan::ScanReport;
use scraper::{ElementRef, Html, Selector};

/// The scan with `--costs`, with the per-item readiness factors the assessment computes (the shared fixture
/// predates them): the domain is not verified, the rest of the checklist is done. Resource Manager is listed
/// as plumbing, as the inventory lists resource groups.
pub fn scan() -> ScanReport {
    let mut r = report_with_costs();
    r.services.push(azengage::inventory::ServiceSummary {
        name: "Azure Resource Manager".into(),
        category: "Management and Governance".into(),
        solution_area: "Infrastructure (Azure)".into(),
        resources: 2,
        counts_for_breadth: false,
    });
    let cfg = FigureSource::Config;
    r.score.readiness.factors = vec![
        factor(
            "verified_domain",
            "verified email/domain: missing",
            0.0,
            0.0,
            2.0,
            cfg,
        ),
        factor("team_members", "2 team members added", 1.0, 2.0, 2.0, cfg),
        factor("demo_video", "demo video: yes", 1.0, 2.0, 2.0, cfg),
        factor("funding", "funding evidence: yes", 1.0, 2.0, 2.0, cfg),
        factor("traction", "traction metrics: yes", 1.0, 2.0, 2.0, cfg),
        factor("press", "2 press links", 2.0, 2.0, 2.0, cfg),
    ];
    r
}

/// What the config says about the startup.
pub fn details() -> PackDetails {
    PackDetails {
        company: Some("Tailspin Toys".into()),
        fallback_name: "contoso-labs/tailspin-api".into(),
        contact: Some("Ana Silva, CTO: ana@tailspin.example".into()),
        ask: None,
        team_members: Some(2),
        demo_video: Some("https://videos.example.com/tailspin-demo".into()),
        funding: Some("https://news.example.com/tailspin-seed-round".into()),
        traction: Some("4,100 weekly active users, +12% month over month".into()),
        press: vec![
            "https://press.example.com/tailspin".into(),
            "Featured in the Azure startups newsletter, October".into(),
        ],
    }
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector")
}

fn text_of(e: ElementRef) -> String {
    e.text().collect::<String>()
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(text_of).collect()
}

/// Parse `page`, failing on any HTML5 parse error.
pub fn parse(page: &str) -> Html {
    let doc = Html::parse_document(page);
    assert!(
        doc.errors.is_empty(),
        "HTML5 parse errors: {:?}",
        doc.errors
    );
    doc
}

/// No script, no event handler, nothing that loads or links to anything but `data:` and `http(s)` anchors.
pub fn assert_self_contained(doc: &Html) {
    for tag in [
        "script",
        "iframe",
        "object",
        "embed",
        "link",
        "base",
        "img",
        "image",
        "use",
        "form",
        "audio",
        "video",
        "source",
        "foreignObject",
    ] {
        assert_eq!(doc.select(&sel(tag)).count(), 0, "<{tag}> must not appear");
    }
    let csp = doc
        .select(&sel("head meta[http-equiv=\"Content-Security-Policy\"]"))
        .next()
        .expect("the CSP meta");
    assert_eq!(
        csp.value().attr("content"),
        Some("default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    );
    assert_eq!(
        doc.select(&sel("meta[http-equiv=\"refresh\" i]")).count(),
        0
    );
    for e in doc.select(&sel("*")) {
        let tag = e.value().name();
        for (name, value) in e.value().attrs() {
            let name = name.to_ascii_lowercase();
            assert!(
                !name.starts_with("on"),
                "<{tag} {name}> is an event handler"
            );
            assert!(
                !value.to_ascii_lowercase().contains("url("),
                "<{tag} {name}=\"{value}\"> references something"
            );
            match name.as_str() {
                "href" => {
                    assert_eq!(tag, "a", "href only on anchors");
                    let v = value.to_ascii_lowercase();
                    assert!(
                        v.starts_with("https://") || v.starts_with("http://"),
                        "a link to {value}"
                    );
                }
                "src" | "srcset" | "xlink:href" | "action" | "formaction" | "data" | "poster"
                | "background" | "style" | "ping" => {
                    assert!(value.starts_with("data:"), "<{tag} {name}=\"{value}\">")
                }
                _ => {}
            }
        }
    }
    for css in texts(doc, "style") {
        let lower = css.to_ascii_lowercase();
        assert!(!lower.contains("url("), "the style sheet loads something");
        assert!(
            !lower.contains("@import"),
            "the style sheet imports something"
        );
        assert!(lower.contains("@page { size: a4"), "A4 print size");
    }
}

#[test]
fn the_page_is_html5_self_contained_and_deterministic() {
    let page = to_html(&scan(), &details());
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    let doc = parse(&page);
    assert_self_contained(&doc);
    assert_eq!(page, to_html(&scan(), &details()));
}

#[test]
fn the_page_has_the_figures_of_the_scan_in_the_contract_order() {
    let r = scan();
    let page = to_html(&r, &details());
    let doc = parse(&page);
    let order: Vec<String> = doc
        .select(&sel("body > header, body > section"))
        .map(|e| e.value().attr("id").unwrap_or(e.value().name()).to_string())
        .collect();
    assert_eq!(
        order,
        [
            "header",
            "estimate",
            "timeline",
            "services",
            "cadence",
            "checklist",
            "evidence",
            "suggestions",
            "ask"
        ]
    );
    assert_eq!(texts(&doc, "h1"), ["Tailspin Toys"]);
    let sub = texts(&doc, "header .sub").join(" | ");
    assert_eq!(
        sub,
        "Azure engagement evidence · Microsoft for Startups Founders Hub · tier 25k · as of 2026-11-25 · \
         repository contoso-labs/tailspin-api"
    );
    // The estimate, its components and band, and the sentence that it is an estimate.
    assert_eq!(texts(&doc, ".total"), [format!("{} / 100", r.score.total)]);
    assert_eq!(texts(&doc, ".band"), ["Moderate"]);
    assert_eq!(
        texts(&doc, ".component"),
        [
            "Breadth 30.5 / 40",
            "Consistency 20 / 40",
            "Readiness 13.5 / 20"
        ]
    );
    assert!(texts(&doc, "#estimate .note")[0].contains("This is an estimate"));
    // The timeline.
    let facts: Vec<(String, String)> = texts(&doc, "#timeline dt")
        .into_iter()
        .zip(texts(&doc, "#timeline dd"))
        .collect();
    let fact = |k: &str| {
        facts
            .iter()
            .find(|(t, _)| t == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {k} in {facts:?}"))
    };
    assert_eq!(fact("Review date"), "2027-01-29 (65 days left)");
    assert_eq!(fact("Credits expire"), "2027-03-15");
    assert_eq!(fact("Credits consumed"), "24%, from the cost exports");
    assert_eq!(
        fact("At the review"),
        "33.4% consumed at the last 28 days' pace"
    );
    assert_eq!(fact("Billed"), "6,008.25 EUR, 2026-07-06 to 2026-11-20");
    // Every deployed service with its category, area and resource count; every region by display name.
    let rows: Vec<Vec<String>> = doc
        .select(&sel("#services tbody tr"))
        .map(|tr| tr.select(&sel("td")).map(text_of).collect())
        .collect();
    let counted: Vec<_> = r.services.iter().filter(|s| s.counts_for_breadth).collect();
    assert!(counted.len() >= 8, "{counted:?}");
    assert_eq!(rows.len(), counted.len());
    for (row, s) in rows.iter().zip(&counted) {
        assert_eq!(
            row,
            &[
                s.name.clone(),
                s.category.clone(),
                s.solution_area.clone(),
                s.resources.to_string()
            ]
        );
    }
    let services_text = text_of(doc.select(&sel("#services")).next().unwrap());
    assert!(
        !services_text.contains("Azure Resource Manager"),
        "plumbing is no evidence of use"
    );
    assert!(services_text.starts_with(&format!(
        "Deployed services ({}) and regions ({})",
        counted.len(),
        r.regions.len()
    )));
    for region in &r.regions {
        assert!(
            services_text.contains(&region.display_name),
            "{}",
            region.display_name
        );
    }
    // The chart: one bar per week with activity in the last 26, the spend line, the source named.
    let weeks = r.recent_weeks(26);
    let active =
        |f: fn(&azengage::scan::WeekCount) -> u32| weeks.iter().filter(|w| f(w) > 0).count();
    assert_eq!(
        doc.select(&sel("svg g.commits rect")).count(),
        active(|w| w.iac_commits)
    );
    assert_eq!(
        doc.select(&sel("svg g.deploys rect")).count(),
        active(|w| w.deployments)
    );
    assert_eq!(doc.select(&sel("svg g.spend polyline")).count(), 1);
    let caption = texts(&doc, "figcaption")[0].clone();
    let commits: u32 = weeks.iter().map(|w| w.iac_commits).sum();
    let deployments: u32 = weeks.iter().map(|w| w.deployments).sum();
    assert!(
        caption.starts_with(&format!(
            "{commits} IaC commits and {deployments} deployments"
        )),
        "{caption}"
    );
    assert!(
        caption.contains("git history") && caption.contains("Cost Management"),
        "{caption}"
    );
    // The checklist as the readiness factors say, the evidence with its links, the open suggestions.
    let checks: Vec<&str> = doc
        .select(&sel("ul.checks li"))
        .map(|li| li.value().attr("class").unwrap_or(""))
        .collect();
    assert_eq!(checks, ["missing", "done", "done"]);
    let links: Vec<&str> = doc
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        links,
        [
            "https://videos.example.com/tailspin-demo",
            "https://news.example.com/tailspin-seed-round",
            "https://press.example.com/tailspin"
        ]
    );
    assert!(
        text_of(doc.select(&sel("#evidence")).next().unwrap())
            .contains("Featured in the Azure startups newsletter")
    );
    let ids: Vec<String> = texts(&doc, "#suggestions .id");
    let mut expected: Vec<String> = Vec::new();
    for s in &r.suggestions {
        if !expected.contains(&s.id) {
            expected.push(s.id.clone());
        }
    }
    assert_eq!(ids, expected);
    // What we ask (the default) and the contact.
    let ask = texts(&doc, "#ask p").join(" ");
    assert!(
        ask.contains("manual review of our Azure engagement score"),
        "{ask}"
    );
    assert!(
        ask.contains("Contact: Ana Silva, CTO: ana@tailspin.example"),
        "{ask}"
    );
}

#[test]
fn hostile_repository_and_config_text_stays_text() {
    let mut r = scan();
    r.repository = Some(format!("evil/{HOSTILE}"));
    r.program.tier = Some("<img src=x onerror=alert(1)>".into());
    r.services[0].name = "<script>alert('service')</script>".into();
    r.regions[0].display_name = "West \u{202E}eporuE".into();
    if let Some(c) = r.costs.as_mut() {
        c.currency = Some("<b onclick=alert(1)>EUR</b>".into());
    }
    let d = PackDetails {
        company: Some("</title><script>alert(1)</script> Ltd".into()),
        contact: Some("x@evil.example\" onmouseover=\"alert(1)".into()),
        ask: Some(
            "</section><script>alert('ask')</script><a href=javascript:alert(1)>review</a>".into(),
        ),
        funding: Some("javascript:alert(document.cookie)".into()),
        traction: Some("<iframe src=https://evil.example/></iframe>".into()),
        demo_video: Some("  JaVaScRiPt:alert(1)".into()),
        press: vec![
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==".into(),
            "https://news.example.com/a?x=\"><script>alert(1)</script>".into(),
            "vbscript:msgbox(1)".into(),
        ],
        ..details()
    };
    let page = to_html(&r, &d);
    let doc = parse(&page);
    assert_self_contained(&doc);
    assert!(
        !page.contains('\u{202E}'),
        "bidi controls are shown, not passed through"
    );
    let body = text_of(doc.select(&sel("body")).next().unwrap());
    for shown in [
        "</title><script>alert(1)</script> Ltd",
        "<img src=x onerror=alert(1)>",
        "<script>alert('service')</script>",
        "West \\u{202e}eporuE",
        "javascript:alert(document.cookie)",
        "<iframe src=https://evil.example/></iframe>",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,",
        "vbscript:msgbox(1)",
        "x@evil.example\" onmouseover=\"alert(1)",
        "<a href=javascript:alert(1)>review</a>",
        "<b onclick=alert(1)>EUR</b> per week",
        HOSTILE,
    ] {
        assert!(body.contains(shown), "{shown:?} is not shown as text");
    }
    // Only the one real web address became a link, and its quotes could not end the attribute.
    let links: Vec<&str> = doc
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        links,
        ["https://news.example.com/a?x=\"><script>alert(1)</script>"]
    );
    let title = texts(&doc, "title")[0].clone();
    assert!(title.starts_with("</title><script>"), "{title}");
}

#[test]
fn a_scan_without_config_costs_or_activity_still_makes_a_page() {
    let mut r = azengage::scan::ScanReport::new(
        jiff::civil::date(2026, 11, 23),
        azengage::inventory::Inventory::default(),
        azengage::history::Activity::default(),
        crate::report::fixture::assessment(),
    );
    r.program = azengage::assess::ProgramStatus {
        kind: None,
        tier: None,
        review_date: None,
        days_to_review: None,
        score_visible_from: None,
        credits_expire: None,
        consumed_percent: None,
        consumed_source: None,
        state: azengage::assess::TimelineState::NotConfigured,
        reminders_due: vec![],
        solution_areas: vec![],
    };
    r.suggestions.clear();
    let d = PackDetails {
        fallback_name: "my-repo".into(),
        ..PackDetails::default()
    };
    let doc = parse(&to_html(&r, &d));
    assert_self_contained(&doc);
    assert_eq!(texts(&doc, "h1"), ["my-repo"]);
    let body = text_of(doc.select(&sel("body")).next().unwrap());
    for said in [
        "No program dates configured",
        "No deployed Azure resource was found",
        "0 IaC commits and 0 deployments in 0 active weeks of 26",
        "None: every rule passes.",
        "We ask for a manual review",
    ] {
        assert!(body.contains(said), "{said:?} missing");
    }
    assert_eq!(doc.select(&sel("svg g.commits rect")).count(), 0);
    assert_eq!(doc.select(&sel("svg polyline")).count(), 0);
    assert_eq!(doc.select(&sel("ul.checks li.missing")).count(), 3);
}

#[test]
fn page_snapshot() {
    insta::assert_snapshot!("pack_html", to_html(&scan(), &details()));
}

/// A scan as large as a real repository makes it: `services` deployed services (real names from the
/// catalog), `regions` regions, every rule open in twenty places, the six solution areas.
fn large_scan(services: usize, regions: usize) -> ScanReport {
    let mut r = scan();
    let areas = [
        "Infrastructure (Azure)",
        "Data & AI (Azure)",
        "Digital & App Innovation (Azure)",
        "Security",
        "Modern Work",
        "Business Applications",
    ];
    let catalog = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/services.tsv"),
    )
    .expect("the catalog's services");
    let mut names: Vec<(String, String)> = Vec::new();
    for line in catalog.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if let [_, service, category, ..] = cols.as_slice()
            && !names.iter().any(|(n, _)| n == service)
        {
            names.push((service.to_string(), category.to_string()));
        }
    }
    assert!(
        names.len() >= services,
        "the catalog names {} services",
        names.len()
    );
    r.services = names
        .into_iter()
        .take(services)
        .enumerate()
        .map(
            |(i, (name, category))| azengage::inventory::ServiceSummary {
                name,
                category,
                solution_area: areas[i % areas.len()].into(),
                resources: services - i,
                counts_for_breadth: true,
            },
        )
        .collect();
    r.regions = (0..regions)
        .map(|i| azengage::inventory::RegionSummary {
            name: format!("region{i}"),
            display_name: format!("Example Region {i}"),
            resources: regions - i,
        })
        .collect();
    r.program.solution_areas = areas
        .iter()
        .map(|a| azengage::assess::SolutionAreaStatus {
            name: (*a).into(),
            services: vec!["Azure App Service".into()],
        })
        .collect();
    let titles: Vec<(String, String)> = azengage::assess::rules::rules()
        .iter()
        .map(|rule| (rule.id.to_string(), rule.title.to_string()))
        .collect();
    r.suggestions = titles
        .iter()
        .flat_map(|(id, title)| {
            (0..20).map(move |line| {
                crate::report::fixture::suggestion(
                    id,
                    "rule",
                    azengage::assess::RuleSeverity::Warning,
                    title,
                    "detail",
                    Some(("infra/main.tf", line + 1)),
                )
            })
        })
        .collect();
    r
}

/// The most a config can put on the page: the longest request allowed, long funding and traction text,
/// fourteen press links.
fn large_config() -> PackDetails {
    PackDetails {
        ask: Some(
            "Please review our engagement score manually. "
                .repeat(9)
                .chars()
                .take(azengage::config::PACK_ASK_MAX_CHARS)
                .collect(),
        ),
        traction: Some("4,100 weekly active users, +12% month over month, ".repeat(10)),
        funding: Some(
            "Seed round of 2.5 million led by Example Ventures, announced in May; ".repeat(6),
        ),
        press: (0..14)
            .map(|i| format!("https://press.example.com/articles/2026/contoso-ai-coverage-{i}"))
            .collect(),
        ..details()
    }
}

/// Print `page` with headless Chromium and check it holds one or two A4 pages with text.
fn assert_prints_on_two_pages(browser: &std::path::Path, page: &str, what: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("page.html");
    std::fs::write(&html, page).expect("write");
    let pdf = dir.path().join("page.pdf");
    azengage::cli::pdf::print(browser, &html, &pdf).expect("Chromium prints the page");
    let bytes = std::fs::read(&pdf).expect("PDF");
    crate::pack::pdf::assert_one_or_two_a4_pages_with_text(&bytes, what);
}

#[test]
fn the_largest_scan_still_prints_on_two_a4_pages() {
    let Some(browser) =
        crate::pack::pdf::browser_or_skip("the_largest_scan_still_prints_on_two_a4_pages")
    else {
        return;
    };
    // A module library deploys that much: 150 services in 30 regions, every rule open.
    let r = large_scan(150, 30);
    let page = to_html(&r, &details());
    let doc = parse(&page);
    let shown = text_of(doc.select(&sel("#services")).next().unwrap());
    for s in &r.services {
        assert!(shown.contains(&s.name), "{} is not on the page", s.name);
    }
    assert_prints_on_two_pages(&browser, &page, "150 services in 30 regions");
}

#[test]
fn the_largest_config_still_prints_on_two_a4_pages() {
    let Some(browser) =
        crate::pack::pdf::browser_or_skip("the_largest_config_still_prints_on_two_a4_pages")
    else {
        return;
    };
    // A startup's repository at its busiest (40 services, 6 regions, every rule open) with every word the
    // config can add.
    let d = large_config();
    let page = to_html(&large_scan(40, 6), &d);
    let doc = parse(&page);
    let evidence = text_of(doc.select(&sel("#evidence")).next().unwrap());
    assert!(
        evidence.contains("and 6 more in the configuration"),
        "{evidence}"
    );
    let traction = d.traction.as_deref().unwrap_or_default();
    let cut: String = traction.chars().take(199).collect();
    assert!(
        evidence.contains(&format!("{cut}…")),
        "long text is cut visibly: {evidence}"
    );
    assert_prints_on_two_pages(&browser, &page, "the longest config text");
}
